package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DramTraffic;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LatencyModel;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Resources;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;
import org.ilmpq.core.quant.Share;
import org.junit.jupiter.api.Test;

/**
 * One 3x3 convolution on a PYNQ-Z2 at 100 MHz, every figure derived by hand in the comments
 * (docs/hardware-model.md has the formulas).
 */
class HardwareModelTest {

	private static final CodeFormat UNSIGNED_4 = new CodeFormat(4, false);

	/**
	 * 64 input channels, 64 rows, 56 x 56 input and output, 3 x 3 kernel, stride 1, padding 1; 4-bit unsigned
	 * codes in and out (a ReLU after it); split 60 % pot 4, 35 % fixed 4, 5 % fixed 8: 64 rows = 39 / 22 / 3
	 * (RowAllocatorTest).
	 */
	private static final LayerWork CONV = conv("conv", 64, 1, 64, 56, UNSIGNED_4, new Split(List.of(
			new Share(Scheme.pot(4), BigDecimal.valueOf(60)), new Share(Scheme.fixed(4), BigDecimal.valueOf(35)),
			new Share(Scheme.fixed(8), BigDecimal.valueOf(5)))),
			Map.of(Scheme.pot(4), 39L, Scheme.fixed(4), 22L, Scheme.fixed(8), 3L));

	private static LayerWork conv(String name, long rows, long groups, long in, long size, CodeFormat input, Split split,
			Map<Scheme, Long> rowsPerScheme) {
		return new LayerWork(name, rows, groups, new TensorShape(in, size, size), new TensorShape(rows, size, size),
				Size2d.square(3), Size2d.square(1), Size2d.square(1), Size2d.square(1), input, UNSIGNED_4,
				Optional.empty(), split, rowsPerScheme);
	}

	private static final Workload WORKLOAD = new Workload("one-conv", List.of(CONV), Scheme.fixed(4));

	/** Tn = 16, 14 x 14 tiles; pot 4: 16 rows; fixed 4: 8 rows packed 3 per DSP; fixed 8: 2 rows packed 2 per DSP. */
	private static final AcceleratorConfig CONFIG = new AcceleratorConfig(16, 14, 4,
			List.of(new EngineConfig(Scheme.pot(4), 16, DspPacking.NONE),
					new EngineConfig(Scheme.fixed(4), 8, new DspPacking(3)),
					new EngineConfig(Scheme.fixed(8), 2, new DspPacking(2))));

	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	private final DesignEstimate design = DesignEstimate.of(CONFIG, WORKLOAD, PYNQ_Z2);

	@Test
	void theLayerTakesTheCyclesOfTheGeneratedLoopNest() {
		// 16 tiles of 14 x 14 (196 pixels), each reading a 16 x 16 input window (256 pixels, one word each: 16 codes
		// of the lane group's 16 channels); 64 / 16 = 4 lane groups of 9 kernel positions. A loop costs its trips + 64
		// of depth (LoopNestSchedule.DRAM_LOOP_DEPTH: every loop reads DRAM). Per tile the layer's word and the group's
		// counts, lone reads: 2 x (1 + 64) = 130.
		// Row steps: pot ceil(39 / 16) = 3, fixed 4 ceil(22 / 8) = 3, fixed 8 ceil(3 / 2) = 2: 3 steps of 16 / 8 / 2,
		// 16 / 8 / 1 and 7 / 6 / 0 rows (26, 25, 13), whose weights of one position take 28, 26 and 13 words.
		// A step's positions: the first position's weights (28, 26, 13 words), then 36 passes of 196 cycles, each
		// longer than the next position's weights, the next lane group's 256 words loading meanwhile, and during the
		// last lane group the next step's first 256: 28 + 7,056 = 7,084, 7,082 and 7,069. Only the layer's first step
		// loads its first input tile before it computes, 256 cycles (longer than the weights): 7,312. Behind them the
		// output stage of the step before, four lanes of two pixels a cycle, each taking its rows of every engine,
		// a step's rows taken as spread evenly over the lanes: ceil(26 / 4) = 7 rounds of 98 cycles for the first
		// step (686), ceil(25 / 4) = 7 for the second, ceil(13 / 4) = 4 for the last (392); beside the steps after a
		// tile's first, the previous tile's 196 x 4 = 784 output words. Always shorter: a step takes its positions +
		// 64 cycles.
		// A tile: 130 + 7,148 + 7,146 + 7,133 = 21,557; 16 tiles 344,912, the first step's input 228 more, and what
		// the last step leaves, its output stage and the last tile's words, 392 + 784 + 64: 346,380.
		LayerTiming timing = design.layers().get(0);
		assertEquals(346_380L, timing.computeCycles());
		assertEquals(346_380L, timing.cycles());
	}

