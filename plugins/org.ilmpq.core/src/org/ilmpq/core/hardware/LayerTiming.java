package org.ilmpq.core.hardware;

import java.util.Map;

import org.ilmpq.core.quant.Scheme;

/**
 * The modelled time of one weight layer (with what is fused into it).
 *
 * @param engineCycles cycles each engine computes for its rows
 * @param computeCycles the busiest engine's cycles, or the output stage's where it is slower
 * @param memoryCycles cycles the layer's DRAM traffic takes at the design's bandwidth
 * @param cycles the layer's time: the larger of compute and memory (double buffering hides the other), plus the
 *            first tile's load, which nothing hides
 * @param traffic the layer's DRAM traffic, word by word
 */
public record LayerTiming(LayerWork layer, Map<Scheme, Long> engineCycles, long computeCycles, long memoryCycles,
		long cycles, DramTraffic traffic) {

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
