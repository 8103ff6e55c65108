package org.ilmpq.core.hardware;

import static org.ilmpq.core.hardware.FabricCosts.log2Ceil;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ilmpq.core.quant.Scheme;

/**
 * Cycles of each weight layer on an accelerator configuration (docs/hardware-model.md, "Latency"). The loops are
 * those of Zhang et al. (FPGA 2015): for each output tile, for each step of Tm rows, for each step of Tn input
 * channels, a pass over the tile's pixels and kernel positions at one cycle each, the passes of a row step in one
 * pipeline. The engines of the
 * schemes run concurrently on the same input tile, each over its own rows: the layer waits for the busiest.
 */
public final class LatencyModel {

	/**
	 * Cycles to fill and drain the pipeline, paid once per (tile, row step): block RAM read latency (2, with output
	 * registers, UG473), the DSP48 or shifter pipeline (3 registers: input, product, accumulator, UG479), the adder
	 * tree over the lanes (ceil(log2 Tn) levels, one register each) and the write of the result (1).
	 */
	public static int pipelineOverhead(int lanes) {
		return 6 + log2Ceil(lanes);
	}

	/** Bits of the per-row bias loaded with the scale (see {@link ResourceModel#SCALE_BITS}). */
	public static final int BIAS_BITS = 16;

	private LatencyModel() {
	}

	public static LayerTiming time(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		Map<Scheme, Long> engineCycles = new LinkedHashMap<>();
		long[] result = evaluate(layer, config, activationBits, bandwidth, engineCycles);
		return new LayerTiming(layer, engineCycles, result[COMPUTE], result[MEMORY], result[CYCLES], result[BYTES]);
	}

	/**
	 * The cycles of {@link #time}, without naming what they are made of: what a design search asks for each of the
	 * thousands of designs it compares.
	 */
	public static long cycles(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		return evaluate(layer, config, activationBits, bandwidth, null)[CYCLES];
	}

	private static final int COMPUTE = 0;
	private static final int MEMORY = 1;
	private static final int CYCLES = 2;
	private static final int BYTES = 3;

	/** The one computation behind both: fills {@code engineCycles} when it is not null. */
	private static long[] evaluate(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth, Map<Scheme, Long> engineCycles) {
		int lanes = config.lanes();
		int tile = config.tile();
		long tiles = tiles(layer, tile);
		long rowStep = rowStep(layer, lanes, tile, activationBits);

		long compute = 0;
		long maxRowSteps = 0;
		double weightBits = 0;
		double firstWeightBits = 0;
		for (Map.Entry<Scheme, Long> rows : layer.rowsPerScheme().entrySet()) {
			if (rows.getValue() == 0) {
				continue;
			}
			EngineConfig engine = config.engine(rows.getKey()).orElseThrow(() -> new IllegalArgumentException(
					"the design has no " + rows.getKey() + " engine for layer " + layer.name()));
			long rowSteps = rowSteps(layer, rows.getValue(), engine.rows());
			long cycles = tiles * rowSteps * rowStep;
			if (engineCycles != null) {
				engineCycles.put(rows.getKey(), cycles);
			}
			compute = Math.max(compute, cycles);
			maxRowSteps = Math.max(maxRowSteps, rowSteps);
			weightBits += (double) rows.getValue() * layer.inputChannelsPerGroup() * layer.kernelArea()
					* rows.getKey().bits();
			firstWeightBits += (double) Math.min(engine.rows(), rows.getValue()) * Math.min(lanes,
					layer.inputChannelsPerGroup()) * layer.kernelArea() * rows.getKey().bits();
		}
		long outputs = layer.rows() * layer.outputHeight() * layer.outputWidth();
		compute = Math.max(compute, ceil(outputs, lanes));

		long inputTileValues = WorkloadBounds.inputTileHeight(layer, tile) * WorkloadBounds.inputTileWidth(layer, tile);
		// every row step reads all input channels again (Zhang's alpha_in); a grouped layer reads each group once
		long inputReads = layer.groups() == 1 ? maxRowSteps : 1;
		double bits = (double) tiles * inputReads * layer.inputChannels() * inputTileValues * layer.inputBits()
				+ tiles * weightBits + (double) layer.rows() * (ResourceModel.SCALE_BITS + BIAS_BITS)
				+ (double) outputs * activationBits + (double) layer.fusedReadValues() * activationBits;
		long bytes = (long) Math.ceil(bits / 8);
		long memory = (long) Math.ceil(bytes / bandwidth.bytesPerCycle());
		double firstLoadBits = (double) Math.min(lanes, layer.inputChannels()) * inputTileValues * layer.inputBits()
				+ firstWeightBits;
		long prologue = (long) Math.ceil(firstLoadBits / 8 / bandwidth.bytesPerCycle());
		return new long[] { compute, memory, Math.max(compute, memory) + prologue, bytes };
	}

	/** Output tiles of a layer: partial tiles at the map's edge count as whole ones. */
	public static long tiles(LayerWork layer, int tile) {
		return ceil(layer.outputHeight(), tile) * ceil(layer.outputWidth(), tile);
	}

	/**
	 * Cycles of one row step over one tile: every lane step (and pass) over the tile's pixels and kernel positions,
	 * one after the other in one pipeline (the accumulation goes on), which fills and drains once per row step.
	 */
	public static long rowStep(LayerWork layer, int lanes, int tile, int activationBits) {
		long laneSteps = ceil(layer.inputChannelsPerGroup(), lanes) * passes(layer, activationBits);
		return laneSteps * Math.min(tile, layer.outputHeight()) * Math.min(tile, layer.outputWidth())
				* layer.kernelArea() + pipelineOverhead(lanes);
	}

	/**
	 * Passes over the inputs of a layer whose values are wider than the engines' activations: an 8-bit pixel goes
	 * through 4-bit engines as two 4-bit slices, the second pass's products shifted by 4 into the same accumulator
	 * (bit-serial in activation slices, as Stripes / Loom do). 1 for every other layer.
	 */
	public static long passes(LayerWork layer, int activationBits) {
		return ceil(layer.inputBits(), activationBits);
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

	static long ceil(long a, long b) {
		return (a + b - 1) / b;
	}
}
