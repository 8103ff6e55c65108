package org.ilmpq.core.analysis;

import static org.ilmpq.core.analysis.SizeLimits.MAX_CHANNELS;
import static org.ilmpq.core.analysis.SizeLimits.MAX_SPATIAL;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Operation.Activation;
import org.ilmpq.core.model.Operation.Add;
import org.ilmpq.core.model.Operation.BatchNorm;
import org.ilmpq.core.model.Operation.Concat;
import org.ilmpq.core.model.Operation.Conv2d;
import org.ilmpq.core.model.Operation.Flatten;
import org.ilmpq.core.model.Operation.GlobalAvgPool;
import org.ilmpq.core.model.Operation.Linear;
import org.ilmpq.core.model.Operation.Pool2d;
import org.ilmpq.core.model.Operation.Unresolved;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;

/**
 * The shape rule of each operation, given the shapes of its inputs: the output shape, the MAC and parameter
 * counts, and every problem with the arguments. Formulas are PyTorch's ({@code torch.nn.Conv2d},
 * {@code MaxPool2d}, {@code AvgPool2d} with {@code ceil_mode=False}), so that a spec and its PyTorch module
 * agree on every shape.
 */
final class LayerShapeInference {

	/** The result for a layer whose shape could be inferred. */
	record Inferred(TensorShape output, long macs, long parameters, long rows) {
	}

	private final Consumer<Problem> problems;

	LayerShapeInference(Consumer<Problem> problems) {
		this.problems = problems;
	}

	/**
	 * @return the inferred facts, or null when the layer has an error or its shape is unknown for a reason
	 *         already reported
	 */
	Inferred infer(Layer layer, List<TensorShape> inputs) {
		Operation op = layer.operation();
		if (op instanceof Unresolved) {
			return null;
		}
		if (!checkInputCount(layer, inputs.size())) {
			return null;
		}
		try {
			TensorShape in = inputs.get(0);
			return op.accept(new Operation.Visitor<Inferred>() {
				@Override
				public Inferred conv2d(Conv2d conv) {
					return conv(layer, conv, in);
				}

				@Override
				public Inferred linear(Linear linear) {
					return LayerShapeInference.this.linear(layer, linear, in);
				}

				@Override
				public Inferred batchNorm(BatchNorm batchNorm) {
					return new Inferred(in, 0, Math.multiplyExact(2, in.channels()), 0);
				}

				@Override
				public Inferred activation(Activation activation) {
					return new Inferred(in, 0, 0, 0);
				}

				@Override
				public Inferred pool2d(Pool2d pool) {
					return pool(layer, pool, in);
				}

				@Override
				public Inferred globalAvgPool(GlobalAvgPool pool) {
					return new Inferred(TensorShape.flat(in.channels()), 0, 0, 0);
				}

				@Override
				public Inferred flatten(Flatten flatten) {
					return LayerShapeInference.this.flatten(layer, in);
				}

				@Override
				public Inferred add(Add add) {
					return LayerShapeInference.this.add(layer, inputs);
				}

				@Override
				public Inferred concat(Concat concat) {
					return LayerShapeInference.this.concat(layer, inputs);
				}

				@Override
				public Inferred unresolved(Unresolved unresolved) {
					return null; // handled above
				}
			});
		} catch (ArithmeticException overflow) {
			report(layer, ProblemCode.SIZE_LIMIT, Focus.LAYER,
					"the MAC or parameter count of " + describe(layer) + " does not fit in 64 bits");
			return null;
		}
	}

	/** Checks the shape of a network input. */
	boolean checkInput(String name, TensorShape shape) {
		boolean ok = true;
		ok &= withinLimit(name, Focus.LAYER, "channels", shape.channels(), 1, MAX_CHANNELS);
		ok &= withinLimit(name, Focus.LAYER, "height", shape.height(), 1, MAX_SPATIAL);
		ok &= withinLimit(name, Focus.LAYER, "width", shape.width(), 1, MAX_SPATIAL);
		return ok;
	}

	private boolean checkInputCount(Layer layer, int count) {
		Operation op = layer.operation();
		if (op.takesManyInputs() && count < 2) {
			report(layer, ProblemCode.INPUT_COUNT, Focus.LAYER,
					op.keyword() + " needs at least two inputs, " + describe(layer) + " has " + count);
			return false;
		}
		if (!op.takesManyInputs() && count != 1) {
			report(layer, ProblemCode.INPUT_COUNT, Focus.LAYER,
					op.keyword() + " takes exactly one input, " + describe(layer) + " has " + count);
			return false;
		}
		return true;
	}

