package org.ilmpq.onnx;

/**
 * A file that is not a readable ONNX model: not protobuf, truncated, without a graph, or with tensor data that
 * cannot be found. Nothing in it was imported.
 */
public final class OnnxFormatException extends Exception {

	private static final long serialVersionUID = 1L;

	public OnnxFormatException(String message) {
		super(message);
	}

	public OnnxFormatException(String message, Throwable cause) {
		super(message, cause);
	}
}
