package org.ilmpq.core.model;

/**
 * The shape of one activation tensor, batch dimension left out: channels x height x width. A flat vector of
 * {@code n} features (after {@code flatten} or global pooling) is {@code n x 1 x 1}.
 */
public record TensorShape(long channels, long height, long width) {

	public static TensorShape flat(long features) {
		return new TensorShape(features, 1, 1);
	}

	/** True when the spatial extent is 1 x 1, so that a linear layer can read it as a vector. */
	public boolean isFlat() {
		return height == 1 && width == 1;
	}

	/** Number of values; throws {@link ArithmeticException} rather than wrapping around. */
	public long elements() {
		return Math.multiplyExact(channels, Math.multiplyExact(height, width));
	}

	public boolean sameSpatialExtent(TensorShape other) {
		return height == other.height && width == other.width;
	}

	public String spatial() {
		return height + " x " + width;
	}

	@Override
	public String toString() {
		return channels + " x " + height + " x " + width;
	}
}
