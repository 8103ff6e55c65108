package org.ilmpq.dsl.ui.design;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.Resource;
import org.ilmpq.core.export.RowAssignmentExport;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.generator.report.ReportColours;

import static org.ilmpq.generator.report.ReportNumbers.count;
import static org.ilmpq.generator.report.ReportNumbers.fixed;
import static org.ilmpq.generator.report.ReportNumbers.percent;

/**
 * Draws what the Design view shows, with the HTML report's conventions ({@link ReportColours}, the same charts):
 * the headline figures, resource use against the budget, the engines and how busy each is, per-layer time by engine
 * with the memory-bound layers marked, and the row assignment an export made. Remembers where it drew each layer,
 * so that a click can say which one it was.
 */
public final class DesignChart {

	/** Everything one drawing shows. */
	public record Content(DesignEstimator.Estimate estimate, Optional<DesignEstimator.Optimum> optimum, RowPreview preview,
			String stale) {
	}

	static final int MARGIN = 8;
	static final int LABEL_WIDTH = 180;
	static final int BAR_WIDTH = 360;
	private static final int LINE = 18;

	private final Display display;
	private final Map<String, Color> colours = new HashMap<>();
	/** Layer names by the top of their row, in drawing order. */
	private final List<Map.Entry<Integer, String>> layerRows = new ArrayList<>();
	private int layerRowHeight;

	DesignChart(Display display) {
		this.display = display;
	}

	/** The right edge of the widest line of the last drawing. */
	private int widest;

	/** Draws {@code content} from the top of {@code gc}; returns the height it took ({@link #width()}: the width). */
	int paint(GC gc, Content content, String message) {
		layerRows.clear();
		widest = MARGIN + LABEL_WIDTH + BAR_WIDTH;
		gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
		int y = MARGIN;
		if (message != null) {
			y = text(gc, message, MARGIN, y, null);
		}
		if (content == null) {
			return y + MARGIN;
		}
		DesignEstimator.Estimate estimate = content.estimate();
		if (content.stale() != null) {
			y = text(gc, "Last estimate; not updated: " + content.stale() + ".", MARGIN, y, ReportColours.MEMORY_BOUND);
		}
		y = text(gc, estimate.inputs().network() + " on " + estimate.target().part() + " at "
				+ estimate.target().clockMhz().toPlainString() + " MHz", MARGIN, y, null);
		if (estimate.design().isEmpty()) {
			y = text(gc, "No design fits the budget. Even one row per engine needs: "
					+ String.join("; ", estimate.violations()), MARGIN, y, ReportColours.OVER_BUDGET);
		} else {
			DesignEstimate design = estimate.design().get();
			y = headline(gc, design, y);
			y = utilisation(gc, design, y + 4);
			y = engines(gc, design, y + 4);
			y = layers(gc, design, estimate.inputs(), y + 4);
		}
		y = optimiser(gc, content, y + 4);
		y = preview(gc, content.preview(), estimate, y + 4);
		return y + MARGIN;
	}

	private int headline(GC gc, DesignEstimate design, int y) {
		String line = fixed(design.latencyMs(), 2) + " ms per image   " + fixed(design.fps(), 1) + " frames per second   "
				+ fixed(design.gops(), 1) + " GOPS (peak " + fixed(design.peakGops(), 1) + ")";
		gc.setFont(display.getSystemFont());
		return text(gc, line, MARGIN, y, null);
	}

	private int utilisation(GC gc, DesignEstimate design, int y) {
		y = heading(gc, "Resources (the dashed line is the budget)", y);
		Device device = design.target().part().device();
		Object[][] rows = { { "DSP", design.used().dsp(), device.dspSlices(), Resource.DSP },
				{ "LUT", design.used().lut(), device.luts(), Resource.LUT },
				{ "FF", design.used().ff(), device.flipFlops(), Resource.FF },
				{ "BRAM18", design.used().bram18(), device.bram18(), Resource.BRAM } };
		for (Object[] row : rows) {
			long used = (Long) row[1];
			long available = (Long) row[2];
			double share = available == 0 ? 0 : (double) used / available;
			double budget = design.target().budgetPercent((Resource) row[3]).doubleValue() / 100;
			draw(gc, (String) row[0], MARGIN, y);
			int x = MARGIN + 60;
			fill(gc, ReportColours.TRACK, x, y + 2, BAR_WIDTH, 12);
			fill(gc, share > budget ? ReportColours.OVER_BUDGET : ReportColours.WITHIN_BUDGET, x, y + 2,
					(int) Math.round(BAR_WIDTH * Math.min(share, 1.0)), 12);
			gc.setLineStyle(SWT.LINE_DASH);
			int bx = x + (int) Math.round(BAR_WIDTH * budget);
			gc.drawLine(bx, y, bx, y + 16);
			gc.setLineStyle(SWT.LINE_SOLID);
			draw(gc, count(used) + " / " + count(available) + " (" + percent(share) + ")", x + BAR_WIDTH + 8, y);
			y += LINE;
		}
		return y;
	}

