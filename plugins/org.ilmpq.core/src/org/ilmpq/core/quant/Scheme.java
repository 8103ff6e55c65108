package org.ilmpq.core.quant;

/**
 * A quantization scheme with its bit width, written {@code pot 4}, {@code fixed 8} in a spec. Only the widths its
 * kind takes make a scheme: every cost and grid downstream (a power-of-two shifter grows with 2^bits) may rely on
 * that, so a width out of range is refused here, where it enters the core, not deep inside a model.
 */
public record Scheme(SchemeKind kind, int bits) {

	public Scheme {
		if (!kind.allows(bits)) {
			throw new IllegalArgumentException(kind.keyword() + " " + bits + " is not a scheme: " + kind.keyword()
					+ " takes " + kind.minBits() + " to " + kind.maxBits() + " bits");
		}
	}

	public static Scheme fixed(int bits) {
		return new Scheme(SchemeKind.FIXED, bits);
	}

	public static Scheme pot(int bits) {
		return new Scheme(SchemeKind.POT, bits);
	}

	/**
	 * Orders schemes by how much precision they keep: more bits first; at equal width fixed-point before SP2
	 * before power-of-two, since a power-of-two grid is the coarsest at large magnitudes.
	 */
	public boolean isWiderThan(Scheme other) {
		if (bits != other.bits) {
			return bits > other.bits;
		}
		return kind.precisionRank() > other.kind.precisionRank();
	}

	@Override
	public String toString() {
		return kind.keyword() + " " + bits;
	}
}
