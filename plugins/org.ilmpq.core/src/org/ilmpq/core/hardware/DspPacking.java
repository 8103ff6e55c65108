package org.ilmpq.core.hardware;

import org.ilmpq.core.device.DspSlice;

/**
 * How many products of a w-bit weight and an activation-wide lane one DSP slice computes per cycle when the weights
 * of several rows share one lane (docs/hardware-model.md, "DSP packing"): the rows' weights side by side in the
 * slice's A input, {@link #fieldBits} apart, times the lane on the B input (Xilinx WP486, "Deep Learning with INT8
 * Optimization on Xilinx Devices", does two rows on a DSP48E2). Each field of the product holds one row's product
 * exactly, because a field is as wide as a product can be: the lowest field read as a signed number is the first
 * row's product, and subtracting it and shifting leaves the others (WP486's correction of the sign that a negative
 * lower product borrows from the upper one). No field overlaps another, so nothing is approximate and no canary bit
 * is needed.
 * <p>
 * On a DSP48E1 (25-bit A) a 4-bit weight times a 4-bit activation (a lane of 5 signed bits) takes fields of 9 bits:
 * three rows, 2 x 9 + 4 = 22 bits; an 8-bit weight fields of 13 bits: two rows. FINN's four 4-bit products per
 * slice (finn-rtllib mvu_4sx4u) accumulate overlapping fields inside a DSP48E2 and correct them with canary bits;
 * the generated design does not, so neither does the model.
 *
 * @param productsPerDsp rows one slice computes per cycle
 */
public record DspPacking(int productsPerDsp) {

	public static final DspPacking NONE = new DspPacking(1);

	/**
	 * The most rows whose products fit side by side in the slice: the top field a weight wide within the A input,
	 * every field within the P output.
	 */
	public static DspPacking of(DspSlice slice, int weightBits, int activationBits) {
		int field = fieldBits(weightBits, activationBits);
		int rows = 1 + Math.max(0, slice.aBits() - weightBits) / field;
		return new DspPacking(Math.max(1, Math.min(rows, slice.accumulatorBits() / field)));
	}

	/**
	 * Bits of one field: a product of a w-bit signed weight and a lane of activation bits + 1 (signed, for the top
	 * slice of a signed 8-bit input): at most w + a + 1 bits.
	 */
	public static int fieldBits(int weightBits, int activationBits) {
		return weightBits + activationBits + 1;
	}

	/** Slices of an engine computing {@code rows} x {@code lanes} products per cycle: rows share activations. */
	public long slices(int rows, int lanes) {
		return (long) ((rows + productsPerDsp - 1) / productsPerDsp) * lanes;
	}

	/**
	 * Fabric LUTs that take the rows' products apart, by structure: per slice, each field above the lowest is
	 * corrected by the sign of the field below, an adder of a field's width. The model's costs are synthesis's
	 * (UnitCostTable); this scales them to a scheme the calibration did not synthesize.
	 */
	public long correctionLuts(long slices, int fieldBits) {
		return slices * (productsPerDsp - 1) * fieldBits;
	}

	public boolean packs() {
		return productsPerDsp > 1;
	}
}
