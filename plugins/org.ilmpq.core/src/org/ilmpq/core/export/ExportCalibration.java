package org.ilmpq.core.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;

/**
 * An export made from real-valued rows (each row's codes with its real step and bias), calibrated on one sample:
 * step by step, each quantization group's scale is the largest value it meets on the sample, as the script's
 * {@code calibrate} takes the largest value on its batches; then the step's integers are derived from the scales
 * exactly as the script's export derives them ({@link IntegerArithmetic}), and the step runs on integers. What the
 * HLS generator does for seeded made-up weights, whose scales nothing else sets; the golden data are the integer
 * pipeline's.
 */
public final class ExportCalibration {

	/** A row before its integers: codes, and its real step (a weight is value(code) x step) and bias. */
	public record RealRow(Scheme scheme, double step, double bias, int[] codes) {
	}

	public record Result(QuantizedNetworkExport export, GoldenData golden) {
	}

	private final IntegerNetwork program;
	private final Map<String, List<RealRow>> rows;
	private final Map<String, Double> groupScales = new HashMap<>();
	private final Map<String, CodeTensor> codes = new LinkedHashMap<>();
	private final List<ExportedLayer> layers = new ArrayList<>();
	private final List<ExportedRescale> rescales = new ArrayList<>();

	private ExportCalibration(IntegerNetwork program, Map<String, List<RealRow>> rows) {
		this.program = program;
		this.rows = rows;
	}

	/**
	 * @param rows every weight layer's rows, by layer name
	 * @param sample the network's one input, real-valued
	 */
	public static Result of(IntegerNetwork program, Map<String, List<RealRow>> rows, Tensor sample, String producer) {
		if (program.inputs().size() != 1) {
			throw new IllegalArgumentException("network " + program.name() + " has " + program.inputs().size()
					+ " inputs");
		}
		ExportCalibration calibration = new ExportCalibration(program, rows);
		calibration.quantizeInput(program.inputs().get(0), sample);
		for (IntegerNetwork.Step step : program.steps()) {
			calibration.codes.put(step.output(), calibration.compute(step));
		}
		List<ExportedTensor> tensors = new ArrayList<>();
		for (IntegerNetwork.StoredTensor tensor : program.tensors()) {
			TensorShape shape = tensor.shape();
			tensors.add(new ExportedTensor(tensor.name(), (int) shape.channels(), (int) shape.height(),
					(int) shape.width(), program.format(tensor.name()), calibration.groupScales.get(tensor.group())));
		}
		QuantizedNetworkExport export = new QuantizedNetworkExport(program.name(), producer, tensors,
				calibration.layers, calibration.rescales);
		return new Result(export, new GoldenData(program.name(), calibration.codes, program.output()));
	}

	/** The input's scale is its largest magnitude; codes {@code clamp(rint(x / step))}, ties to even as PyTorch. */
	private void quantizeInput(String input, Tensor sample) {
		CodeFormat format = program.format(input);
		double step = scale(program.tensor(input).group(), peak(sample.values(), format)) / format.levels();
		int[] inputCodes = new int[sample.values().length];
		for (int i = 0; i < inputCodes.length; i++) {
			inputCodes[i] = (int) Math.max(format.lowest(), Math.min(format.levels(), Math.rint(sample.values()[i] / step)));
		}
		codes.put(input, new CodeTensor(sample.channels(), sample.height(), sample.width(), inputCodes));
	}

	private CodeTensor compute(IntegerNetwork.Step step) {
		TensorShape shape = program.tensor(step.output()).shape();
		CodeFormat format = program.format(step.output());
		return step.accept(new ReferenceInference.CodeSteps(codes, shape, format) {
			@Override
			public CodeTensor weight(IntegerNetwork.WeightStep weight) {
				return weightLayer(weight, shape, format);
			}

			@Override
			public CodeTensor add(IntegerNetwork.AddStep add) {
				return rescale(add.name(), "add", add.operands(), add.output(), Optional.empty());
			}

			@Override
			public CodeTensor activation(IntegerNetwork.ActivationStep activation) {
				return rescale(activation.name(), activation.function() == Operation.Activation.Function.RELU ? "relu"
						: "relu6", List.of(activation.input()), activation.output(),
						Optional.of(activation.function()));
			}
		});
	}

