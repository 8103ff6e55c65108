package org.ilmpq.core.export;

/**
 * One real sample, channels x height x width in row-major order; a vector of n features is n x 1 x 1: what
 * {@link ExportCalibration} quantizes into the network input's codes. Codes themselves are {@link CodeTensor}s.
 */
public record Tensor(int channels, int height, int width, double[] values) {

	public Tensor {
		if (channels < 1 || height < 1 || width < 1
				|| values.length != Math.multiplyExact(channels, Math.multiplyExact(height, width))) {
			throw new IllegalArgumentException(values.length + " values for " + channels + "x" + height + "x" + width);
		}
	}

	public static Tensor zeros(int channels, int height, int width) {
		return new Tensor(channels, height, width, new double[channels * height * width]);
	}

	public double get(int c, int y, int x) {
		return values[(c * height + y) * width + x];
	}

	public void set(int c, int y, int x, double value) {
		values[(c * height + y) * width + x] = value;
	}

	/** As the export writes dimensions: {@code CxHxW}, or {@code F} for a vector. */
	public String dims() {
		return height == 1 && width == 1 ? Integer.toString(channels) : channels + "x" + height + "x" + width;
	}

	/**
	 * The index of the first value that differs numerically (0.0 equals -0.0), or -1 when all are equal. The values
	 * array makes the record's own equals an identity check; this is the comparison to use.
	 */
	public int firstDifference(Tensor other) {
		if (other.channels != channels || other.height != height || other.width != width) {
			throw new IllegalArgumentException("a " + dims() + " tensor compared with a " + other.dims() + " one");
		}
		for (int i = 0; i < values.length; i++) {
			if (!(values[i] == other.values[i])) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public String toString() {
		return "Tensor " + dims();
	}
}
