package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The {@code weights.txt} of an export (docs/export-format.md, version 1): the quantized layers in the order the
 * network runs them. Reading checks every record against the format and every scheme table against
 * {@link WeightQuantizer}, so that a reader and the quantizer cannot disagree on what a code means.
 */
public record QuantizedNetworkExport(String network, String producer, List<ExportedLayer> layers) {

	public QuantizedNetworkExport {
		layers = List.copyOf(layers);
	}

	public static QuantizedNetworkExport read(Path weights) throws IOException {
		ExportLines lines = ExportLines.open(weights);
		Map<Scheme, WeightQuantizer> schemes = new LinkedHashMap<>();
		List<ExportedLayer> layers = new ArrayList<>();
		while (lines.next()) {
			switch (lines.keyword()) {
			case "scheme" -> {
				Scheme scheme = scheme(lines, 1);
				WeightQuantizer quantizer = WeightQuantizer.of(scheme);
				lines.label(3, "denominator");
				lines.label(5, "magnitudes");
				int[] magnitudes = lines.integers(6, quantizer.maxCode() + 1);
				if (lines.integer(4) != quantizer.denominator()
						|| !quantizer.magnitudes().equals(Arrays.stream(magnitudes).boxed().toList())) {
					throw lines.error("the table of " + scheme + " is not " + quantizer.magnitudes() + " / "
							+ quantizer.denominator());
				}
				schemes.put(scheme, quantizer);
			}
			case "layer" -> {
				ExportedLayer layer = layer(lines, schemes);
				if (layers.stream().anyMatch(other -> other.name().equals(layer.name()))) {
					throw lines.error("layer " + layer.name() + " appears twice");
				}
				layers.add(layer);
			}
			default -> throw lines.error("expected 'scheme' or 'layer', found '" + lines.keyword() + "'");
			}
		}
		return new QuantizedNetworkExport(lines.network(), lines.producer(), layers);
	}

	private static ExportedLayer layer(ExportLines lines, Map<Scheme, WeightQuantizer> schemes) throws IOException {
		String name = lines.word(1);
		boolean conv = lines.word(2).equals("conv");
		if (!conv && !lines.word(2).equals("linear")) {
			throw lines.error("layer " + name + " is '" + lines.word(2) + "', not conv or linear");
		}
		lines.length(conv ? 21 : 7);
		lines.label(3, "in");
		lines.label(5, "out");
		int in = lines.integer(4, 1);
		int out = lines.integer(6, 1);
		Size2d one = Size2d.square(1);
		Size2d kernel = one, stride = one, padding = Size2d.square(0), dilation = one;
		int groups = 1;
		if (conv) {
			kernel = size(lines, 7, "kernel", 1);
			stride = size(lines, 10, "stride", 1);
			padding = size(lines, 13, "padding", 0);
			dilation = size(lines, 16, "dilation", 1);
			lines.label(19, "groups");
			groups = lines.integer(20, 1);
			if (in % groups != 0 || out % groups != 0) {
				throw lines.error(groups + " groups do not divide " + in + " inputs and " + out + " outputs");
			}
		}
		long fanIn = (long) in / groups * kernel.height() * kernel.width();
		if (fanIn > Integer.MAX_VALUE) {
			throw lines.error("layer " + name + " has " + fanIn + " weights per row, more than a row can hold");
		}
		lines.expect("input", "the input record of layer " + name);
		lines.length(5);
		boolean signed = lines.word(1).equals("signed");
		if (!signed && !lines.word(1).equals("unsigned")) {
			throw lines.error("'" + lines.word(1) + "' is neither signed nor unsigned");
		}
		lines.label(3, "scale");
		int bits = lines.integer(2);
		if (!SchemeKind.FIXED.allows(bits)) {
			throw lines.error("activations of " + bits + " bits; fixed-point takes 2 to 16");
		}
		double scale = positive(lines, 4);
		List<ExportedRow> rows = new ArrayList<>();
		for (int r = 0; r < out; r++) {
			lines.expect("row", "row " + r + " of layer " + name);
			if (lines.integer(1) != r) {
				throw lines.error("row " + lines.word(1) + " where row " + r + " belongs");
			}
			Scheme scheme = scheme(lines, 2);
			WeightQuantizer quantizer = schemes.get(scheme);
			if (quantizer == null) {
				throw lines.error(scheme + " has no scheme record");
			}
			lines.label(4, "step");
			lines.label(6, "bias");
			lines.label(8, "codes");
			int[] codes = lines.integers(9, (int) fanIn);
			for (int code : codes) {
				if (Math.abs(code) > quantizer.maxCode()) {
					throw lines.error("code " + code + " lies outside " + scheme);
				}
			}
			rows.add(new ExportedRow(scheme, positive(lines, 5), lines.real(7), codes));
		}
		lines.expect("end", "the end of layer " + name);
		lines.length(1);
		return new ExportedLayer(name, conv, in, out, kernel, stride, padding, dilation, groups, signed, bits, scale,
				rows);
	}

	private static Scheme scheme(ExportLines lines, int position) throws ExportFormatException {
		String kind = lines.word(position);
		for (SchemeKind candidate : SchemeKind.values()) {
			if (candidate.keyword().equals(kind)) {
				int bits = lines.integer(position + 1);
				if (!candidate.allows(bits)) {
					throw lines.error(kind + " " + bits + " is not a scheme");
				}
				return new Scheme(candidate, bits);
			}
		}
		throw lines.error("'" + kind + "' is not a scheme kind");
	}

	private static Size2d size(ExportLines lines, int position, String label, int minimum)
			throws ExportFormatException {
		lines.label(position, label);
		return new Size2d(lines.integer(position + 1, minimum), lines.integer(position + 2, minimum));
	}

	/** Scales and steps: a weight or activation is its integer times one, so zero or less means nothing. */
	private static double positive(ExportLines lines, int position) throws ExportFormatException {
		double value = lines.real(position);
		if (value <= 0) {
			throw lines.error(lines.word(position) + " where a positive scale belongs");
		}
		return value;
	}
}
