package org.ilmpq.core.export;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.ExactSum;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * Runs an exported network on one sample as the accelerator computes it (docs/export-format.md, "What a layer
 * computes"), in plain Java: each quantized layer quantizes its input to integer codes, accumulates codes times
 * integer weights exactly, and scales the sum per row; the layers between them work in double precision in
 * PyTorch's order of operations. The generated script's {@code reference_run} computes the same, so the two give
 * the same golden data bit for bit: the check that the export says everything a reader needs.
 */
public final class ReferenceInference {

	/**
	 * @param inputCodes the input codes of every quantized layer, in the order the layers ran
	 * @param output the network's output
	 */
	public record Result(Map<String, Tensor> inputCodes, Tensor output) {
	}

	private final NetworkAnalysis analysis;
	private final Map<String, ExportedLayer> layers;
	/** The BatchNorms the export folded into the layer before them. */
	private final Set<String> foldedBatchNorms;
	/** Whether {@link #quantized} sets each layer's input scale from its input first ({@link #calibrated}). */
	private boolean calibrating;

	/**
	 * @param analysis the spec's network; its conv and linear layers must be in the export, and each BatchNorm must
	 *            follow one of them (the export folded it)
	 */
	public ReferenceInference(NetworkAnalysis analysis, QuantizedNetworkExport export) {
		analysis.firstError().ifPresent(p -> {
			throw new IllegalArgumentException("network " + analysis.network().name() + " has errors: " + p.message());
		});
		this.analysis = analysis;
		this.layers = export.layers().stream()
				.collect(Collectors.toMap(ExportedLayer::name, Function.identity(), (a, b) -> a, HashMap::new));
		this.foldedBatchNorms = BatchNormFolding.of(analysis.network(), layers.keySet()).keySet();
	}

	/**
	 * The export with each quantized layer's input scale set from its input on this sample, the largest magnitude
	 * (1 where the input is all zero), before the layer quantizes it: what the script's {@code calibrate} does with
	 * one sample. For made-up weights, whose scales nothing else sets.
	 */
	public static QuantizedNetworkExport calibrated(NetworkAnalysis analysis, QuantizedNetworkExport export,
			Tensor sample) {
		ReferenceInference reference = new ReferenceInference(analysis, export);
		reference.calibrating = true;
		reference.run(sample);
		return new QuantizedNetworkExport(export.network(), export.producer(),
				export.layers().stream().map(layer -> reference.layers.get(layer.name())).toList());
	}

	public Result run(Tensor sample) {
		List<InputTensor> inputs = analysis.network().inputs();
		if (inputs.size() != 1) {
			throw new IllegalArgumentException("the reference runs networks of one input; this one has " + inputs.size());
		}
		TensorShape expected = inputs.get(0).shape();
		if (sample.channels() != expected.channels() || sample.height() != expected.height()
				|| sample.width() != expected.width()) {
			throw new IllegalArgumentException("a " + sample.dims() + " sample for input " + inputs.get(0).name() + " of "
					+ expected);
		}
		Map<String, Tensor> tensors = new HashMap<>();
		tensors.put(inputs.get(0).name(), sample);
		Map<String, Tensor> inputCodes = new LinkedHashMap<>();
		for (LayerFacts facts : analysis.layers()) {
			Layer layer = facts.layer();
			List<Tensor> in = layer.inputs().stream().map(tensors::get).toList();
			tensors.put(layer.name(), compute(layer, in, inputCodes));
		}
		return new Result(inputCodes, tensors.get(analysis.network().output()));
	}

	private Tensor compute(Layer layer, List<Tensor> in, Map<String, Tensor> inputCodes) {
		Operation operation = layer.operation();
		if (operation.hasWeights()) {
			return quantized(layer, in.get(0), inputCodes);
		} else if (operation instanceof Operation.BatchNorm) {
			return foldedBatchNorm(layer, in.get(0));
		} else if (operation instanceof Operation.Activation activation) {
			return activation(activation, in.get(0));
		} else if (operation instanceof Operation.Pool2d pool) {
			return pool(pool, in.get(0));
		} else if (operation instanceof Operation.GlobalAvgPool) {
			return globalAverage(in.get(0));
		} else if (operation instanceof Operation.Flatten) {
			return new Tensor(in.get(0).values().length, 1, 1, in.get(0).values());
		} else if (operation instanceof Operation.Add) {
			return add(in);
		} else if (operation instanceof Operation.Concat) {
			return concat(in);
		}
		throw new IllegalArgumentException("layer " + layer.name() + " did not lower: " + operation);
	}

	private Tensor quantized(Layer layer, Tensor input, Map<String, Tensor> inputCodes) {
		ExportedLayer exported = layers.get(layer.name());
		if (exported == null) {
			throw new IllegalArgumentException("layer " + layer.name() + " is not in the export");
		}
		checkShape(layer, exported, input);
		if (calibrating) {
			double largest = 0;
			for (double x : input.values()) {
				largest = Math.max(largest, Math.abs(x));
			}
			exported = new ExportedLayer(exported.name(), exported.conv(), exported.in(), exported.out(),
					exported.kernel(), exported.stride(), exported.padding(), exported.dilation(), exported.groups(),
					exported.inputSigned(), exported.inputBits(), largest > 0 ? largest : 1, exported.rows());
			layers.put(layer.name(), exported);
		}
		// a = clamp(round(x / (S / L)), lo, L), ties to even as PyTorch rounds
		int levels = exported.inputLevels();
		double inputStep = exported.inputScale() / levels;
		double low = exported.inputSigned() ? -levels : 0;
		double[] codes = new double[input.values().length];
		for (int i = 0; i < codes.length; i++) {
			codes[i] = Math.min(Math.max(Math.rint(input.values()[i] / inputStep), low), levels);
		}
		// a linear layer reads a flat C x 1 x 1 tensor (validation sees to it): a 1 x 1 convolution of it
		Tensor a = new Tensor(input.channels(), input.height(), input.width(), codes);
		inputCodes.put(layer.name(), a);
		return accumulate(exported, a, inputStep);
	}

	/** The export must be of this spec's layer: same input, outputs and geometry. */
	private static void checkShape(Layer layer, ExportedLayer exported, Tensor input) {
		boolean matches;
		if (layer.operation() instanceof Operation.Conv2d conv) {
			matches = exported.conv() && exported.in() == input.channels()
					&& exported.groups() == conv.grouping().groupsFor(input.channels())
					&& conv.outChannels().orElse(input.channels()) == exported.out() && conv.kernel().equals(exported.kernel())
					&& conv.stride().equals(exported.stride()) && conv.padding().equals(exported.padding())
					&& conv.dilation().equals(exported.dilation());
		} else {
			Operation.Linear linear = (Operation.Linear) layer.operation();
			matches = !exported.conv() && exported.in() == input.values().length && input.height() == 1
					&& input.width() == 1 && linear.outFeatures() == exported.out();
		}
		if (!matches) {
			throw new IllegalArgumentException("the export's layer " + layer.name() + " (" + exported.in() + " in, "
					+ exported.out() + " out) is not the spec's, which reads a " + input.dims() + " tensor");
		}
	}

	/** acc x (STEP x (S / L)) + BIAS per row, acc the exact sum of code x integer weight. */
	private static Tensor accumulate(ExportedLayer layer, Tensor a, double inputStep) {
		Size2d k = layer.kernel(), s = layer.stride(), p = layer.padding(), d = layer.dilation();
		int outHeight = outSize(a.height(), k.height(), s.height(), p.height(), d.height());
		int outWidth = outSize(a.width(), k.width(), s.width(), p.width(), d.width());
		Tensor out = Tensor.zeros(layer.out(), outHeight, outWidth);
		int perGroupIn = layer.in() / layer.groups();
		int perGroupOut = layer.out() / layer.groups();
		for (int r = 0; r < layer.out(); r++) {
			ExportedRow row = layer.rows().get(r);
			WeightQuantizer quantizer = WeightQuantizer.of(row.scheme());
			int[] weights = new int[row.codes().length];
			for (int i = 0; i < weights.length; i++) {
				weights[i] = quantizer.value(row.codes()[i]);
			}
			int firstChannel = r / perGroupOut * perGroupIn;
			double multiplier = row.step() * inputStep;
			for (int oy = 0; oy < outHeight; oy++) {
				for (int ox = 0; ox < outWidth; ox++) {
					long acc = 0;
					int w = 0;
					for (int c = 0; c < perGroupIn; c++) {
						for (int ky = 0; ky < k.height(); ky++) {
							for (int kx = 0; kx < k.width(); kx++, w++) {
								long iy = oy * s.height() - p.height() + ky * d.height();
								long ix = ox * s.width() - p.width() + kx * d.width();
								if (iy >= 0 && iy < a.height() && ix >= 0 && ix < a.width()) {
									acc += (long) a.get(firstChannel + c, (int) iy, (int) ix) * weights[w];
								}
							}
						}
					}
					out.set(r, oy, ox, acc * multiplier + row.bias());
				}
			}
		}
		return out;
	}

	private static int outSize(int in, long kernel, long stride, long padding, long dilation) {
		return Math.toIntExact((in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1);
	}

	/** A BatchNorm the export folded into the layer before it ({@link BatchNormFolding}): the identity. */
	private Tensor foldedBatchNorm(Layer layer, Tensor input) {
		if (!foldedBatchNorms.contains(layer.name())) {
			throw new IllegalArgumentException("batchnorm " + layer.name() + " does not alone follow an exported layer, "
					+ "so the export cannot have folded it");
		}
		return input;
	}

	private static Tensor activation(Operation.Activation activation, Tensor input) {
		double[] out = new double[input.values().length];
		for (int i = 0; i < out.length; i++) {
			double x = Math.max(input.values()[i], 0);
			out[i] = activation.function() == Operation.Activation.Function.RELU6 ? Math.min(x, 6) : x;
		}
		return new Tensor(input.channels(), input.height(), input.width(), out);
	}

	/**
	 * Max pooling over the window inside the input (padding never wins), average pooling as PyTorch's
	 * avg_pool2d: the window's values summed row by row, divided by the whole window, padding included.
	 */
	private static Tensor pool(Operation.Pool2d pool, Tensor input) {
		Size2d k = pool.kernel(), s = pool.stride(), p = pool.padding();
		int outHeight = outSize(input.height(), k.height(), s.height(), p.height(), 1);
		int outWidth = outSize(input.width(), k.width(), s.width(), p.width(), 1);
		Tensor out = Tensor.zeros(input.channels(), outHeight, outWidth);
		boolean max = pool.kind() == Operation.Pool2d.Kind.MAX;
		for (int c = 0; c < input.channels(); c++) {
			for (int oy = 0; oy < outHeight; oy++) {
				for (int ox = 0; ox < outWidth; ox++) {
					double value = max ? Double.NEGATIVE_INFINITY : 0;
					for (long iy = oy * s.height() - p.height(); iy < oy * s.height() - p.height() + k.height(); iy++) {
						for (long ix = ox * s.width() - p.width(); ix < ox * s.width() - p.width() + k.width(); ix++) {
							if (iy >= 0 && iy < input.height() && ix >= 0 && ix < input.width()) {
								double x = input.get(c, (int) iy, (int) ix);
								value = max ? Math.max(value, x) : value + x;
							}
						}
					}
					out.set(c, oy, ox, max ? value : value / (k.height() * k.width()));
				}
			}
		}
		return out;
	}

	/**
	 * Global average pooling as the script's reference computes it ({@code global_average_pool}): each channel's
	 * sum correctly rounded, divided by height x width once.
	 */
	private static Tensor globalAverage(Tensor input) {
		Tensor out = Tensor.zeros(input.channels(), 1, 1);
		int count = input.height() * input.width();
		for (int c = 0; c < input.channels(); c++) {
			double[] channel = Arrays.copyOfRange(input.values(), c * count, (c + 1) * count);
			out.set(c, 0, 0, ExactSum.of(channel) / count);
		}
		return out;
	}

	private static Tensor add(List<Tensor> inputs) {
		double[] out = inputs.get(0).values().clone();
		for (Tensor input : inputs.subList(1, inputs.size())) {
			for (int i = 0; i < out.length; i++) {
				out[i] += input.values()[i];
			}
		}
		Tensor first = inputs.get(0);
		return new Tensor(first.channels(), first.height(), first.width(), out);
	}

	private static Tensor concat(List<Tensor> inputs) {
		int channels = inputs.stream().mapToInt(Tensor::channels).sum();
		double[] out = new double[inputs.stream().mapToInt(t -> t.values().length).sum()];
		int offset = 0;
		for (Tensor input : inputs) {
			System.arraycopy(input.values(), 0, out, offset, input.values().length);
			offset += input.values().length;
		}
		return new Tensor(channels, inputs.get(0).height(), inputs.get(0).width(), out);
	}
}
