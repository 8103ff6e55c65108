package org.ilmpq.core.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * Runs an exported network on one sample as the integer accelerator computes it (docs/quantization.md, "Integer
 * requantization"), in plain Java and integers only: each step of the network's integer program
 * ({@link IntegerNetwork}) reads the codes of stored tensors and writes the codes of its own. The generated
 * script's export computes the same with int64 tensors, the HLS design in C++: the three give the same golden
 * data bit for bit, which shows that the export says everything a reader needs.
 */
public final class ReferenceInference {

	private final IntegerNetwork program;
	private final QuantizedNetworkExport export;
	private final Map<String, int[][]> weights = new LinkedHashMap<>();

	/**
	 * @throws IllegalArgumentException when the export is not of this program: a step or tensor missing, another
	 *             shape, format or tensor read or written
	 */
	public ReferenceInference(IntegerNetwork program, QuantizedNetworkExport export) {
		this.program = program;
		this.export = export;
		check(program, export);
		for (ExportedLayer layer : export.layers()) {
			weights.put(layer.name(), integerWeights(layer));
		}
	}

	/** The codes of every stored tensor, in the order they are written, from the codes of the network's input. */
	public Map<String, CodeTensor> run(CodeTensor input) {
		List<String> inputs = program.inputs();
		if (inputs.size() != 1) {
			throw new IllegalArgumentException("network " + program.name() + " has " + inputs.size() + " inputs");
		}
		return run(Map.of(inputs.get(0), input));
	}

	public Map<String, CodeTensor> run(Map<String, CodeTensor> inputs) {
		Map<String, CodeTensor> codes = new LinkedHashMap<>();
		for (String input : program.inputs()) {
			CodeTensor tensor = inputs.get(input);
			TensorShape shape = program.tensor(input).shape();
			if (tensor == null || tensor.channels() != shape.channels() || tensor.height() != shape.height()
					|| tensor.width() != shape.width()) {
				throw new IllegalArgumentException("input " + input + " takes " + shape + " codes, not "
						+ (tensor == null ? "none" : tensor.dims()));
			}
			CodeFormat format = program.format(input);
			for (int code : tensor.codes()) {
				if (code < format.lowest() || code > format.levels()) {
					throw new IllegalArgumentException("input " + input + ": code " + code + " is not " + format);
				}
			}
			codes.put(input, tensor);
		}
		for (IntegerNetwork.Step step : program.steps()) {
			codes.put(step.output(), compute(step, codes));
		}
		return codes;
	}

	private CodeTensor compute(IntegerNetwork.Step step, Map<String, CodeTensor> codes) {
		CodeFormat format = program.format(step.output());
		TensorShape shape = program.tensor(step.output()).shape();
		return step.accept(new CodeSteps(codes, shape, format) {
			@Override
			public CodeTensor weight(IntegerNetwork.WeightStep weight) {
				ExportedLayer layer = export.layer(weight.name()).orElseThrow();
				CodeTensor residual = layer.residual().map(r -> codes.get(r.tensor())).orElse(null);
				return weightLayer(layer, weights.get(layer.name()), codes.get(layer.input()), residual, shape);
			}

			@Override
			public CodeTensor add(IntegerNetwork.AddStep add) {
				return rescaled(add);
			}

			@Override
			public CodeTensor activation(IntegerNetwork.ActivationStep activation) {
				return rescaled(activation);
			}

			/** An add or activation: its operands rescaled to its output's step by the export's multipliers. */
			private CodeTensor rescaled(IntegerNetwork.Step step) {
				ExportedRescale rescale = export.rescale(step.name()).orElseThrow();
				return rescale(rescale, rescale.operands().stream().map(o -> codes.get(o.tensor())).toList(), shape);
			}
		});
	}

	/**
	 * The steps that only move codes, pools and concatenation, computed alike by the reference and by the export's
	 * calibration; each says how its weight layers, adds and activations compute.
	 */
	abstract static class CodeSteps implements IntegerNetwork.Step.Visitor<CodeTensor> {
		private final Map<String, CodeTensor> codes;
		private final TensorShape shape;
		private final CodeFormat format;

		/** @param codes the codes of the tensors computed so far; {@code shape}, {@code format}: the step's output's */
		CodeSteps(Map<String, CodeTensor> codes, TensorShape shape, CodeFormat format) {
			this.codes = codes;
			this.shape = shape;
			this.format = format;
		}

		@Override
		public CodeTensor pool(IntegerNetwork.PoolStep pool) {
			return ReferenceInference.pool(pool.pool(), codes.get(pool.input()), shape, format);
		}

		@Override
		public CodeTensor globalPool(IntegerNetwork.GlobalPoolStep global) {
			return ReferenceInference.globalPool(codes.get(global.input()), format);
		}

		@Override
		public CodeTensor concat(IntegerNetwork.ConcatStep concat) {
			return ReferenceInference.concat(concat.operands().stream().map(codes::get).toList(), shape);
		}
	}

	/** The integer weight of every code, {@code sign(c) x magnitude(|c|)} of its row's scheme. */
	static int[][] integerWeights(ExportedLayer layer) {
		int[][] values = new int[layer.rows().size()][];
		for (int r = 0; r < values.length; r++) {
			ExportedRow row = layer.rows().get(r);
			WeightQuantizer quantizer = WeightQuantizer.of(row.scheme());
			values[r] = new int[row.codes().length];
			for (int i = 0; i < values[r].length; i++) {
				values[r][i] = quantizer.value(row.codes()[i]);
			}
		}
		return values;
	}

	/**
	 * A conv or linear layer: per row and output pixel the exact sum of input code x integer weight, then
	 * {@code z = floor(acc x M / 2^s) + B [+ residual code x R]} and the code of z, clamped.
	 */
	static CodeTensor weightLayer(ExportedLayer layer, int[][] weights, CodeTensor input, CodeTensor residual,
			TensorShape output) {
		long[][] acc = accumulate(layer, weights, input, output);
		CodeTensor out = CodeTensor.zeros((int) output.channels(), (int) output.height(), (int) output.width());
		int pixels = (int) (output.height() * output.width());
		for (int r = 0; r < layer.out(); r++) {
			ExportedRow row = layer.rows().get(r);
			for (int p = 0; p < pixels; p++) {
				long z = row.multiplier().apply(acc[r][p]) + row.bias();
				if (residual != null) {
					z += (long) residual.codes()[r * pixels + p] * layer.residual().get().multiplier();
				}
				out.codes()[r * pixels + p] = IntegerArithmetic.code(z, layer.lowest(), layer.highest());
			}
		}
		return out;
	}

	/**
	 * The accumulators of every row and output pixel (row-major). A linear layer reads its input as a vector, in
	 * the order the codes lie (channel, row, column): PyTorch's flatten.
	 */
	static long[][] accumulate(ExportedLayer layer, int[][] weights, CodeTensor input, TensorShape output) {
		int inHeight = layer.conv() ? input.height() : 1;
		int inWidth = layer.conv() ? input.width() : 1;
		int outHeight = (int) output.height();
		int outWidth = (int) output.width();
		int kh = (int) layer.kernel().height(), kw = (int) layer.kernel().width();
		int sh = (int) layer.stride().height(), sw = (int) layer.stride().width();
		int ph = (int) layer.padding().height(), pw = (int) layer.padding().width();
		int dh = (int) layer.dilation().height(), dw = (int) layer.dilation().width();
		int perGroupIn = layer.in() / layer.groups();
		int perGroupOut = layer.out() / layer.groups();
		int[] a = input.codes();
		long[][] acc = new long[layer.out()][outHeight * outWidth];
		for (int r = 0; r < layer.out(); r++) {
			int[] w = weights[r];
			int firstChannel = r / perGroupOut * perGroupIn;
			for (int oy = 0; oy < outHeight; oy++) {
				for (int ox = 0; ox < outWidth; ox++) {
					long sum = 0;
					int i = 0;
					for (int c = 0; c < perGroupIn; c++) {
						for (int ky = 0; ky < kh; ky++) {
							int iy = oy * sh - ph + ky * dh;
							for (int kx = 0; kx < kw; kx++, i++) {
								int ix = ox * sw - pw + kx * dw;
								if (iy >= 0 && iy < inHeight && ix >= 0 && ix < inWidth) {
									sum += (long) a[((firstChannel + c) * inHeight + iy) * inWidth + ix] * w[i];
								}
							}
						}
					}
					acc[r][oy * outWidth + ox] = sum;
				}
			}
		}
		return acc;
	}

	/**
	 * Max pooling compares the codes of the window inside the map (padding never wins); average pooling sums them
	 * (padding counts as zeros, PyTorch's count_include_pad) and takes the mean with the window's fixed-point
	 * reciprocal. Input and output share one scale (one quantization group).
	 */
	static CodeTensor pool(Operation.Pool2d pool, CodeTensor input, TensorShape output, CodeFormat format) {
		Size2d k = pool.kernel(), s = pool.stride(), p = pool.padding();
		CodeTensor out = CodeTensor.zeros(input.channels(), (int) output.height(), (int) output.width());
		boolean max = pool.kind() == Operation.Pool2d.Kind.MAX;
		IntegerArithmetic.Reciprocal reciprocal = IntegerArithmetic.Reciprocal.of(k.height() * k.width());
		for (int c = 0; c < input.channels(); c++) {
			for (int oy = 0; oy < out.height(); oy++) {
				for (int ox = 0; ox < out.width(); ox++) {
					long value = max ? Long.MIN_VALUE : 0;
					for (long iy = oy * s.height() - p.height(); iy < oy * s.height() - p.height() + k.height(); iy++) {
						for (long ix = ox * s.width() - p.width(); ix < ox * s.width() - p.width() + k.width(); ix++) {
							if (iy >= 0 && iy < input.height() && ix >= 0 && ix < input.width()) {
								int code = input.get(c, (int) iy, (int) ix);
								value = max ? Math.max(value, code) : value + code;
							}
						}
					}
					out.set(c, oy, ox, max ? (int) value : reciprocal.mean(value, format.lowest(), format.levels()));
				}
			}
		}
		return out;
	}

	/** Global average pooling: each channel's sum times the reciprocal of height x width. */
	static CodeTensor globalPool(CodeTensor input, CodeFormat format) {
		CodeTensor out = CodeTensor.zeros(input.channels(), 1, 1);
		int area = input.height() * input.width();
		IntegerArithmetic.Reciprocal reciprocal = IntegerArithmetic.Reciprocal.of(area);
		for (int c = 0; c < input.channels(); c++) {
			long sum = 0;
			for (int i = 0; i < area; i++) {
				sum += input.codes()[c * area + i];
			}
			out.codes()[c] = reciprocal.mean(sum, format.lowest(), format.levels());
		}
		return out;
	}

	/** An add or activation of its own: {@code z = sum of code x R}, then its code, clamped. */
	static CodeTensor rescale(ExportedRescale rescale, List<CodeTensor> operands, TensorShape output) {
		CodeTensor out = CodeTensor.zeros((int) output.channels(), (int) output.height(), (int) output.width());
		for (int i = 0; i < out.codes().length; i++) {
			long z = 0;
			for (int k = 0; k < operands.size(); k++) {
				z += (long) operands.get(k).codes()[i] * rescale.operands().get(k).multiplier();
			}
			out.codes()[i] = IntegerArithmetic.code(z, rescale.lowest(), rescale.highest());
		}
		return out;
	}

	/** Concat along channels: the operands' codes one after the other (they share one scale). */
	static CodeTensor concat(List<CodeTensor> operands, TensorShape output) {
		int[] codes = new int[Math.toIntExact(output.elements())];
		int offset = 0;
		for (CodeTensor operand : operands) {
			System.arraycopy(operand.codes(), 0, codes, offset, operand.codes().length);
			offset += operand.codes().length;
		}
		return new CodeTensor((int) output.channels(), (int) output.height(), (int) output.width(), codes);
	}

	/** The export must be this program's: every step and stored tensor, with the program's shapes and formats. */
	static void check(IntegerNetwork program, QuantizedNetworkExport export) {
		for (IntegerNetwork.StoredTensor tensor : program.tensors()) {
			ExportedTensor exported = export.tensor(tensor.name()).orElseThrow(() -> new IllegalArgumentException(
					"the export has no tensor " + tensor.name()));
			TensorShape shape = tensor.shape();
			if (exported.channels() != shape.channels() || exported.height() != shape.height()
					|| exported.width() != shape.width() || !exported.format().equals(program.format(tensor.name()))) {
				throw new IllegalArgumentException("the export's tensor " + tensor.name() + " is " + exported.dims() + " "
						+ exported.format() + ", the network's " + shape + " " + program.format(tensor.name()));
			}
		}
		List<String> expected = new ArrayList<>();
		for (IntegerNetwork.Step step : program.steps()) {
			if (step instanceof IntegerNetwork.WeightStep weight) {
				expected.add(step.name());
				ExportedLayer layer = export.layer(step.name()).orElseThrow(() -> new IllegalArgumentException(
						"the export has no layer " + step.name()));
				checkLayer(weight, layer);
			} else if (step instanceof IntegerNetwork.AddStep || step instanceof IntegerNetwork.ActivationStep) {
				expected.add(step.name());
				ExportedRescale rescale = export.rescale(step.name()).orElseThrow(() -> new IllegalArgumentException(
						"the export has no rescale " + step.name()));
				if (!rescale.output().equals(step.output())
						|| !rescale.operands().stream().map(ExportedLayer.Operand::tensor).toList().equals(step.inputs())) {
					throw new IllegalArgumentException("the export's rescale " + step.name() + " reads or writes other "
							+ "tensors than the network's " + step.inputs() + " -> " + step.output());
				}
			}
		}
		List<String> found = new ArrayList<>();
		export.layers().forEach(layer -> found.add(layer.name()));
		export.rescales().forEach(rescale -> found.add(rescale.name()));
		if (found.size() != expected.size()) {
			throw new IllegalArgumentException("the export has the steps " + found + ", the network " + expected);
		}
	}

	private static void checkLayer(IntegerNetwork.WeightStep step, ExportedLayer layer) {
		TensorShape in = step.inputShape();
		boolean matches;
		if (step.operation() instanceof Operation.Conv2d conv) {
			matches = layer.conv() && layer.in() == in.channels()
					&& layer.groups() == conv.grouping().groupsFor(in.channels())
					&& step.facts().rows() == layer.out() && conv.kernel().equals(layer.kernel())
					&& conv.stride().equals(layer.stride()) && conv.padding().equals(layer.padding())
					&& conv.dilation().equals(layer.dilation());
		} else {
			matches = !layer.conv() && layer.in() == in.elements() && step.facts().rows() == layer.out();
		}
		if (!matches) {
			throw new IllegalArgumentException("the export's layer " + layer.name() + " (" + layer.in() + " in, "
					+ layer.out() + " out) is not the network's, which reads a " + in + " tensor");
		}
		if (!layer.input().equals(step.input()) || !layer.output().equals(step.output())
				|| !layer.residual().map(ExportedLayer.Operand::tensor).equals(step.residual())) {
			throw new IllegalArgumentException("the export's layer " + layer.name() + " reads or writes other tensors "
					+ "than the network's " + step.inputs() + " -> " + step.output());
		}
	}
}
