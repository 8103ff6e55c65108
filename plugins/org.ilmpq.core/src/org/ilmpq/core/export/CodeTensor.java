package org.ilmpq.core.export;

/**
 * One stored tensor of one sample as integer codes, channels x height x width in row-major order (a vector of n
 * features is n x 1 x 1): what the accelerator writes to memory, unpacked.
 */
public record CodeTensor(int channels, int height, int width, int[] codes) {

	public CodeTensor {
		if (channels < 1 || height < 1 || width < 1
				|| codes.length != Math.multiplyExact(channels, Math.multiplyExact(height, width))) {
			throw new IllegalArgumentException(codes.length + " codes for " + channels + "x" + height + "x" + width);
		}
	}

	public static CodeTensor zeros(int channels, int height, int width) {
		return new CodeTensor(channels, height, width, new int[channels * height * width]);
	}

	public int get(int c, int y, int x) {
		return codes[(c * height + y) * width + x];
	}

	public void set(int c, int y, int x, int code) {
		codes[(c * height + y) * width + x] = code;
	}

	/** As the export writes dimensions: {@code CxHxW}, or {@code F} for a vector. */
	public String dims() {
		return height == 1 && width == 1 ? Integer.toString(channels) : channels + "x" + height + "x" + width;
	}

	/** The index of the first code that differs, or -1 when all are equal (the record's equals compares arrays by identity). */
	public int firstDifference(CodeTensor other) {
		if (other.channels != channels || other.height != height || other.width != width) {
			throw new IllegalArgumentException("a " + dims() + " tensor compared with a " + other.dims() + " one");
		}
		return java.util.Arrays.mismatch(codes, other.codes);
	}

	/** Where index {@code i} lies, for messages: {@code index 40 (channel 2, y 2, x 0)}. */
	public String position(int index) {
		if (height == 1 && width == 1) {
			return "index " + index;
		}
		int area = height * width;
		return "index " + index + " (channel " + index / area + ", y " + index % area / width + ", x " + index % width + ")";
	}

	@Override
	public String toString() {
		return "CodeTensor " + dims();
	}
}
