package org.ilmpq.core.hardware;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ilmpq.core.quant.Scheme;

/**
 * Cycles of each weight layer on an accelerator configuration (docs/hardware-model.md, "Latency"): the generated
 * design's loop nest as {@link LoopNestSchedule} counts it, or the cycles its DRAM bursts ({@link DramBursts}) take
 * at the design's sustained bandwidth where those are more (the loops issue a word a cycle; the DRAM behind the
 * ports is slower).
 * A layer runs as {@link LayerWork#onLanes} maps it. The loops are those of Zhang et al. (FPGA 2015): for each output tile, for each step of Tm rows, for each step
 * of Tn input channels, a pass over the tile's pixels per kernel position; the engines of the schemes run in
 * lockstep on the same input tile, each over its own rows.
 */
public final class LatencyModel {

	/** The pipeline depth of the pass over a tile's pixels ({@link LoopNestSchedule#computeDepth}). */
	public static int pipelineOverhead(int lanes) {
		return LoopNestSchedule.computeDepth(lanes);
	}

	private LatencyModel() {
	}

	public static LayerTiming time(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		Map<Scheme, Long> engineCycles = new LinkedHashMap<>();
		LayerWork onLanes = layer.onLanes(config.lanes(), config.outputLanes(), activationBits);
		long loops = LoopNestSchedule.cycles(onLanes, config, activationBits, bandwidth.wordBits(), engineCycles);
		DramTraffic traffic = DramTraffic.of(onLanes, config, bandwidth.wordBits());
		long dramBytes = DramBursts.bytes(onLanes, config, bandwidth);
		long memory = bandwidth.cyclesFor(dramBytes);
		return new LayerTiming(layer, engineCycles, loops, memory, Math.max(loops, memory), traffic, dramBytes);
	}

	/**
	 * The cycles of {@link #time}, without naming what they are made of: what a design search asks for each of the
	 * thousands of designs it compares.
	 */
	public static long cycles(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		LayerWork onLanes = layer.onLanes(config.lanes(), config.outputLanes(), activationBits);
		long loops = LoopNestSchedule.cycles(onLanes, config, activationBits, bandwidth.wordBits(), null);
		return Math.max(loops, bandwidth.cyclesFor(DramBursts.bytes(onLanes, config, bandwidth)));
	}

	/** Output tiles of a layer: partial tiles at the map's edge count as whole ones. */
	public static long tiles(LayerWork layer, int tile) {
		return ceil(layer.outputHeight(), tile) * ceil(layer.outputWidth(), tile);
	}

	/**
	 * Cycles of the pixel passes of one row step over one tile, every lane step (and pass) over the tile's pixels and
	 * kernel positions, with one pipeline fill: the work a row of an engine brings, by which a design search shares
	 * the rows out ({@link LoopNestSchedule} counts the passes exactly).
	 */
	public static long rowStep(LayerWork layer, int lanes, int tile, int activationBits) {
		long laneSteps = layer.laneGroups(lanes) * layer.passes(activationBits);
		return laneSteps * Math.min(tile, layer.outputHeight()) * Math.min(tile, layer.outputWidth())
				* layer.kernelArea() + pipelineOverhead(lanes);
	}

	/**
	 * Row steps of an engine of {@code engineRows} over {@code schemeRows} rows of a layer. Rows of different groups
	 * read different inputs, so a step holds rows of one group only; which rows of a grouped layer take a scheme is
	 * chosen per row (by sensitivity or variance), so they are taken as spread evenly over as many groups as they
	 * can be: min(G, Ms) groups of ceil(Ms / that) rows each.
	 */
	public static long rowSteps(LayerWork layer, long schemeRows, long engineRows) {
		long rowsPerGroup = layer.rows() / layer.groups();
		long groups = Math.min(layer.groups(), schemeRows);
		return groups * ceil(ceil(schemeRows, groups), Math.min(engineRows, rowsPerGroup));
	}

	/** The most rows of {@code schemeRows} one row step can hold: more rows in an engine gain this layer nothing. */
	public static long usefulRows(LayerWork layer, long schemeRows) {
		long groups = Math.min(layer.groups(), schemeRows);
		return Math.min(ceil(schemeRows, groups), layer.rows() / layer.groups());
	}

	/** ceil(a / b) for a >= 0 and b > 0: a loop's steps, a partial step counting whole. */
	public static long ceil(long a, long b) {
		return (a + b - 1) / b;
	}
}