	private Inferred conv(Layer layer, Conv2d conv, TensorShape in) {
		boolean ok = checkWindow(layer, conv.kernel(), conv.stride(), conv.padding());
		ok &= checkSize(layer, "dilation", conv.dilation(), 1);
		long outChannels = conv.outChannels().orElse(in.channels());
		if (conv.outChannels().isPresent()) {
			ok &= withinLimit(layer.name(), Focus.argument("out"), "out", outChannels, 1, MAX_CHANNELS);
		}
		long groups = conv.grouping().groupsFor(in.channels());
		if (!conv.grouping().depthwise()) {
			ok &= withinLimit(layer.name(), Focus.argument("groups"), "groups", groups, 1, MAX_CHANNELS);
		}
		if (!ok) {
			return null;
		}
		String groupsText = conv.grouping().depthwise() ? "depthwise (" + groups + " groups)" : "groups=" + groups;
		if (in.channels() % groups != 0) {
			report(layer, ProblemCode.GROUPS, Focus.argument("groups"),
					groupsText + " does not divide the " + in.channels() + " input channels of " + describe(layer));
			return null;
		}
		if (outChannels % groups != 0) {
			report(layer, ProblemCode.GROUPS, Focus.argument("groups"),
					groupsText + " does not divide the " + outChannels + " output channels of " + describe(layer));
			return null;
		}
		Size2d extent = new Size2d(dilatedExtent(conv.kernel().height(), conv.dilation().height()),
				dilatedExtent(conv.kernel().width(), conv.dilation().width()));
		if (!fits(layer, in, extent, conv.kernel(), conv.dilation(), conv.padding())) {
			return null;
		}
		TensorShape out = new TensorShape(outChannels, outputSize(in.height(), extent.height(), conv.stride().height(),
				conv.padding().height()), outputSize(in.width(), extent.width(), conv.stride().width(), conv.padding().width()));
		long weightsPerRow = Math.multiplyExact(in.channels() / groups,
				Math.multiplyExact(conv.kernel().height(), conv.kernel().width()));
		long macs = Math.multiplyExact(Math.multiplyExact(outChannels, Math.multiplyExact(out.height(), out.width())),
				weightsPerRow);
		long parameters = Math.addExact(Math.multiplyExact(outChannels, weightsPerRow), conv.bias() ? outChannels : 0);
		return new Inferred(out, macs, parameters, outChannels);
	}

	private Inferred linear(Layer layer, Linear linear, TensorShape in) {
		if (!withinLimit(layer.name(), Focus.argument("out"), "out", linear.outFeatures(), 1, MAX_CHANNELS)) {
			return null;
		}
		if (!in.isFlat()) {
			report(layer, ProblemCode.NOT_FLAT, Focus.input(0), "linear needs a flat input, but '" + layer.inputs().get(0)
					+ "' is " + in + "; flatten it first");
			return null;
		}
		long macs = Math.multiplyExact(linear.outFeatures(), in.channels());
		long parameters = Math.addExact(macs, linear.bias() ? linear.outFeatures() : 0);
		return new Inferred(TensorShape.flat(linear.outFeatures()), macs, parameters, linear.outFeatures());
	}

	private Inferred pool(Layer layer, Pool2d pool, TensorShape in) {
		if (!checkWindow(layer, pool.kernel(), pool.stride(), pool.padding())) {
			return null;
		}
		// PyTorch: "pad should be at most half of effective kernel size"
		if (2 * pool.padding().height() > pool.kernel().height() || 2 * pool.padding().width() > pool.kernel().width()) {
			report(layer, ProblemCode.INVALID_ARGUMENT, Focus.argument("padding"), "padding=" + pool.padding()
					+ " is more than half of kernel=" + pool.kernel() + " in " + describe(layer));
			return null;
		}
		if (!fits(layer, in, pool.kernel(), pool.kernel(), Size2d.square(1), pool.padding())) {
			return null;
		}
		TensorShape out = new TensorShape(in.channels(),
				outputSize(in.height(), pool.kernel().height(), pool.stride().height(), pool.padding().height()),
				outputSize(in.width(), pool.kernel().width(), pool.stride().width(), pool.padding().width()));
		return new Inferred(out, 0, 0, 0);
	}

	private Inferred flatten(Layer layer, TensorShape in) {
		long features = in.elements();
		if (!withinLimit(layer.name(), Focus.LAYER, "flattened features", features, 1, MAX_CHANNELS)) {
			return null;
		}
		return new Inferred(TensorShape.flat(features), 0, 0, 0);
	}

	private Inferred add(Layer layer, List<TensorShape> inputs) {
		TensorShape first = inputs.get(0);
		boolean ok = true;
		for (int i = 1; i < inputs.size(); i++) {
			TensorShape other = inputs.get(i);
			if (other.channels() != first.channels()) {
				report(layer, ProblemCode.CHANNEL_MISMATCH, Focus.input(i), "add needs inputs with one channel count: '"
						+ layer.inputs().get(0) + "' has " + first.channels() + ", '" + layer.inputs().get(i) + "' has "
						+ other.channels());
				ok = false;
			}
			if (!other.sameSpatialExtent(first)) {
				report(layer, ProblemCode.SPATIAL_MISMATCH, Focus.input(i), "add needs inputs of one height and width: '"
						+ layer.inputs().get(0) + "' is " + first.spatial() + ", '" + layer.inputs().get(i) + "' is "
						+ other.spatial());
				ok = false;
			}
		}
		return ok ? new Inferred(first, 0, 0, 0) : null;
	}

