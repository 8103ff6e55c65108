package org.ilmpq.core.model;

import java.util.OptionalLong;

/**
 * What a layer computes. Shapes are not part of an operation: {@link org.ilmpq.core.analysis.LayerShapeInference}
 * derives them from the input shapes.
 * <p>
 * Code that must treat every kind of operation (its shape, its integer step, its PyTorch expression) goes through
 * {@link Visitor}, never an {@code instanceof} chain: a new kind adds a method there, and each such place then fails
 * to compile until it says what the new kind does (docs/language.md, "Adding an operation"). An {@code instanceof}
 * test remains right where one kind is special and every other kind, present or future, is alike (a batch norm
 * folds into the layer before it; nothing else does).
 */
public sealed interface Operation {

	/** Calls the method of {@code visitor} for this kind of operation. */
	<R> R accept(Visitor<R> visitor);

	/** One method per kind of operation. */
	interface Visitor<R> {
		R conv2d(Conv2d conv);

		R linear(Linear linear);

		R batchNorm(BatchNorm batchNorm);

		R activation(Activation activation);

		R pool2d(Pool2d pool);

		R globalAvgPool(GlobalAvgPool pool);

		R flatten(Flatten flatten);

		R add(Add add);

		R concat(Concat concat);

		/** A layer the front end could not lower: the callers say nothing more about it. */
		R unresolved(Unresolved unresolved);
	}

	/** Operator name as written in a spec ({@code conv}, {@code add}, ...). */
	String keyword();

	/** True for the layers whose weight matrix has rows to split between quantization schemes. */
	default boolean hasWeights() {
		return false;
	}

	/** How many inputs the operation takes: exactly one, or (for add and concat) two or more. */
	default boolean takesManyInputs() {
		return false;
	}

	/**
	 * A 2-D convolution. {@code outChannels} is empty only for a depthwise convolution that keeps the channel
	 * count; a depthwise convolution has as many groups as input channels.
	 */
	record Conv2d(OptionalLong outChannels, Size2d kernel, Size2d stride, Size2d padding, Size2d dilation,
			Grouping grouping, boolean bias) implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.conv2d(this);
		}

		@Override
		public String keyword() {
			return "conv";
		}

		@Override
		public boolean hasWeights() {
			return true;
		}
	}

	/** Either a fixed number of groups or depthwise (one group per input channel). */
	record Grouping(long groups, boolean depthwise) {
		public static final Grouping NONE = new Grouping(1, false);
		public static final Grouping DEPTHWISE = new Grouping(0, true);

		public static Grouping of(long groups) {
			return new Grouping(groups, false);
		}

		public long groupsFor(long inputChannels) {
			return depthwise ? inputChannels : groups;
		}
	}

	record Linear(long outFeatures, boolean bias) implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.linear(this);
		}

		@Override
		public String keyword() {
			return "linear";
		}

		@Override
		public boolean hasWeights() {
			return true;
		}
	}

	record BatchNorm() implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.batchNorm(this);
		}

		@Override
		public String keyword() {
			return "batchnorm";
		}
	}

	record Activation(Function function) implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.activation(this);
		}

		public enum Function {
			RELU, RELU6
		}

		@Override
		public String keyword() {
			return function == Function.RELU ? "relu" : "relu6";
		}
	}

	/** Max or average pooling; the stride defaults to the kernel, as in PyTorch. */
	record Pool2d(Kind kind, Size2d kernel, Size2d stride, Size2d padding) implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.pool2d(this);
		}

		public enum Kind {
			MAX, AVG
		}

		@Override
		public String keyword() {
			return kind == Kind.MAX ? "maxpool" : "avgpool";
		}
	}

	record GlobalAvgPool() implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.globalAvgPool(this);
		}

		@Override
		public String keyword() {
			return "globalavgpool";
		}
	}

	/** Element-wise sum of two or more tensors of one shape: the residual connection. */
	record Add() implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.add(this);
		}

		@Override
		public String keyword() {
			return "add";
		}

		@Override
		public boolean takesManyInputs() {
			return true;
		}
	}

	/** Concatenation along channels of tensors with one spatial extent. */
	record Concat() implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.concat(this);
		}

		@Override
		public String keyword() {
			return "concat";
		}

		@Override
		public boolean takesManyInputs() {
			return true;
		}
	}

	record Flatten() implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.flatten(this);
		}

		@Override
		public String keyword() {
			return "flatten";
		}
	}

	/**
	 * A layer the front end could not lower (an unresolved reference, a syntax error, an argument that does
	 * not evaluate). Its shape, and that of everything downstream, is unknown; the analysis reports nothing
	 * about it, since the front end already has.
	 */
	record Unresolved(String reason) implements Operation {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.unresolved(this);
		}

		@Override
		public String keyword() {
			return "?";
		}
	}
}
