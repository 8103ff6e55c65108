package org.ilmpq.core.hardware;

import java.util.LinkedHashMap;
import java.util.List;
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
		AcceleratorConfig tiled = config.withTile(tile(onLanes, config, activationBits, bandwidth));
		long loops = LoopNestSchedule.cycles(onLanes, tiled, activationBits, bandwidth.wordBits(), engineCycles);
		DramTraffic traffic = DramTraffic.of(onLanes, tiled, bandwidth.wordBits());
		long dramBytes = DramBursts.bytes(onLanes, tiled, bandwidth);
		long memory = bandwidth.cyclesFor(dramBytes);
		return new LayerTiming(layer, engineCycles, loops, memory, Math.max(loops, memory), traffic, dramBytes,
				tiled.tile());
	}

	/**
	 * The cycles of {@link #time}, without naming what they are made of: what a design search asks for each of the
	 * thousands of designs it compares.
	 */
	public static long cycles(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		LayerWork onLanes = layer.onLanes(config.lanes(), config.outputLanes(), activationBits);
		Tiled tiled = tiled(onLanes, config, activationBits, bandwidth);
		// an export's rows change the cycles, not the tile
		return onLanes.rowSchemes().isEmpty() ? tiled.cycles()
				: cyclesIn(onLanes, config.withTile(tiled.tile()), activationBits, bandwidth);
	}

	/**
	 * The output tile a layer runs in ({@code weight_layer_shape.tile}), its map as {@link LayerWork#onLanes} maps it:
	 * the design's, or for a layer whose map is one tile, half its map's side where that takes fewer cycles. A layer
	 * of one tile loads its first input tile before it computes and stores its words after, with nothing to overlap
	 * them with (ResNet-18's layer2_0.downsample on the ZC706, a 28 x 28 map on 28 x 28 tiles: its 55 x 55 input
	 * window, 24,200 words, before its 1,568 cycles of passes); in four tiles each loads the next one's input while it
	 * computes, and stores beside the next one's steps. The tile buffers, sized for the design's tile, hold the
	 * smaller one.
	 */
	public static int tile(LayerWork onLanes, AcceleratorConfig config, int activationBits, MemoryBandwidth bandwidth) {
		return tiled(onLanes, config, activationBits, bandwidth).tile();
	}

	/** A layer's tile ({@link #tile}) and its cycles in it, on the spec's split. */
	private record Tiled(int tile, long cycles) {
	}

	private static Tiled tiled(LayerWork onLanes, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		// the choice is the generated design's, made before training decides which rows take which scheme: on the
		// spec's split, whatever an export's rows
		LayerWork split = onLanes.rowSchemes().isEmpty() ? onLanes : onLanes.withRowSchemes(List.of());
		long cycles = cyclesIn(split, config, activationBits, bandwidth);
		int half = halfTile(split, config);
		if (half > 0) {
			long halved = cyclesIn(split, config.withTile(half), activationBits, bandwidth);
			if (halved < cycles) {
				return new Tiled(half, halved);
			}
		}
		return new Tiled(config.tile(), cycles);
	}

	/** Half the side of a map of one tile, rounded up; 0 where the map is more than one tile or one pixel. */
	private static int halfTile(LayerWork onLanes, AcceleratorConfig config) {
		long side = Math.max(onLanes.outputHeight(), onLanes.outputWidth());
		return side <= config.tile() && side > 1 ? (int) ceil(side, 2) : 0;
	}

	private static long cyclesIn(LayerWork onLanes, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
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
