package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

import org.ilmpq.core.quant.ExactSum;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.SensitivityMeasure;

/**
 * The {@code rows.txt} of an export (docs/export-format.md, version 2): per weight layer, which scheme each row took
 * and the figures the row assignment chose it by, which {@code weights.txt} does not keep. The assignment
 * (docs/quantization.md, {@link org.ilmpq.core.quant.RowAssignment}) gives the split's widest scheme the rows with
 * the largest <em>sensitivity</em>, their error at the probe scheme (FILM-QNN, FPGA 2022: the output error
 * {@code ||W_k A - Q(W_k) A||^2} on a calibration batch, or the weight error {@code ||W_k - Q(W_k)||^2}), and the
 * other schemes the remaining rows in ascending <em>variance</em> of {@code w / alpha_k} (Mix-and-Match, HPCA 2021:
 * concentrated, Gaussian-like rows suit power-of-two). Both are what the script's {@code assign_rows} measured when
 * it last ran, on the weights of that time; the <em>error</em> {@code ||W_k - Q(W_k)||^2} of a row under the scheme
 * it took is computed at export, on the trained weights. So a reader can show why a row went where it did and what
 * its scheme costs it in accuracy. A figure the checkpoint did not keep (made before the figures were kept, or
 * before any assignment ran) is unknown: {@code -} in the file, empty here.
 *
 * @param measure what the sensitivity is, from the spec's {@code sensitive rows by ...}
 * @param layers the weight layers, in the order of {@code weights.txt}
 */
public record RowAssignmentExport(String network, String producer, SensitivityMeasure measure, List<Layer> layers) {

	public RowAssignmentExport {
		layers = List.copyOf(layers);
	}

	/**
	 * One weight layer's assignment.
	 *
	 * @param probe the scheme the sensitivity is measured at ({@link RowPlan#probe()})
	 * @param sensitive the scheme that took the most sensitive rows, empty when the split shares its rows by variance
	 *            alone ({@link RowPlan#sensitive()})
	 * @param schemes the split's schemes, in its order
	 * @param rows every row, in output-channel order
	 */
	public record Layer(String name, Scheme probe, Optional<Scheme> sensitive, List<Scheme> schemes, List<Row> rows) {

		public Layer {
			schemes = List.copyOf(schemes);
			rows = List.copyOf(rows);
		}

		/** The rows that took {@code scheme}, in output-channel order. */
		public List<Row> rowsOf(Scheme scheme) {
			return rows.stream().filter(r -> r.scheme().equals(scheme)).toList();
		}

		/** One summary per scheme of the split, in its order; a scheme without rows has 0 rows and empty figures. */
		public List<SchemeSummary> summary() {
			return schemes.stream().map(this::summary).toList();
		}

		/** The summary of the rows of {@code scheme}. */
		public SchemeSummary summary(Scheme scheme) {
			List<Row> taken = rowsOf(scheme);
			return new SchemeSummary(scheme, taken.size(), mean(taken, Row::error), max(taken, Row::error),
					mean(taken, Row::sensitivity), mean(taken, Row::variance));
		}
	}

	/**
	 * One row (output channel).
	 *
	 * @param sensitivity its error at the probe scheme when the rows were assigned, by {@link #measure()}
	 * @param variance the variance of its {@code w / alpha} when the rows were assigned
	 * @param error {@code ||W - Q(W)||^2} under its scheme, at export
	 */
	public record Row(int index, Scheme scheme, OptionalDouble sensitivity, OptionalDouble variance,
			OptionalDouble error) {
	}

	/**
	 * The rows of one scheme in a layer. A mean or maximum is over the rows whose figure is known, empty when none is;
	 * means are of the correctly rounded sum ({@link ExactSum}), so they do not depend on the rows' order.
	 */
	public record SchemeSummary(Scheme scheme, int rows, OptionalDouble meanError, OptionalDouble maxError,
			OptionalDouble meanSensitivity, OptionalDouble meanVariance) {
	}

	public Optional<Layer> layer(String name) {
		return layers.stream().filter(l -> l.name().equals(name)).findFirst();
	}

