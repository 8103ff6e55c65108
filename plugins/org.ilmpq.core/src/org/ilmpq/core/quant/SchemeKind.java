package org.ilmpq.core.quant;

/**
 * The weight quantization schemes of ILMPQ (arXiv 2111.00155) and the papers it builds on.
 * The bit-width ranges are those for which the scheme makes sense in hardware:
 * <ul>
 * <li>fixed-point (FILM-QNN Eq. 1-3): any width from ternary-like 2 bits to 16; products map to DSP48 slices;</li>
 * <li>power-of-two (Mix-and-Match, HPCA 2021): one sign bit, the rest an exponent, so m bits give shifts by
 * 0 .. 2^(m-1)-2; beyond 5 bits the shift range (0..14 at 5 bits, 0..30 at 6) outgrows any activation width;</li>
 * <li>SP2, sum of two powers of two (Mix-and-Match): one sign bit and two exponent fields, so at least 3 bits.</li>
 * </ul>
 */
public enum SchemeKind {
	FIXED("fixed", 2, 16, 2),
	POT("pot", 2, 5, 0),
	SP2("sp2", 3, 6, 1);

	private final String keyword;
	private final int minBits;
	private final int maxBits;
	private final int precisionRank;

	SchemeKind(String keyword, int minBits, int maxBits, int precisionRank) {
		this.keyword = keyword;
		this.minBits = minBits;
		this.maxBits = maxBits;
		this.precisionRank = precisionRank;
	}

	/**
	 * At one bit width, how much precision the grid keeps, higher is more: a uniform grid (fixed) keeps its
	 * resolution at large magnitudes, a sum of two powers of two (SP2) less, a single power of two the least.
	 */
	int precisionRank() {
		return precisionRank;
	}

	public String keyword() {
		return keyword;
	}

	public int minBits() {
		return minBits;
	}

	public int maxBits() {
		return maxBits;
	}

	public boolean allows(long bits) {
		return bits >= minBits && bits <= maxBits;
	}
}
