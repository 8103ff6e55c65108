package org.ilmpq.core.hardware;

/**
 * How many 18 Kb block RAMs a buffer of a given width and depth takes, using the aspect ratios of a RAMB18 in
 * simple dual-port mode: 16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18, 512 x 36 (UG473 "Block RAM Summary", UG573).
 * The rule is FINN's {@code bram_estimation} (Xilinx/finn, matrixvectoractivation.py), which fpgaConvNet uses too.
 * Small buffers go to distributed RAM instead: at most 1,024 bits, as fpgaConvNet's resource model does, at one
 * LUT per 64 x 1 bits (RAM64X1S, UG474 "Distributed RAM").
 */
public final class BlockRamMapping {

	/** Buffers of at most this many bits are distributed RAM (LUTs), not block RAM. */
	public static final long DISTRIBUTED_RAM_BITS = 1024;

	private BlockRamMapping() {
	}

	/** RAMB18 count of one buffer; 0 for a buffer small enough for distributed RAM. */
	public static long ramb18(long widthBits, long depth) {
		if (widthBits <= 0 || depth <= 0 || widthBits * depth <= DISTRIBUTED_RAM_BITS) {
			return 0;
		}
		if (widthBits == 1) {
			return ceil(depth, 16384);
		}
		if (widthBits == 2) {
			return ceil(depth, 8192);
		}
		if (widthBits <= 4) {
			return ceil(depth, 4096);
		}
		if (widthBits <= 9) {
			return ceil(depth, 2048);
		}
		if (widthBits <= 18 || depth > 512) {
			return ceil(depth, 1024) * ceil(widthBits, 18);
		}
		return ceil(depth, 512) * ceil(widthBits, 36);
	}

	/** LUTs of a buffer small enough for distributed RAM; 0 for one that goes to block RAM. */
	public static long distributedRamLuts(long widthBits, long depth) {
		if (widthBits <= 0 || depth <= 0 || widthBits * depth > DISTRIBUTED_RAM_BITS) {
			return 0;
		}
		return widthBits * ceil(depth, 64);
	}

	private static long ceil(long a, long b) {
		return (a + b - 1) / b;
	}
}