	@Test
	void eachEngineComputesInThePassesOfTheRowStepsWithItsRows() {
		// a step's passes: 4 lane groups x 9 x 196 = 7,056 cycles; pot 4 and fixed 4 have rows in 3 steps of each
		// of 16 tiles, fixed 8 in 2
		assertEquals(Map.of(Scheme.pot(4), 338_688L, Scheme.fixed(4), 338_688L, Scheme.fixed(8), 225_792L),
				design.layers().get(0).engineCycles());
	}

	@Test
	void dramTrafficIsTheWordsTheTilingLoopsMove() {
		// codes packed 16 a 64-bit word (FeatureMapLayout); 16 tiles of 14 x 14
		// input: each tile's window inside the 56 x 56 map: rows 15, 16, 16, 15 = 62 over the tile rows, as many
		// columns: 62 x 62 = 3,844 pixels; 3 row steps (the most: ceil(39 / 16) = ceil(22 / 8) = 3) x 4 lane groups
		// of one word each: 3,844 x 3 x 4 = 46,128 words
		// weights per tile and kernel position, each row step's rows x 16 lanes, 16 four-bit codes or 8 eight-bit
		// ones a word: pot 16 + 16 + 7 rows = 39 words, fixed 4 8 + 8 + 6 = 22, fixed 8 2 x 16 / 8 + 1 x 16 / 8 = 6:
		// 67; x 4 lane groups x 9 positions x 16 tiles = 38,592 words
		// parameters: per tile the layer's word, the group's counts and 64 rows: 16 x 66 = 1,056 words
		// outputs: 56 x 56 pixels x 4 words = 12,544 words
		DramTraffic traffic = design.layers().get(0).traffic();
		assertEquals(new DramTraffic(46_128, 38_592, 1_056, 0, 12_544, 64), traffic);
		// (46,128 + 38,592 + 12,544) x 8 + 1,056 x 8 = 786,560 bytes
		LayerTiming timing = design.layers().get(0);
		assertEquals(786_560L, timing.bytes());
		assertEquals(LayerTiming.Bound.COMPUTE, timing.boundBy());
	}

	@Test
	void theDramTakesTheBurstsInWholeAccesses() {
		// the PYNQ-Z2's 16-bit DDR3 moves 16 bytes an access (BL8), a burst at most 16 beats of 8 bytes (128 bytes)
		// input: a lane group reads one word of each of a pixel's four: 46,128 runs of one beat, 16 bytes each:
		// 738,048 bytes (twice its words' bytes)
		// weights, per tile and engine one run over its steps' blocks: pot 4 x 9 x 39 = 1,404 beats (87 bursts of
		// 16 and one of 12: 11,232 bytes), fixed 4 792 (49 and one of 8: 6,336), fixed 8 216 (13 and 8: 1,728):
		// 19,296 a tile, 308,736 in all
		// parameters, per tile: the layer's word and the group's, 16 bytes each; the rows' words of each engine, pot
		// 39 (2 bursts and one of 7 beats, 56 bytes taking 64: 320), fixed 4 22 (176), fixed 8 3 (24 taking 32):
		// 560 a tile, 8,960 in all
		// output: a tile row's 14 pixels x 4 words, 56 beats (3 bursts and one of 8: 448 bytes); 14 rows a tile, 16
		// tiles: 100,352
		// in all 1,156,096 bytes; PYNQ-Z2: 2,100 MB/s x 75 % / 100 MHz = 15.75 bytes per cycle (the four 64-bit ports
		// would carry 32): ceil(1,156,096 / 15.75) = 73,403 cycles, far fewer than the loops'
		LayerTiming timing = design.layers().get(0);
		assertEquals(1_156_096L, timing.dramBytes());
		assertEquals(15.75, design.bandwidth().bytesPerCycle(), 1e-9);
		assertEquals(73_403L, timing.memoryCycles());
		assertEquals(LayerTiming.Bound.COMPUTE, timing.boundBy());
	}

