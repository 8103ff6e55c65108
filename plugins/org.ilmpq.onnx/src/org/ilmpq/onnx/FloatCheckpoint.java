package org.ilmpq.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The float weights of an imported network, as the generated script's {@code train --init} and
 * {@code calibrate --init} read them: a NumPy {@code .npz} (a zip of {@code .npy} arrays, NumPy's format 1.0) with
 * one float32 array per layer and PyTorch parameter, named after the layer as the spec's block calls lower it
 * ({@code layer1_0.conv1.weight}, {@code layer1_0.bn1.running_var}), in PyTorch's layouts: a convolution's weight
 * (out, in / groups, kh, kw), a linear layer's (out, in). Entries in name order, with a fixed time: the same model
 * gives the same bytes.
 */
public final class FloatCheckpoint {

	private FloatCheckpoint() {
	}

	/**
	 * Writes the checkpoint; {@code names} gives each layer's lowered name by its name in the network
	 * ({@link ImportedSpecWriter.WrittenSpec}).
	 */
	public static void write(OutputStream out, ImportedNetwork network, Map<String, String> names)
			throws IOException, OnnxFormatException {
		Map<String, Array> arrays = new TreeMap<>();
		for (ImportedNetwork.Layer layer : network.layers()) {
			for (Map.Entry<String, ImportedNetwork.Parameter> parameter : layer.parameters().entrySet()) {
				arrays.put(names.get(layer.name()) + "." + parameter.getKey(), array(network.source(), parameter.getValue()));
			}
		}
		// finished, not closed: the stream is the caller's
		ZipOutputStream zip = new ZipOutputStream(out);
		for (Map.Entry<String, Array> entry : arrays.entrySet()) {
			byte[] bytes = npy(entry.getValue());
			ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".npy");
			zipEntry.setMethod(ZipEntry.STORED);
			zipEntry.setSize(bytes.length);
			CRC32 crc = new CRC32();
			crc.update(bytes);
			zipEntry.setCrc(crc.getValue());
			zipEntry.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
			zip.putNextEntry(zipEntry);
			zip.write(bytes);
			zip.closeEntry();
		}
		zip.finish();
	}

	private record Array(long[] shape, float[] values) {
	}

	/** A parameter's values in PyTorch's layout: a (in, out) weight transposed, the offset added. */
	private static Array array(OnnxModelFile file, ImportedNetwork.Parameter parameter) throws OnnxFormatException {
		float[] values = TensorData.floats(file, parameter.tensor());
		long[] shape = parameter.tensor().getDimsList().stream().mapToLong(Long::longValue).toArray();
		if (parameter.transposed()) {
			int in = (int) shape[0];
			int out = (int) shape[1];
			float[] transposed = new float[values.length];
			for (int i = 0; i < in; i++) {
				for (int o = 0; o < out; o++) {
					transposed[o * in + i] = values[i * out + o];
				}
			}
			values = transposed;
			shape = new long[] { out, in };
		}
		if (parameter.offset() != 0) {
			for (int i = 0; i < values.length; i++) {
				values[i] = (float) (values[i] + parameter.offset());
			}
		}
		return new Array(shape, values);
	}

	/** An array in NumPy's .npy format 1.0: magic, version, header (padded to 64 bytes), little-endian float32. */
	private static byte[] npy(Array array) {
		List<String> dims = new ArrayList<>();
		for (long dim : array.shape()) {
			dims.add(Long.toString(dim));
		}
		String shape = dims.size() == 1 ? "(" + dims.get(0) + ",)" : "(" + String.join(", ", dims) + ")";
		StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
		while ((10 + header.length() + 1) % 64 != 0) {
			header.append(' ');
		}
		header.append('\n');
		byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);
		ByteBuffer buffer = ByteBuffer.allocate(10 + text.length + 4 * array.values().length)
				.order(ByteOrder.LITTLE_ENDIAN);
		buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
		buffer.putShort((short) text.length).put(text);
		for (float value : array.values()) {
			buffer.putFloat(value);
		}
		return buffer.array();
	}
}
