package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The {@code weights.txt} of an export (docs/export-format.md, version 2): the stored tensors with their code
 * formats and scales, then the quantized layers and the requantizing steps between them, with every integer the
 * accelerator needs. Reading checks every record against the format, every scheme table against
 * {@link WeightQuantizer}, and every integer against the width the accelerator gives it, so that a reader, the
 * quantizer and the hardware cannot disagree on what a number means.
 */
public record QuantizedNetworkExport(String network, String producer, List<ExportedTensor> tensors,
		List<ExportedLayer> layers, List<ExportedRescale> rescales) {

	public QuantizedNetworkExport {
		tensors = List.copyOf(tensors);
		layers = List.copyOf(layers);
		rescales = List.copyOf(rescales);
	}

	public Optional<ExportedTensor> tensor(String name) {
		return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
	}

	public Optional<ExportedLayer> layer(String name) {
		return layers.stream().filter(l -> l.name().equals(name)).findFirst();
	}

	public Optional<ExportedRescale> rescale(String name) {
		return rescales.stream().filter(r -> r.name().equals(name)).findFirst();
	}

	public static QuantizedNetworkExport read(Path weights) throws IOException {
		ExportLines lines = ExportLines.open(weights);
		lines.expect("fraction-bits", "the fraction bits of the requantization sums");
		lines.length(2);
		if (lines.integer(1) != IntegerArithmetic.FRACTION_BITS) {
			throw lines.error("sums with " + lines.word(1) + " fraction bits; this reads "
					+ IntegerArithmetic.FRACTION_BITS);
		}
		Map<Scheme, WeightQuantizer> schemes = new LinkedHashMap<>();
		Map<String, ExportedTensor> tensors = new LinkedHashMap<>();
		List<ExportedLayer> layers = new ArrayList<>();
		List<ExportedRescale> rescales = new ArrayList<>();
		List<String> steps = new ArrayList<>();
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
			case "tensor" -> {
				ExportedTensor tensor = tensor(lines);
				if (tensors.put(tensor.name(), tensor) != null) {
					throw lines.error("tensor " + tensor.name() + " appears twice");
				}
			}
			case "layer" -> {
				checkNew(lines, steps, lines.word(1));
				layers.add(layer(lines, schemes, tensors));
			}
			case "rescale" -> {
				checkNew(lines, steps, lines.word(1));
				rescales.add(rescale(lines, tensors));
			}
			default -> throw lines.error("expected 'scheme', 'tensor', 'layer' or 'rescale', found '" + lines.keyword()
					+ "'");
			}
		}
		return new QuantizedNetworkExport(lines.network(), lines.producer(), List.copyOf(tensors.values()), layers,
				rescales);
	}

	private static void checkNew(ExportLines lines, List<String> steps, String name) throws ExportFormatException {
		if (steps.contains(name)) {
			throw lines.error("step " + name + " appears twice");
		}
		steps.add(name);
	}

	private static ExportedTensor tensor(ExportLines lines) throws ExportFormatException {
		lines.length(7);
		int[] dims = lines.dims(2);
		boolean signed = signedness(lines, 3);
		int bits = lines.integer(4);
		if (bits < 2 || bits > 16) {
			throw lines.error("codes of " + bits + " bits; a tensor's codes have 2 to 16");
		}
		lines.label(5, "scale");
		return new ExportedTensor(lines.word(1), dims[0], dims[1], dims[2], new CodeFormat(bits, signed),
				positive(lines, 6));
	}

	private static ExportedLayer layer(ExportLines lines, Map<Scheme, WeightQuantizer> schemes,
			Map<String, ExportedTensor> tensors) throws IOException {
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
		lines.length(2);
		String input = known(lines, 1, tensors).name();
		lines.expect("output", "the output record of layer " + name);
		lines.length(5);
		ExportedTensor output = known(lines, 1, tensors);
		int[] clamp = clamp(lines, 2, output.format());
		Optional<ExportedLayer.Operand> residual = Optional.empty();
		lines.expectAny("row 0 of layer " + name);
		if (lines.keyword().equals("residual")) {
			lines.length(4);
			lines.label(2, "multiplier");
			residual = Optional.of(new ExportedLayer.Operand(known(lines, 1, tensors).name(), operandMultiplier(lines, 3)));
			lines.expectAny("row 0 of layer " + name);
		}
		List<ExportedRow> rows = new ArrayList<>();
		for (int r = 0; r < out; r++) {
			if (r > 0) {
				lines.expectAny("row " + r + " of layer " + name);
			}
			lines.keyword("row", "row " + r + " of layer " + name);
			if (lines.integer(1) != r) {
				throw lines.error("row " + lines.word(1) + " where row " + r + " belongs");
			}
			Scheme scheme = scheme(lines, 2);
			WeightQuantizer quantizer = schemes.get(scheme);
			if (quantizer == null) {
				throw lines.error(scheme + " has no scheme record");
			}
			lines.label(4, "multiplier");
			lines.label(6, "shift");
			lines.label(8, "bias");
			lines.label(10, "codes");
			int mantissa = bounded(lines, 5, 0, (1L << IntegerArithmetic.MULTIPLIER_BITS) - 1, "a multiplier");
			int shift = bounded(lines, 7, IntegerArithmetic.MIN_SHIFT, IntegerArithmetic.MAX_SHIFT, "a shift");
			long bias = bounded(lines, 9, -(1L << (IntegerArithmetic.BIAS_BITS - 1)),
					(1L << (IntegerArithmetic.BIAS_BITS - 1)) - 1, "a bias");
			int[] codes = lines.integers(11, (int) fanIn);
			for (int code : codes) {
				if (Math.abs(code) > quantizer.maxCode()) {
					throw lines.error("code " + code + " lies outside " + scheme);
				}
			}
			rows.add(new ExportedRow(scheme, new IntegerArithmetic.Multiplier(mantissa, shift), bias, codes));
		}
		lines.expect("end", "the end of layer " + name);
		lines.length(1);
		return new ExportedLayer(name, conv, in, out, kernel, stride, padding, dilation, groups, input, output.name(),
				clamp[0], clamp[1], residual, rows);
	}

	private static ExportedRescale rescale(ExportLines lines, Map<String, ExportedTensor> tensors)
			throws ExportFormatException {
		String name = lines.word(1);
		String kind = lines.word(2);
		if (!List.of("add", "relu", "relu6").contains(kind)) {
			throw lines.error("rescale " + name + " is '" + kind + "', not add, relu or relu6");
		}
		lines.label(3, "output");
		ExportedTensor output = known(lines, 4, tensors);
		int[] clamp = clamp(lines, 5, output.format());
		lines.label(8, "operands");
		int operands = lines.size() - 9;
		if (operands < 2 || operands % 2 != 0 || (kind.equals("add") ? operands < 4 : operands != 2)) {
			throw lines.error("rescale " + name + " lists " + operands + " words of operands where "
					+ (kind.equals("add") ? "two or more" : "one") + " tensor and multiplier pairs belong");
		}
		List<ExportedLayer.Operand> list = new ArrayList<>();
		for (int i = 9; i < lines.size(); i += 2) {
			list.add(new ExportedLayer.Operand(known(lines, i, tensors).name(), operandMultiplier(lines, i + 1)));
		}
		return new ExportedRescale(name, kind, list, output.name(), clamp[0], clamp[1]);
	}

	/** {@code clamp LO HI} at {@code position}: the codes an output may take, within its format. */
	private static int[] clamp(ExportLines lines, int position, CodeFormat format) throws ExportFormatException {
		lines.label(position, "clamp");
		int lowest = lines.integer(position + 1);
		int highest = lines.integer(position + 2);
		if (lowest < format.lowest() || highest > format.levels() || lowest > highest) {
			throw lines.error("clamp " + lowest + " " + highest + " is not within the " + format + " codes "
					+ format.lowest() + " to " + format.levels());
		}
		return new int[] { lowest, highest };
	}

	private static int operandMultiplier(ExportLines lines, int position) throws ExportFormatException {
		return bounded(lines, position, 0, (1L << IntegerArithmetic.OPERAND_MULTIPLIER_BITS) - 1, "a multiplier");
	}

	private static ExportedTensor known(ExportLines lines, int position, Map<String, ExportedTensor> tensors)
			throws ExportFormatException {
		ExportedTensor tensor = tensors.get(lines.word(position));
		if (tensor == null) {
			throw lines.error("tensor " + lines.word(position) + " has no tensor record");
		}
		return tensor;
	}

	private static int bounded(ExportLines lines, int position, long lowest, long highest, String what)
			throws ExportFormatException {
		long value = lines.longInteger(position);
		if (value < lowest || value > highest) {
			throw lines.error(value + " is not " + what + " (" + lowest + " to " + highest + ")");
		}
		return (int) value;
	}

	private static boolean signedness(ExportLines lines, int position) throws ExportFormatException {
		boolean signed = lines.word(position).equals("signed");
		if (!signed && !lines.word(position).equals("unsigned")) {
			throw lines.error("'" + lines.word(position) + "' is neither signed nor unsigned");
		}
		return signed;
	}

	/** {@code KIND BITS} at {@code position}: a scheme the quantizer knows. */
	static Scheme scheme(ExportLines lines, int position) throws ExportFormatException {
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

	/** Scales: a value is its code times one step, so zero or less means nothing. */
	private static double positive(ExportLines lines, int position) throws ExportFormatException {
		double value = lines.real(position);
		if (value <= 0) {
			throw lines.error(lines.word(position) + " where a positive scale belongs");
		}
		return value;
	}
}
