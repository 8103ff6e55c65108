package org.ilmpq.core.hardware;

import org.ilmpq.core.device.DspSlice;

/**
 * How many products of a w-bit weight and an a-bit activation one DSP slice computes per cycle when several
 * weights share one activation in its wide input (docs/hardware-model.md, "DSP packing"):
 * <ul>
 * <li>4 for w, a <= 4: four signed 4-bit weights against one 4-bit activation on a DSP48E1 or DSP48E2 (FINN,
 * finn-rtllib/mvu/mvu_4sx4u.sv; Xilinx WP521 for the DSP48E2);</li>
 * <li>2 for w, a <= 8: two 8-bit products sharing an operand (Xilinx WP486 on the DSP48E2 with an 18-bit shift;
 * on the DSP48E1, whose pre-adder is 25 bits, with a 16-bit shift, as FINN's mvu_8sx8u_dsp48.sv does);</li>
 * <li>1 otherwise.</li>
 * </ul>
 * The lanes of a packed slice borrow from each other; FINN resolves this with one LUT6_2 "canary" per extra lane
 * and a fabric adder per lane when the accumulation ends: (products - 1) LUTs per slice, and an accumulator-wide
 * adder per output row of the engine.
 *
 * @param productsPerDsp products one slice computes per cycle
 */
public record DspPacking(int productsPerDsp) {

	public static final DspPacking NONE = new DspPacking(1);

	/** The densest packing the slice supports for these widths. */
	public static DspPacking of(DspSlice slice, int weightBits, int activationBits) {
		if (weightBits <= 4 && activationBits <= 4) {
			return new DspPacking(4);
		}
		if (weightBits <= 8 && activationBits <= 8) {
			return new DspPacking(2);
		}
		return NONE;
	}

	/** Slices of an engine computing {@code rows} x {@code lanes} products per cycle: rows share activations. */
	public long slices(int rows, int lanes) {
		return (long) ((rows + productsPerDsp - 1) / productsPerDsp) * lanes;
	}

	/** Fabric LUTs that resolve the lanes of {@code slices} packed slices (the canaries). */
	public long canaryLuts(long slices) {
		return slices * (productsPerDsp - 1);
	}

	public boolean packs() {
		return productsPerDsp > 1;
	}
}