	@Test
	void theLayerTakesItsLoopsOrItsDramTimeWhicheverIsLonger() {
		// the loops, 346,380 cycles, against the DRAM's 73,403: 3.4638 ms at 100 MHz; 64 x 56 x 56 x 64 x 9 =
		// 115,605,504 MACs: 2 x MACs / 3.4638 ms = 66.75 GOPS
		assertEquals(LayerTiming.Bound.COMPUTE, design.layers().get(0).boundBy());
		assertEquals(3.4638, design.latencyMs(), 1e-9);
		assertEquals(66.75, design.gops(), 0.01);
		// peak: (16 + 8 + 2) rows x 16 lanes = 416 MACs per cycle: 83.2 GOPS at 100 MHz
		assertEquals(83.2, design.peakGops(), 1e-9);
	}

	@Test
	void resourcesAddUpComponentByComponent() {
		// widths (EngineWidths) from fan-in 64 x 9 = 576 and 4-bit unsigned inputs (at most 15), lanes of 5 bits (at
		// most 16): pot 4 products 16 x 64 in 12 bits, accumulators 576 x 15 x 64 = 552,960 in 21; fixed 4 16 x 7 in
		// 8, 576 x 15 x 7 = 60,480 in 17; fixed 8 16 x 127 in 12, 576 x 15 x 127 = 1,097,280 in 22
		// engines: their rows from the unit cost table (xc7-unit-costs.properties, Yosys's counts), LUTs derated by
		// 0.87 and rounded up per engine; an accumulator bit beyond a row's measured width 2.58 LUT and 1 FF
		// pot 4 engine: a row on 16 lanes is 1,147 LUT and 252 FF at a 20-bit accumulator: 16 x 1,149.58 = 18,393.28 x
		// 0.87 = 16,003 LUT; 16 x 253 = 4,048 FF
		// fixed 4 engine: ceil(8 / 3) x 16 = 48 DSPs; a packed row on 16 lanes is 403.333 LUT and 41.333 FF at a 16-bit
		// accumulator: 8 x 405.913 x 0.87 = 2,826 LUT; 8 x 42.333 = 339 FF
		// fixed 8 engine: ceil(2 / 2) x 16 = 16 DSPs; a packed row on 16 lanes is 438 LUT and 55 FF at a 20-bit
		// accumulator: 2 x 443.16 x 0.87 = 772 LUT; 2 x 57 = 114 FF
		// weight registers (x 2: the position computing and the next): 2,048 + 1,024 + 512 FF, no block RAM
		// accumulators (x 2: the step computing and the one draining), 196 deep: pot 16 x 21 = 336 bits wide = 10,
		// fixed 4 136 bits = 4, fixed 8 44 bits = 2: 32 RAMB18
		// input buffer (x 2), a memory per lane: 5-bit codes (4 bits and a sign), 256 deep, 1,280 bits: 1 RAMB18
		// each, 32
		// output tile buffers (x 2: the tile draining and the one storing): 16 banks (16 codes a word) of 5-bit codes,
		// 4 words x 196 pixels = 784 deep: 32 RAMB18
		// output stage: four lanes of two requantizers (outputStageOfFourLanesOfTwoPixels): 8 DSP, 4,608 LUT,
		// 888 FF
		// shell: 4,000 LUT, 6,000 FF, 8 RAMB18
		Resources total = design.resources().total();
		assertEquals(new Resources(48 + 16 + 8, 16_003 + 2_826 + 772 + 4_608 + 4_000,
				4_048 + 339 + 114 + 2_048 + 1_024 + 512 + 888 + 6_000, 32 + 32 + 32 + 8), total);
	}