	public static RowAssignmentExport read(Path rows) throws IOException {
		ExportLines lines = ExportLines.open(rows);
		lines.expect("measure", "the sensitivity measure");
		lines.length(2);
		SensitivityMeasure measure = switch (lines.word(1)) {
		case "output-error" -> SensitivityMeasure.OUTPUT_ERROR;
		case "weight-error" -> SensitivityMeasure.WEIGHT_ERROR;
		default -> throw lines.error("'" + lines.word(1) + "' is not a sensitivity measure (output-error or "
				+ "weight-error)");
		};
		List<Layer> layers = new ArrayList<>();
		while (lines.next()) {
			lines.keyword("layer", "a layer");
			String name = lines.word(1);
			if (layers.stream().anyMatch(l -> l.name().equals(name))) {
				throw lines.error("layer " + name + " appears twice");
			}
			layers.add(layer(lines, name));
		}
		return new RowAssignmentExport(lines.network(), lines.producer(), measure, layers);
	}

	private static Layer layer(ExportLines lines, String name) throws IOException {
		lines.label(2, "rows");
		int count = lines.integer(3, 1);
		lines.label(4, "probe");
		Scheme probe = scheme(lines, 5);
		lines.label(7, "sensitive");
		Optional<Scheme> sensitive = lines.word(8).equals("none") ? Optional.empty() : Optional.of(scheme(lines, 8));
		int at = sensitive.isPresent() ? 10 : 9;
		lines.label(at, "schemes");
		if (lines.size() == at + 1 || (lines.size() - at - 1) % 2 != 0) {
			throw lines.error((lines.size() - at - 1) + " words of schemes where one or more kind and width pairs "
					+ "belong");
		}
		List<Scheme> schemes = new ArrayList<>();
		for (int i = at + 1; i < lines.size(); i += 2) {
			Scheme scheme = scheme(lines, i);
			if (schemes.contains(scheme)) {
				throw lines.error(scheme + " appears twice in the split of layer " + name);
			}
			schemes.add(scheme);
		}
		if (!schemes.contains(probe) || sensitive.filter(s -> !schemes.contains(s)).isPresent()) {
			throw lines.error("the probe " + probe + sensitive.map(s -> " or the sensitive " + s).orElse("")
					+ " is not among the schemes " + schemes + " of layer " + name);
		}
		List<Row> rows = new ArrayList<>();
		for (int r = 0; r < count; r++) {
			lines.expectAny("row " + r + " of layer " + name);
			lines.keyword("row", "row " + r + " of layer " + name);
			lines.length(10);
			if (lines.integer(1) != r) {
				throw lines.error("row " + lines.word(1) + " where row " + r + " belongs");
			}
			Scheme scheme = scheme(lines, 2);
			if (!schemes.contains(scheme)) {
				throw lines.error(scheme + " is not among the schemes " + schemes + " of layer " + name);
			}
			lines.label(4, "sensitivity");
			lines.label(6, "variance");
			lines.label(8, "error");
			rows.add(new Row(r, scheme, squares(lines, 5), figure(lines, 7), squares(lines, 9)));
		}
		lines.expect("end", "the end of layer " + name);
		lines.length(1);
		return new Layer(name, probe, sensitive, schemes, rows);
	}

	/** A figure: a finite number, or {@code -} where it is unknown. */
	private static OptionalDouble figure(ExportLines lines, int position) throws ExportFormatException {
		return lines.word(position).equals("-") ? OptionalDouble.empty() : OptionalDouble.of(lines.real(position));
	}

	/** A sum of squares: not negative. (A variance may be, by a rounding, when the row's values are all equal.) */
	private static OptionalDouble squares(ExportLines lines, int position) throws ExportFormatException {
		OptionalDouble value = figure(lines, position);
		if (value.isPresent() && value.getAsDouble() < 0) {
			throw lines.error(lines.word(position) + " where a sum of squares, not negative, belongs");
		}
		return value;
	}

	private static Scheme scheme(ExportLines lines, int position) throws ExportFormatException {
		return QuantizedNetworkExport.scheme(lines, position);
	}

	private static OptionalDouble mean(List<Row> rows, Function<Row, OptionalDouble> figure) {
		double[] known = rows.stream().map(figure).filter(OptionalDouble::isPresent)
				.mapToDouble(OptionalDouble::getAsDouble).toArray();
		return known.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(ExactSum.of(known) / known.length);
	}

	private static OptionalDouble max(List<Row> rows, Function<Row, OptionalDouble> figure) {
		return rows.stream().map(figure).filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
				.max();
	}
}
