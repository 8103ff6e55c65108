package org.ilmpq.onnx;

/**
 * A readable ONNX model that a spec cannot describe exactly: an operator outside the supported set, an attribute
 * the language has no word for (asymmetric padding, a pool's ceil mode that changes the output size), an opset
 * outside 9 to 21, or an input shape that is symbolic. The message names the node, its inputs and the path from
 * the graph's input to it.
 */
public final class UnsupportedModelException extends Exception {

	private static final long serialVersionUID = 1L;

	public UnsupportedModelException(String message) {
		super(message);
	}
}
