package org.ilmpq.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import org.ilmpq.onnx.proto.OnnxProto.ModelProto;
import org.ilmpq.onnx.proto.OnnxProto.OperatorSetIdProto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * An ONNX model as read from its file: the protobuf message, the SHA-256 of the file (which the imported spec
 * records) and the default domain's opset.
 *
 * @param path the model file; external tensor data lies beside it
 * @param model the parsed model
 * @param sha256 the file's SHA-256, in hex
 * @param opset the version of the default ("" or "ai.onnx") operator set
 */
public record OnnxModelFile(Path path, ModelProto model, String sha256, long opset) {

	/** The opsets whose operators the importer maps: ONNX 1.4 (opset 9) to ONNX 1.16 (opset 21). */
	public static final long MIN_OPSET = 9;
	public static final long MAX_OPSET = 21;

	/**
	 * Reads and parses a model. A file that is not a model gives an {@link OnnxFormatException}, an opset outside
	 * {@link #MIN_OPSET} to {@link #MAX_OPSET} an {@link UnsupportedModelException}.
	 */
	public static OnnxModelFile read(Path path) throws IOException, OnnxFormatException, UnsupportedModelException {
		byte[] bytes = Files.readAllBytes(path);
		// the checksum beside the parse: a pass over a file of up to hundreds of MB each
		CompletableFuture<String> checksum = CompletableFuture.supplyAsync(() -> sha256(bytes));
		ModelProto model;
		try {
			// the initializers' raw bytes stay in the file's array rather than being copied (ResNet-50: 100 MB)
			CodedInputStream input = CodedInputStream.newInstance(bytes);
			input.enableAliasing(true);
			model = ModelProto.parseFrom(input);
			input.checkLastTagWas(0);
		} catch (InvalidProtocolBufferException e) {
			throw new OnnxFormatException(path + ": not an ONNX model (" + e.getMessage() + ")", e);
		}
		// protobuf parses many byte strings as some message: a model has an IR version and a graph with nodes
		if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
			throw new OnnxFormatException(path + ": not an ONNX model (no IR version or no graph)");
		}
		long opset = -1;
		for (OperatorSetIdProto set : model.getOpsetImportList()) {
			if (set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx")) {
				opset = set.getVersion();
			}
		}
		if (opset < 0) {
			// IR version 2 and earlier had no opset_import: operator set 1
			opset = 1;
		}
		if (opset < MIN_OPSET || opset > MAX_OPSET) {
			throw new UnsupportedModelException(path + ": opset " + opset + " of the default ONNX domain; the importer"
					+ " maps opsets " + MIN_OPSET + " to " + MAX_OPSET + " (re-export the model with opset_version in"
					+ " that range)");
		}
		return new OnnxModelFile(path, model, checksum.join(), opset);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java platform has SHA-256", e);
		}
	}
}
