package org.ilmpq.core.hardware;

import org.ilmpq.core.device.Resource;

/** Programmable-logic resources: DSP slices, LUTs, flip-flops, 18 Kb block RAMs. */
public record Resources(long dsp, long lut, long ff, long bram18) {

	public static final Resources NONE = new Resources(0, 0, 0, 0);

	public Resources plus(Resources other) {
		return new Resources(dsp + other.dsp, lut + other.lut, ff + other.ff, bram18 + other.bram18);
	}

	public Resources times(long n) {
		return new Resources(dsp * n, lut * n, ff * n, bram18 * n);
	}

	/** The count of one resource; block RAM in 18 Kb blocks. */
	public long of(Resource resource) {
		return switch (resource) {
		case DSP -> dsp;
		case LUT -> lut;
		case FF -> ff;
		case BRAM -> bram18;
		};
	}

	/** 36 Kb block RAMs, as devices are counted: two 18 Kb ones each, rounded up. */
	public long bram36() {
		return (bram18 + 1) / 2;
	}
}