	private int engines(GC gc, DesignEstimate design, int y) {
		y = heading(gc, String.format(Locale.ROOT, "Engines: %d lanes, tiles of %d x %d, %d output lanes",
				design.config().lanes(), design.config().tile(), design.config().tile(), design.config().outputLanes()),
				y);
		List<EngineConfig> engines = design.config().engines();
		for (int i = 0; i < engines.size(); i++) {
			EngineConfig engine = engines.get(i);
			double busy = design.engineBusy().getOrDefault(engine.scheme(), 0.0);
			fill(gc, ReportColours.scheme(i), MARGIN, y + 3, 10, 10);
			draw(gc, engine.scheme() + ": " + engine.rows() + " rows on " + (engine.onDsp()
					? "DSP, " + engine.packing().productsPerDsp() + " products per DSP" : "LUT"), MARGIN + 16, y);
			int x = MARGIN + 60 + BAR_WIDTH / 2 + 100;
			fill(gc, ReportColours.TRACK, x, y + 3, BAR_WIDTH / 2, 10);
			fill(gc, ReportColours.scheme(i), x, y + 3, (int) Math.round(BAR_WIDTH / 2.0 * busy), 10);
			draw(gc, "computing " + percent(busy) + " of the time", x + BAR_WIDTH / 2 + 8, y);
			y += LINE;
		}
		return y;
	}

	private int layers(GC gc, DesignEstimate design, DesignInputs inputs, int y) {
		y = heading(gc, "Layers: time by engine; the grey box is DRAM traffic, M a memory-bound layer "
				+ "(click a layer to select it in the editor)", y);
		List<Scheme> schemes = design.config().engines().stream().map(EngineConfig::scheme).toList();
		long longest = design.layers().stream().mapToLong(t -> Math.max(t.cycles(), t.memoryCycles())).max()
				.orElse(1);
		layerRowHeight = Math.max(LINE - 2, 4 + 4 * schemes.size());
		for (LayerTiming timing : design.layers()) {
			layerRows.add(Map.entry(y, timing.layer().name()));
			String name = timing.layer().name();
			draw(gc, fit(gc, name, LABEL_WIDTH - 16), MARGIN,
					y + (layerRowHeight - gc.getFontMetrics().getHeight()) / 2);
			int x = MARGIN + LABEL_WIDTH;
			for (int j = 0; j < schemes.size(); j++) {
				long cycles = timing.engineCycles().getOrDefault(schemes.get(j), 0L);
				fill(gc, ReportColours.scheme(j), x, y + 2 + 4 * j, scaled(cycles, longest), 3);
			}
			colour(gc, ReportColours.MEMORY, true);
			gc.drawRectangle(x, y + 1, scaled(timing.memoryCycles(), longest), 4 * schemes.size() + 1);
			gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
			if (timing.boundBy() == LayerTiming.Bound.MEMORY) {
				colour(gc, ReportColours.MEMORY_BOUND, true);
				draw(gc, "M", x - 12, y + (layerRowHeight - gc.getFontMetrics().getHeight()) / 2);
				gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
			}
			draw(gc, fixed(timing.cycles() / (design.clockMhz() * 1000), 3) + " ms",
					x + scaled(Math.max(timing.cycles(), timing.memoryCycles()), longest) + 6,
					y + (layerRowHeight - gc.getFontMetrics().getHeight()) / 2);
			y += layerRowHeight;
		}
		return y;
	}

	private int optimiser(GC gc, Content content, int y) {
		if (content.estimate().design().isEmpty()) {
			return y;
		}
		if (content.optimum().isEmpty()) {
			return text(gc, "The optimiser is looking for a faster split...", MARGIN, y, ReportColours.MEMORY);
		}
		DesignEstimator.Optimum optimum = content.optimum().get();
		return optimum.better().map(better -> text(gc, "The optimiser's split " + better.split() + " would take "
				+ fixed(better.design().get().latencyMs(), 2) + " ms instead of "
				+ fixed(content.estimate().design().get().latencyMs(), 2) + " ms (Apply writes it into the spec).",
				MARGIN, y, null))
				.orElseGet(() -> text(gc, "The optimiser finds no faster split for this device ("
						+ optimum.result().map(r -> r.candidates().size() + " splits tried").orElse("none to try") + ").",
						MARGIN, y, null));
	}