	private CodeTensor weightLayer(IntegerNetwork.WeightStep step, TensorShape shape, CodeFormat format) {
		List<RealRow> real = rows.get(step.name());
		if (real == null || real.size() != step.facts().rows()) {
			throw new IllegalArgumentException("no rows for layer " + step.name());
		}
		double inputStep = step(step.input());
		ExportedLayer geometry = layer(step, real.stream().map(r -> new ExportedRow(r.scheme(),
				new IntegerArithmetic.Multiplier(0, 0), 0, r.codes())).toList(), 0, 0, Optional.empty());
		long[][] acc = ReferenceInference.accumulate(geometry, ReferenceInference.integerWeights(geometry),
				codes.get(step.input()), shape);
		int pixels = (int) (shape.height() * shape.width());
		CodeTensor residual = step.residual().map(codes::get).orElse(null);
		double residualStep = step.residual().map(this::step).orElse(0.0);
		double[] values = new double[acc.length * pixels];
		for (int r = 0; r < acc.length; r++) {
			for (int p = 0; p < pixels; p++) {
				double y = acc[r][p] * real.get(r).step() * inputStep + real.get(r).bias();
				if (residual != null) {
					y += residual.codes()[r * pixels + p] * residualStep;
				}
				values[r * pixels + p] = activate(y, step.activation());
			}
		}
		double outputStep = scale(program.tensor(step.output()).group(), peak(values, format)) / format.levels();
		List<ExportedRow> exported = new ArrayList<>();
		for (RealRow row : real) {
			exported.add(new ExportedRow(row.scheme(), IntegerArithmetic.rowMultiplier(row.step(), inputStep, outputStep),
					IntegerArithmetic.bias(row.bias(), outputStep), row.codes()));
		}
		int[] clamp = clamp(format, step.activation(), outputStep);
		Optional<ExportedLayer.Operand> operand = step.residual().map(tensor -> new ExportedLayer.Operand(tensor,
				IntegerArithmetic.operandMultiplier(residualStep, outputStep)));
		ExportedLayer layer = layer(step, exported, clamp[0], clamp[1], operand);
		layers.add(layer);
		return ReferenceInference.weightLayer(layer, ReferenceInference.integerWeights(layer), codes.get(step.input()),
				residual, shape);
	}

	private ExportedLayer layer(IntegerNetwork.WeightStep step, List<ExportedRow> exported, int lowest, int highest,
			Optional<ExportedLayer.Operand> residual) {
		TensorShape in = step.inputShape();
		Size2d one = Size2d.square(1);
		if (step.operation() instanceof Operation.Conv2d conv) {
			return new ExportedLayer(step.name(), true, (int) in.channels(), (int) step.facts().rows(), conv.kernel(),
					conv.stride(), conv.padding(), conv.dilation(), (int) conv.grouping().groupsFor(in.channels()),
					step.input(), step.output(), lowest, highest, residual, exported);
		}
		return new ExportedLayer(step.name(), false, Math.toIntExact(in.elements()), (int) step.facts().rows(), one, one,
				Size2d.square(0), one, 1, step.input(), step.output(), lowest, highest, residual, exported);
	}

	private CodeTensor rescale(String name, String kind, List<String> operands, String output,
			Optional<Operation.Activation.Function> activation) {
		TensorShape shape = program.tensor(output).shape();
		CodeFormat format = program.format(output);
		double[] values = new double[Math.toIntExact(shape.elements())];
		for (String operand : operands) {
			double step = step(operand);
			int[] in = codes.get(operand).codes();
			for (int i = 0; i < values.length; i++) {
				values[i] += in[i] * step;
			}
		}
		for (int i = 0; i < values.length; i++) {
			values[i] = activate(values[i], activation);
		}
		double outputStep = scale(program.tensor(output).group(), peak(values, format)) / format.levels();
		List<ExportedLayer.Operand> list = operands.stream()
				.map(o -> new ExportedLayer.Operand(o, IntegerArithmetic.operandMultiplier(step(o), outputStep))).toList();
		int[] clamp = clamp(format, activation, outputStep);
		ExportedRescale rescale = new ExportedRescale(name, kind, list, output, clamp[0], clamp[1]);
		rescales.add(rescale);
		return ReferenceInference.rescale(rescale, operands.stream().map(codes::get).toList(), shape);
	}

	/** The clamp of an output: its format's codes, from 0 after a ReLU, to the code of 6 after a ReLU6. */
	static int[] clamp(CodeFormat format, Optional<Operation.Activation.Function> activation, double step) {
		int lowest = activation.isPresent() ? 0 : format.lowest();
		int highest = activation.filter(f -> f == Operation.Activation.Function.RELU6).isPresent()
				? IntegerArithmetic.reluSixCode(step, format) : format.levels();
		return new int[] { lowest, highest };
	}

	private static double activate(double y, Optional<Operation.Activation.Function> activation) {
		if (activation.isEmpty()) {
			return y;
		}
		double relu = Math.max(y, 0);
		return activation.get() == Operation.Activation.Function.RELU6 ? Math.min(relu, 6) : relu;
	}

	/** The largest value a tensor's codes must reach: its largest magnitude, or largest value when unsigned. */
	private static double peak(double[] values, CodeFormat format) {
		double peak = 0;
		for (double value : values) {
			peak = Math.max(peak, format.signed() ? Math.abs(value) : value);
		}
		return peak;
	}

	/** A group's scale: set by the first of its tensors calibrated (1 where that is all zero), kept after. */
	private double scale(String group, double peak) {
		return groupScales.computeIfAbsent(group, g -> peak > 0 ? peak : 1);
	}

	private double step(String tensor) {
		return groupScales.get(program.tensor(tensor).group()) / program.format(tensor).levels();
	}
}
