package org.ilmpq.core.integer;

/**
 * How a stored tensor's values are written as integer codes: {@code bits} wide, unsigned where the tensor cannot
 * be negative (it passed a ReLU), symmetric signed otherwise. A value is {@code code x step}, the step being the
 * tensor's clipping scale over {@link #levels()}; zero is code 0 (no zero point: the quantizers are symmetric).
 *
 * @param bits 2 to 16
 */
public record CodeFormat(int bits, boolean signed) {

	public CodeFormat {
		if (bits < 2 || bits > 16) {
			throw new IllegalArgumentException("codes of 2 to 16 bits, not " + bits);
		}
	}

	/** The largest code L: {@code 2^bits - 1} unsigned, {@code 2^(bits-1) - 1} signed. */
	public int levels() {
		return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
	}

	/** The smallest code: {@code -L} signed (symmetric, so that negating a code never overflows), 0 unsigned. */
	public int lowest() {
		return signed ? -levels() : 0;
	}

	/**
	 * Codes one memory word of {@code wordBits} holds: the largest power of two that fits, so that a code's word
	 * and place in it are a shift and a mask of its index, never a division (4-bit codes: 16 in 64 bits; 5-bit
	 * ones 8, not 12).
	 */
	public int codesPerWord(int wordBits) {
		return codesPerWord(bits, wordBits);
	}

	/** {@link #codesPerWord(int)} for codes of any width: weights use it too. */
	public static int codesPerWord(int bits, int wordBits) {
		if (bits > wordBits) {
			throw new IllegalArgumentException(bits + "-bit codes do not fit a " + wordBits + "-bit word");
		}
		return Integer.highestOneBit(wordBits / bits);
	}

	@Override
	public String toString() {
		return bits + "-bit " + (signed ? "signed" : "unsigned");
	}
}
