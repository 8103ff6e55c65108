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

	private LatencyModel() {
	}

	public static LayerTiming time(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		Map<Scheme, Long> engineCycles = new LinkedHashMap<>();
		long compute = compute(layer, config, activationBits, engineCycles);
		DramTraffic traffic = DramTraffic.of(layer, config, bandwidth.wordBits());
		long memory = memoryCycles(traffic.bytes(), bandwidth);
		return new LayerTiming(layer, engineCycles, compute, memory,
				Math.max(compute, memory) + prologue(layer, config, bandwidth), traffic);
	}

	/**
	 * The cycles of {@link #time}, without naming what they are made of: what a design search asks for each of the
	 * thousands of designs it compares.
	 */
	public static long cycles(LayerWork layer, AcceleratorConfig config, int activationBits,
			MemoryBandwidth bandwidth) {
		long compute = compute(layer, config, activationBits, null);
		long memory = memoryCycles(DramTraffic.of(layer, config, bandwidth.wordBits()).bytes(), bandwidth);
		return Math.max(compute, memory) + prologue(layer, config, bandwidth);
	}

	/**
	 * The busiest engine's cycles, or the output stage's where it is slower: one computation behind both; fills
	 * {@code engineCycles} when it is not null.
	 */
	private static long compute(LayerWork layer, AcceleratorConfig config, int activationBits,
			Map<Scheme, Long> engineCycles) {
		int lanes = config.lanes();
		long tiles = tiles(layer, config.tile());
		long rowStep = rowStep(layer, lanes, config.tile(), activationBits);
		long compute = 0;
		for (Map.Entry<Scheme, Long> rows : layer.rowsPerScheme().entrySet()) {
			if (rows.getValue() == 0) {
				continue;
			}
			EngineConfig engine = config.engine(rows.getKey()).orElseThrow(() -> new IllegalArgumentException(
					"the design has no " + rows.getKey() + " engine for layer " + layer.name()));
			long cycles = tiles * rowSteps(layer, rows.getValue(), engine.rows()) * rowStep;
			if (engineCycles != null) {
				engineCycles.put(rows.getKey(), cycles);
			}
			compute = Math.max(compute, cycles);
		}
		long outputs = layer.rows() * layer.outputHeight() * layer.outputWidth();
		return Math.max(compute, ceil(outputs, lanes));
	}

	private static long memoryCycles(long bytes, MemoryBandwidth bandwidth) {
		return (long) Math.ceil(bytes / bandwidth.bytesPerCycle());
	}

	/** What nothing hides: the first lane group's input tile and the first kernel position's weights. */
	private static long prologue(LayerWork layer, AcceleratorConfig config, MemoryBandwidth bandwidth) {
		long bytes = DramTraffic.firstLoadWords(layer, config, bandwidth.wordBits()) * (bandwidth.wordBits() / 8);
		return memoryCycles(bytes, bandwidth);
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

	/** ceil(a / b) for a >= 0 and b > 0: a loop's steps, a partial step counting whole. */
	public static long ceil(long a, long b) {
		return (a + b - 1) / b;
	}
}
