package org.ilmpq.core.hardware;

/**
 * LUT counts of arithmetic derived from the structure of the 7-series and UltraScale logic (docs/hardware-model.md,
 * "Fabric costs"). The engines', the requantizers' and the depthwise lanes' costs are synthesis's
 * ({@link UnitCostTable}); these structural counts cost what the calibration does not synthesize (the output
 * stage's lane multiplexers, the line buffers' distributed RAM) and scale a calibrated unit to a width the table
 * does not hold. Synthesis shows them low for arithmetic: a pot 4 lane and its share of the adder tree are 25 LUTs
 * here, 72 in Yosys's mapping, the firmware's product being signed and negated where this counts the sign free.
 * The structure:
 * <ul>
 * <li>an n-bit adder (or accumulator) is n LUTs feeding the carry chain: "the carry chain ... S inputs are sourced
 * from the O6 output of a function generator" (UG474, "Carry Logic"; UG574 likewise);</li>
 * <li>a k:1 multiplexer is ceil(k/4) LUT6: "4:1 multiplexers using one LUT", "8:1 using two LUTs", "16:1 using four
 * LUTs" with the F7/F8 muxes between them (UG474, "Multiplexers").</li>
 * </ul>
 */
public final class FabricCosts {

	private FabricCosts() {
	}

	public static long adder(int bits) {
		return bits;
	}

	/**
	 * A signed {@code aBits} x {@code bBits} product on LUTs (an array multiplier, the pattern Vivado maps a product
	 * to when it is bound to the fabric): a partial product of the wider operand per bit of the narrower, summed by
	 * one adder a bit beyond the first, each one bit wider than the operand (the AND of a partial product shares the
	 * adder's LUT). 8 x 5 bits: 36 LUTs.
	 */
	public static long multiplier(int aBits, int bBits) {
		int wide = Math.max(aBits, bBits);
		int narrow = Math.min(aBits, bBits);
		return (narrow - 1) * adder(wide + 1);
	}

	/**
	 * A simple dual-port memory (a write and a read a cycle) of {@code depth} words of {@code bits} in distributed
	 * RAM: RAM32M primitives, each 32 words of 6 bits in one SLICEM's 4 LUTs (UG474, "Distributed RAM": 32 x 6-bit
	 * simple dual port, 4 LUTs).
	 */
	public static long distributedRam(int bits, long depth) {
		return 4 * ((depth + 31) / 32) * ((bits + 5) / 6);
	}

	public static long multiplexer(int inputs) {
		return inputs <= 1 ? 0 : (inputs + 3) / 4;
	}

	/**
	 * A power-of-two product: an unsigned {@code activationBits} value shifted left by 0 .. {@code maxShift}, or
	 * zero. Output bit j selects among the input bits that a shift can bring to j, plus the constant 0 of the zero
	 * code; the sign is left to the adder that consumes the product (an add/subtract costs what an add costs).
	 * For 4-bit activations and pot 4 (shifts 0..6) the ten output bits need muxes of 2, 3, 4, 5, 5, 5, 5, 4, 3, 2
	 * inputs: 14 LUTs.
	 */
	public static long shifter(int activationBits, int maxShift) {
		long luts = 0;
		for (int bit = 0; bit < activationBits + maxShift; bit++) {
			int sources = 0;
			for (int shift = 0; shift <= maxShift; shift++) {
				if (bit - shift >= 0 && bit - shift < activationBits) {
					sources++;
				}
			}
			luts += multiplexer(sources + 1);
		}
		return luts;
	}

	/**
	 * A balanced tree adding {@code inputs} values of {@code bits} bits: each level halves the values and widens
	 * them by a bit. 16 values of 11 bits: 8 x 11 + 4 x 12 + 2 x 13 + 1 x 14 = 176 LUTs.
	 */
	public static long adderTree(int inputs, int bits) {
		long luts = 0;
		int values = inputs;
		int width = bits;
		while (values > 1) {
			int pairs = values / 2;
			luts += (long) pairs * adder(width);
			values = pairs + values % 2;
			width++;
		}
		return luts;
	}

	/** ceil(log2(n)) for n >= 1: the bits an accumulation of n values adds, the depth of a tree over n. */
	public static int log2Ceil(long n) {
		return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
	}
}