	private Inferred concat(Layer layer, List<TensorShape> inputs) {
		TensorShape first = inputs.get(0);
		long channels = first.channels();
		boolean ok = true;
		for (int i = 1; i < inputs.size(); i++) {
			TensorShape other = inputs.get(i);
			if (!other.sameSpatialExtent(first)) {
				report(layer, ProblemCode.SPATIAL_MISMATCH, Focus.input(i), "concat needs inputs of one height and width: '"
						+ layer.inputs().get(0) + "' is " + first.spatial() + ", '" + layer.inputs().get(i) + "' is "
						+ other.spatial());
				ok = false;
			}
			channels = Math.addExact(channels, other.channels());
		}
		if (ok && !withinLimit(layer.name(), Focus.LAYER, "concatenated channels", channels, 1, MAX_CHANNELS)) {
			return null;
		}
		return ok ? new Inferred(new TensorShape(channels, first.height(), first.width()), 0, 0, 0) : null;
	}

	private boolean checkWindow(Layer layer, Size2d kernel, Size2d stride, Size2d padding) {
		boolean ok = checkSize(layer, "kernel", kernel, 1);
		ok &= checkSize(layer, "stride", stride, 1);
		ok &= checkSize(layer, "padding", padding, 0);
		return ok;
	}

	private boolean checkSize(Layer layer, String argument, Size2d size, long min) {
		return withinLimit(layer.name(), Focus.argument(argument), argument, size.height(), min, MAX_SPATIAL)
				&& withinLimit(layer.name(), Focus.argument(argument), argument, size.width(), min, MAX_SPATIAL);
	}

	/** The kernel, dilated, must fit the padded input (PyTorch raises "Kernel size can't be greater than actual input size"). */
	private boolean fits(Layer layer, TensorShape in, Size2d extent, Size2d kernel, Size2d dilation, Size2d padding) {
		long paddedHeight = in.height() + 2 * padding.height();
		long paddedWidth = in.width() + 2 * padding.width();
		if (extent.height() <= paddedHeight && extent.width() <= paddedWidth) {
			return true;
		}
		String kernelText = "kernel " + kernel.height() + "x" + kernel.width();
		if (dilation.height() != 1 || dilation.width() != 1) {
			kernelText += " (dilated to " + extent.height() + "x" + extent.width() + ")";
		}
		String inputText = "'" + layer.inputs().get(0) + "' is " + in.spatial();
		if (padding.height() != 0 || padding.width() != 0) {
			inputText += ", " + paddedHeight + " x " + paddedWidth + " with padding " + padding;
		}
		report(layer, ProblemCode.KERNEL_TOO_LARGE, Focus.argument("kernel"),
				kernelText + " is larger than its input in " + describe(layer) + ": " + inputText);
		return false;
	}

	private boolean withinLimit(String subject, Focus focus, String what, long value, long min, long max) {
		if (value < min) {
			String message = what + "=" + value + " in '" + subject + "': must be at least " + min;
			if (focus.kind() == Focus.Kind.LAYER) {
				message = "'" + subject + "' has " + value + " " + what + "; it needs at least " + min;
			}
			problems.accept(Problem.error(subject, ProblemCode.INVALID_ARGUMENT, focus, message));
			return false;
		}
		if (value > max) {
			String limit = String.format(Locale.ROOT, "%,d (2^%d)", max, Long.numberOfTrailingZeros(max));
			String count = String.format(Locale.ROOT, "%,d", value);
			String message = what + "=" + count + " in '" + subject + "' is beyond the " + limit + " this tool accepts";
			if (focus.kind() == Focus.Kind.LAYER) {
				message = "'" + subject + "' has " + count + " " + what + ", beyond the " + limit + " this tool accepts";
			}
			problems.accept(Problem.error(subject, ProblemCode.SIZE_LIMIT, focus, message));
			return false;
		}
		return true;
	}

	private void report(Layer layer, ProblemCode code, Focus focus, String message) {
		problems.accept(Problem.error(layer.name(), code, focus, message));
	}

	private static String describe(Layer layer) {
		return "'" + layer.name() + "'";
	}

	private static long dilatedExtent(long kernel, long dilation) {
		return dilation * (kernel - 1) + 1;
	}

	/** floor((in + 2 p - extent) / stride) + 1, for an extent that fits the padded input. */
	private static long outputSize(long in, long extent, long stride, long padding) {
		return (in + 2 * padding - extent) / stride + 1;
	}
}