	@Test
	void outputStageOfFourLanesOfTwoPixels() {
		// a requantizer: the accumulator times the 17-bit multiplier on one DSP48E1 (the accumulator fits the 25-bit
		// A port). The engines share the lanes, so every requantizer takes the widest accumulator, fixed 8's 22 bits:
		// the unit cost table's requantizer between 20 bits (225 LUT, 109 FF) and 24 (261, 113): 243 LUT x 0.87 =
		// 212 LUT, 111 FF; four lanes of two pixels: eight.
		// A lane takes any row of the engine whose turn it is: per engine a multiplexer over its rows (ceil(rows / 4)
		// LUT6 a bit) for its two accumulators and the row's 64-bit parameter word: pot 4 4 x (2 x 21 + 64) = 424,
		// fixed 4 2 x (2 x 17 + 64) = 196, fixed 8 1 x (2 x 22 + 64) = 108: 728 a lane
		assertEquals(new Resources(8, 8 * 212 + 4 * 728, 8 * 111, 0), design.resources().items()
				.stream().filter(item -> item.component().equals("output stage")).findFirst().orElseThrow()
				.resources());
	}


	@Test
	void aDesignOverItsBudgetIsInfeasibleAndSaysByHowMuch() {
		Target tightLuts = new Target(PYNQ_Z2.part(), BigDecimal.valueOf(100),
				Map.of(org.ilmpq.core.device.Resource.LUT, BigDecimal.valueOf(20)));
		DesignEstimate over = DesignEstimate.of(CONFIG, WORKLOAD, tightLuts);
		assertEquals(List.of("LUT 28,209 > 53,200 x 20 % budget"), over.violations());
		assertEquals(false, over.feasible());
	}

	@Test
	void anEightBitImageGoesThroughFourBitEnginesAsTwoSlicesAValue() {
		// the same convolution reading 8-bit pixels: each value on two lanes, a 4-bit slice each, 8 values a lane
		// group: pot 4 computes in 8 x 9 = 72 positions of 196 cycles, of 3 row steps of 16 tiles: 677,376 cycles, as
		// it would in two passes of 4 lane groups (LaneMappingTest has a layer of fewer channels than lanes, which
		// gains)
		LayerWork pixels = conv("conv", 64, 1, 64, 56, new CodeFormat(Workload.INPUT_BITS, true), CONV.split(),
				CONV.rowsPerScheme());
		Workload workload = new Workload("pixels", List.of(pixels), Scheme.fixed(4));
		DesignEstimate onPixels = DesignEstimate.of(CONFIG, workload, PYNQ_Z2);
		assertEquals(677_376L, onPixels.layers().get(0).engineCycles().get(Scheme.pot(4)));
		// the upper slices' products are shifted by 4 into the same accumulators: 4 more bits than for 4-bit
		// inputs (pot 4: 11 + 10 + 4 = 25 bits), 16 rows x 4 bits more in the pot 4 output buffer's width
		assertEquals(14, WorkloadBounds.of(workload, 14, 64).accumulatorGrowthBits());
		assertEquals(10, WorkloadBounds.of(WORKLOAD, 14, 64).accumulatorGrowthBits());
	}

	@Test
	void rowsOfAGroupedLayerAreTakenAsSpreadOverItsGroups() {
		// 32 groups of 4 rows (4 input channels each): 6 rows of a scheme lie in up to 6 groups, one step each, whatever the engine's size
		LayerWork grouped = conv("grouped", 128, 32, 128, 14, UNSIGNED_4, Split.of(Scheme.fixed(4)),
				Map.of(Scheme.fixed(4), 128L));
		assertEquals(6, LatencyModel.rowSteps(grouped, 6, 6));
		// 128 rows over 32 groups: 4 per group, in one step of an engine of 4 rows or more, two of an engine of 2
		assertEquals(32, LatencyModel.rowSteps(grouped, 128, 16));
		assertEquals(64, LatencyModel.rowSteps(grouped, 128, 2));
		// and an engine of more than 4 rows gains this layer nothing
		assertEquals(4, LatencyModel.usefulRows(grouped, 128));
	}
}
