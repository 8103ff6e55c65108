package org.ilmpq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.ilmpq.core.device.Resource;
import org.ilmpq.core.exploration.Baselines;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.generator.report.ReportNumbers;

/** The terminal summary of {@code ilmpq report}: one column per device, one line per figure. */
final class ReportSummary {

	private ReportSummary() {
	}

	static void print(String file, List<DeviceStudy> studies, PrintWriter out) {
		List<String[]> rows = new ArrayList<>();
		rows.add(row(file, studies, s -> s.target().part().toString()));
		rows.add(row("clock", studies, s -> s.target().clockMhz().toPlainString() + " MHz"));
		rows.add(row("latency", studies, s -> design(s, d -> ReportNumbers.fixed(d.latencyMs(), 2) + " ms")));
		rows.add(row("frames per second", studies, s -> design(s, d -> ReportNumbers.fixed(d.fps(), 1))));
		rows.add(row("GOPS", studies, s -> design(s, d -> ReportNumbers.fixed(d.gops(), 1))));
		for (Resource resource : Resource.values()) {
			rows.add(row(resource + " of budget", studies,
					s -> design(s, d -> ReportNumbers.percent(d.utilisation(resource)))));
		}
		for (Baselines.Kind kind : Baselines.Kind.values()) {
			rows.add(row("speedup vs " + kind.label().substring(0, kind.label().indexOf(')') + 1), studies,
					s -> s.speedupOver(kind).map(v -> ReportNumbers.fixed(v, 2) + "x").orElse("-")));
		}
		rows.add(row("fastest split", studies,
				s -> s.optimised().map(r -> r.best().split().toString()).orElse("-")));
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				line.append(i == 0 ? pad(row[i], widths[i]) : "  " + pad(row[i], widths[i]));
			}
			out.println(line.toString().stripTrailing());
		}
	}

	private static String design(DeviceStudy study, Function<DesignEstimate, String> figure) {
		return study.design().map(figure).orElse("does not fit");
	}

	private static String[] row(String label, List<DeviceStudy> studies, Function<DeviceStudy, String> cell) {
		String[] row = new String[studies.size() + 1];
		row[0] = label;
		for (int i = 0; i < studies.size(); i++) {
			row[i + 1] = cell.apply(studies.get(i));
		}
		return row;
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(width - text.length());
	}
}
