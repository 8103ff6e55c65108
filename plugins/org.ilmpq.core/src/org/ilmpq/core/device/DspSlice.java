package org.ilmpq.core.device;

/**
 * The DSP slices of the supported families, with the widths of their multiplier inputs.
 * <ul>
 * <li>DSP48E1 (7 series, Zynq-7000): 25 x 18 multiplier behind a 25-bit pre-adder, 48-bit accumulator (UG479);</li>
 * <li>DSP48E2 (UltraScale, Zynq UltraScale+): 27 x 18 multiplier behind a 27-bit pre-adder, 48-bit accumulator
 * (UG579).</li>
 * </ul>
 */
public enum DspSlice {
	DSP48E1(25, 18, 48),
	DSP48E2(27, 18, 48);

	private final int aBits;
	private final int bBits;
	private final int accumulatorBits;

	DspSlice(int aBits, int bBits, int accumulatorBits) {
		this.aBits = aBits;
		this.bBits = bBits;
		this.accumulatorBits = accumulatorBits;
	}

	public int aBits() {
		return aBits;
	}

	public int bBits() {
		return bBits;
	}

	public int accumulatorBits() {
		return accumulatorBits;
	}
}
