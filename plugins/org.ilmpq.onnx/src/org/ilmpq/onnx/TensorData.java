package org.ilmpq.onnx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.ilmpq.onnx.proto.OnnxProto.StringStringEntryProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorProto;

/**
 * The values of an initializer: in the model (its typed fields or raw little-endian bytes), or external data in a
 * file beside the model (ONNX's external data: "location", "offset", "length"), which must lie in the model's folder.
 */
public final class TensorData {

	private TensorData() {
	}

	/** The tensor's raw bytes: its {@code raw_data}, or its external data. */
	static ByteBuffer raw(OnnxModelFile file, TensorProto tensor) throws OnnxFormatException {
		if (tensor.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
			return tensor.getRawData().asReadOnlyByteBuffer();
		}
		String location = null;
		long offset = 0;
		long length = -1;
		try {
			for (StringStringEntryProto entry : tensor.getExternalDataList()) {
				switch (entry.getKey()) {
				case "location" -> location = entry.getValue();
				case "offset" -> offset = Long.parseLong(entry.getValue());
				case "length" -> length = Long.parseLong(entry.getValue());
				default -> {
				}
				}
			}
		} catch (NumberFormatException e) {
			throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName()
					+ "' has an external data offset or length that is not a number", e);
		}
		if (location == null) {
			throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName()
					+ "' is external data without a location");
		}
		Path folder = file.path().toAbsolutePath().normalize().getParent();
		Path data = folder.resolve(location).normalize();
		if (!data.startsWith(folder)) {
			throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName() + "' has its data at '"
					+ location + "', outside the model's folder");
		}
		long bytes = length >= 0 ? length : OnnxGraphImport.elementCount(tensor) * elementBytes(tensor);
		if (bytes > Integer.MAX_VALUE) {
			throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName() + "' has " + bytes
					+ " bytes, more than one buffer holds");
		}
		try (RandomAccessFile in = new RandomAccessFile(data.toFile(), "r")) {
			if (offset < 0 || offset + bytes > in.length()) {
				throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName() + "' needs bytes "
						+ offset + " to " + (offset + bytes) + " of " + location + ", which has " + in.length());
			}
			byte[] buffer = new byte[(int) bytes];
			in.seek(offset);
			in.readFully(buffer);
			return ByteBuffer.wrap(buffer);
		} catch (IOException e) {
			throw new OnnxFormatException(file.path() + ": cannot read the external data of initializer '"
					+ tensor.getName() + "' from " + data + ": " + e.getMessage(), e);
		}
	}

	private static int elementBytes(TensorProto tensor) {
		return tensor.getDataType() == TensorProto.DataType.DOUBLE_VALUE
				|| tensor.getDataType() == TensorProto.DataType.INT64_VALUE ? 8 : 4;
	}

	/** A float or double tensor's values as floats, in ONNX's (row-major) order. */
	public static float[] floats(OnnxModelFile file, TensorProto tensor) throws OnnxFormatException {
		long count = OnnxGraphImport.elementCount(tensor);
		float[] values = new float[Math.toIntExact(count)];
		if (tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE && tensor.getFloatDataCount() == count
				&& count > 0) {
			for (int i = 0; i < count; i++) {
				values[i] = tensor.getFloatData(i);
			}
			return values;
		}
		if (tensor.getDataType() == TensorProto.DataType.DOUBLE_VALUE && tensor.getDoubleDataCount() == count
				&& count > 0) {
			for (int i = 0; i < count; i++) {
				values[i] = (float) tensor.getDoubleData(i);
			}
			return values;
		}
		ByteBuffer raw = raw(file, tensor).order(ByteOrder.LITTLE_ENDIAN);
		int size = elementBytes(tensor);
		if (raw.remaining() != count * size) {
			throw new OnnxFormatException(file.path() + ": initializer '" + tensor.getName() + "' has " + count
					+ " values in " + raw.remaining() + " bytes");
		}
		for (int i = 0; i < count; i++) {
			values[i] = size == 8 ? (float) raw.getDouble() : raw.getFloat();
		}
		return values;
	}
}
