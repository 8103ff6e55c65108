package org.ilmpq.core.hardware;

import java.util.Map;

import org.ilmpq.core.quant.Scheme;

/**
 * The modelled time of one weight layer (with what is fused into it).
 *
 * @param engineCycles cycles of the pixel passes in which each engine has rows
 * @param computeCycles cycles of the design's loops ({@link LoopNestSchedule}): loads, passes and output stages
 * @param memoryCycles cycles the layer's DRAM bursts take at the design's sustained bandwidth
 * @param cycles the layer's time: the larger of the two (the loops cannot run faster than the DRAM delivers)
 * @param traffic the layer's DRAM traffic, word by word
 * @param dramBytes the bytes of DRAM time its bursts take, whole DRAM accesses each ({@link DramBursts}): at least
 *            the traffic's bytes
 * @param tile the output tile's side the layer runs in ({@link LatencyModel#tile})
 */
public record LayerTiming(LayerWork layer, Map<Scheme, Long> engineCycles, long computeCycles, long memoryCycles,
		long cycles, DramTraffic traffic, long dramBytes, int tile) {

	public enum Bound {
		COMPUTE, MEMORY
	}

	/** The layer's DRAM traffic in bytes. */
	public long bytes() {
		return traffic.bytes();
	}

	public Bound boundBy() {
		return memoryCycles > computeCycles ? Bound.MEMORY : Bound.COMPUTE;
	}
}
