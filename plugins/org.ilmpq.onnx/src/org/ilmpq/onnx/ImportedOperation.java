package org.ilmpq.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * An operation of the language, as the importer maps an ONNX node (or a few: MatMul + Add, a Reshape with its
 * shape subgraph) to it: its keyword and its arguments in the order a person writes them.
 */
public sealed interface ImportedOperation {

	/** The operation's keyword: conv, linear, batchnorm, relu, relu6, maxpool, avgpool, globalavgpool, add, ... */
	String keyword();

	/** Its arguments after the input tensors; each left out where it is the language's default. */
	default List<Argument> arguments() {
		return List.of();
	}

	/**
	 * An argument: {@code key=text}, left out where the text is the language's {@code defaultText}. A numeric
	 * argument a block may take as a parameter has its {@code value}; the others have -1.
	 */
	record Argument(String key, String text, long value, String defaultText) {

		static Argument number(String key, long value, String defaultText) {
			return new Argument(key, Long.toString(value), value, defaultText);
		}

		static Argument text(String key, String text, String defaultText) {
			return new Argument(key, text, -1, defaultText);
		}

		/** Whether a block may make this argument a parameter: a number that may differ from call to call. */
		public boolean numeric() {
			return value >= 0;
		}
	}

	/** A size of two dimensions as the language writes it: one number where it is square. */
	static String size(long height, long width) {
		return height == width ? Long.toString(height) : height + " x " + width;
	}

	/**
	 * conv: out channels (left out on a depthwise one, which keeps its input's), kernel, stride, padding, dilation,
	 * groups, bias.
	 */
	record Conv(long out, long kernelHeight, long kernelWidth, long strideHeight, long strideWidth, long padHeight,
			long padWidth, long dilationHeight, long dilationWidth, long groups, boolean depthwise, boolean bias)
			implements ImportedOperation {

		@Override
		public String keyword() {
			return "conv";
		}

		@Override
		public List<Argument> arguments() {
			List<Argument> arguments = new ArrayList<>();
			if (!depthwise) {
				arguments.add(Argument.number("out", out, null));
			}
			arguments.add(Argument.text("kernel", size(kernelHeight, kernelWidth), null));
			arguments.add(strideHeight == strideWidth ? Argument.number("stride", strideHeight, "1")
					: Argument.text("stride", size(strideHeight, strideWidth), "1"));
			arguments.add(Argument.text("padding", size(padHeight, padWidth), "0"));
			arguments.add(Argument.text("dilation", size(dilationHeight, dilationWidth), "1"));
			arguments.add(Argument.text("groups", depthwise ? "depthwise" : Long.toString(groups), "1"));
			arguments.add(Argument.text("bias", Boolean.toString(bias), "true"));
			return arguments;
		}
	}

	/** linear: out features, bias. */
	record Linear(long out, boolean bias) implements ImportedOperation {

		@Override
		public String keyword() {
			return "linear";
		}

		@Override
		public List<Argument> arguments() {
			return List.of(Argument.number("out", out, null), Argument.text("bias", Boolean.toString(bias), "true"));
		}
	}

	/** batchnorm, with the language's epsilon (1e-5, PyTorch's). */
	record BatchNorm() implements ImportedOperation {

		@Override
		public String keyword() {
			return "batchnorm";
		}
	}

	/** relu, or relu6 (ONNX's Clip between 0 and 6). */
	record Activation(boolean six) implements ImportedOperation {

		@Override
		public String keyword() {
			return six ? "relu6" : "relu";
		}
	}

	/** maxpool or avgpool (the average over the whole window, padding included: PyTorch's default). */
	record Pool(boolean max, long kernelHeight, long kernelWidth, long strideHeight, long strideWidth, long padHeight,
			long padWidth) implements ImportedOperation {

		@Override
		public String keyword() {
			return max ? "maxpool" : "avgpool";
		}

		@Override
		public List<Argument> arguments() {
			String kernel = size(kernelHeight, kernelWidth);
			return List.of(Argument.text("kernel", kernel, null),
					Argument.text("stride", size(strideHeight, strideWidth), kernel),
					Argument.text("padding", size(padHeight, padWidth), "0"));
		}
	}

	record GlobalAvgPool() implements ImportedOperation {

		@Override
		public String keyword() {
			return "globalavgpool";
		}
	}

	record Add() implements ImportedOperation {

		@Override
		public String keyword() {
			return "add";
		}
	}

	/** concat, along the channels. */
	record Concat() implements ImportedOperation {

		@Override
		public String keyword() {
			return "concat";
		}
	}

	record Flatten() implements ImportedOperation {

		@Override
		public String keyword() {
			return "flatten";
		}
	}
}