	private int preview(GC gc, RowPreview preview, DesignEstimator.Estimate estimate, int y) {
		y = heading(gc, "Row assignment of the export"
				+ (preview == null ? "" : " in " + preview.folder()), y);
		if (preview == null || preview.problem() != null) {
			return text(gc, preview == null ? "no export chosen" : preview.problem(), MARGIN, y, ReportColours.MEMORY);
		}
		List<Scheme> order = new ArrayList<>(estimate.design().map(d -> d.config().engines().stream()
				.map(EngineConfig::scheme).toList()).orElse(List.of()));
		for (RowPreview.LayerRows layer : preview.layers()) {
			layer.counts().keySet().stream().filter(s -> !order.contains(s)).forEach(order::add);
			draw(gc, fit(gc, layer.name(), LABEL_WIDTH - 16), MARGIN, y);
			int x = MARGIN + LABEL_WIDTH;
			int rows = layer.rows().size();
			for (int r = 0; r < rows; r++) {
				int from = x + (int) ((long) r * BAR_WIDTH / rows);
				int to = x + (int) ((long) (r + 1) * BAR_WIDTH / rows);
				fill(gc, ReportColours.scheme(order.indexOf(layer.rows().get(r))), from, y + 2, Math.max(1, to - from),
						12);
			}
			StringBuilder figures = new StringBuilder();
			layer.counts().forEach((scheme, n) -> {
				RowAssignmentExport.SchemeSummary f = layer.figures().get(scheme);
				figures.append(figures.length() == 0 ? "" : ";  ").append(scheme).append(": ").append(n);
				if (f != null && f.meanError().isPresent()) {
					figures.append(String.format(Locale.ROOT, ", error %.3g", f.meanError().getAsDouble()));
				}
				if (f != null && f.meanSensitivity().isPresent()) {
					figures.append(String.format(Locale.ROOT, ", sensitivity %.3g", f.meanSensitivity().getAsDouble()));
				}
			});
			draw(gc, figures.toString(), x + BAR_WIDTH + 8, y);
			y += LINE;
		}
		return y;
	}

	/** Draws {@code text} with its top left at x, y, keeping the widest line's right edge; returns its extent. */
	private Point draw(GC gc, String text, int x, int y) {
		Point extent = gc.textExtent(text);
		gc.drawText(text, x, y, true);
		widest = Math.max(widest, x + extent.x);
		return extent;
	}

	/** How wide the last drawing was: its widest line, or the bars. */
	int width() {
		return widest + MARGIN;
	}

	/** The layer drawn at {@code y}, if any. */
	Optional<String> layerAt(int y) {
		for (Map.Entry<Integer, String> row : layerRows) {
			if (y >= row.getKey() && y < row.getKey() + layerRowHeight) {
				return Optional.of(row.getValue());
			}
		}
		return Optional.empty();
	}

	/** The layers in the order drawn, with the top of their rows; for tests. */
	List<Map.Entry<Integer, String>> layerRows() {
		return List.copyOf(layerRows);
	}

	private int heading(GC gc, String text, int y) {
		return text(gc, text, MARGIN, y + 4, null);
	}

	private int text(GC gc, String text, int x, int y, String colour) {
		if (colour != null) {
			colour(gc, colour, true);
		}
		Point extent = draw(gc, text, x, y);
		gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
		return y + Math.max(LINE, extent.y + 2);
	}

	private static int scaled(long cycles, long longest) {
		return longest == 0 ? 0 : (int) Math.round((double) BAR_WIDTH * cycles / longest);
	}

	private static String fit(GC gc, String text, int width) {
		if (gc.textExtent(text).x <= width) {
			return text;
		}
		String cut = text;
		while (cut.length() > 1 && gc.textExtent(cut + "...").x > width) {
			cut = cut.substring(0, cut.length() - 1);
		}
		return cut + "...";
	}

	private void fill(GC gc, String colour, int x, int y, int width, int height) {
		colour(gc, colour, false);
		gc.fillRectangle(x, y, width, height);
	}

	private void colour(GC gc, String hex, boolean foreground) {
		Color colour = colours.computeIfAbsent(hex, key -> {
			int[] rgb = ReportColours.rgb(key);
			return new Color(display, new RGB(rgb[0], rgb[1], rgb[2]));
		});
		if (foreground) {
			gc.setForeground(colour);
		} else {
			gc.setBackground(colour);
		}
	}

	void dispose() {
		colours.values().forEach(Color::dispose);
		colours.clear();
	}
}
