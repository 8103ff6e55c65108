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

	/** Tn = 16, 14 x 14 tiles; pot 4: 16 rows; fixed 4: 8 rows packed 4 per DSP; fixed 8: 2 rows packed 2 per DSP. */
	private static final AcceleratorConfig CONFIG = new AcceleratorConfig(16, 14,
			List.of(new EngineConfig(Scheme.pot(4), 16, DspPacking.NONE),
					new EngineConfig(Scheme.fixed(4), 8, new DspPacking(4)),
					new EngineConfig(Scheme.fixed(8), 2, new DspPacking(2))));

	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	private final DesignEstimate design = DesignEstimate.of(CONFIG, WORKLOAD, PYNQ_Z2);

	@Test
	void eachEngineTakesItsRowsInStepsOfItsArray() {
		// 16 tiles of 14 x 14; 64 / 16 = 4 lane steps of 14 x 14 x 9 = 1,764 cycles each; a row step is 4 x 1,764
		// + 10 of pipeline (6 + log2 16) = 7,066; pot: ceil(39 / 16) = 3 row steps -> 16 x 3 x 7,066 = 339,168
		// fixed 4: ceil(22 / 8) = 3 -> 339,168; fixed 8: ceil(3 / 2) = 2 -> 226,112
		LayerTiming timing = design.layers().get(0);
		assertEquals(Map.of(Scheme.pot(4), 339_168L, Scheme.fixed(4), 339_168L, Scheme.fixed(8), 226_112L),
				timing.engineCycles());
		assertEquals(339_168L, timing.computeCycles());
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
		// (46,128 + 38,592 + 12,544) x 8 + 1,056 x 8 = 786,560 bytes; PYNQ-Z2: 2,100 MB/s x 75 % / 100 MHz = 15.75
		// bytes per cycle (the four 64-bit ports would carry 32): ceil(786,560 / 15.75) = 49,941 cycles
		LayerTiming timing = design.layers().get(0);
		assertEquals(786_560L, timing.bytes());
		assertEquals(15.75, design.bandwidth().bytesPerCycle(), 1e-9);
		assertEquals(49_941L, timing.memoryCycles());
		assertEquals(LayerTiming.Bound.COMPUTE, timing.boundBy());
	}

	@Test
	void theLayerTakesItsComputeTimePlusTheFirstLoad() {
		// first load: the first tile's 15 x 15 input pixels, a word each, and the first position's weights,
		// 16 + 8 + 4 words: 253 words, 2,024 bytes / 15.75 = 129 cycles
		assertEquals(339_297L, design.layers().get(0).cycles());
		// 3.39297 ms at 100 MHz; 64 x 56 x 56 x 64 x 9 = 115,605,504 MACs: 2 x MACs / 3.39297 ms = 68.14 GOPS
		assertEquals(3.39297, design.latencyMs(), 1e-9);
		assertEquals(68.14, design.gops(), 0.01);
		// peak: (16 + 8 + 2) rows x 16 lanes = 416 MACs per cycle: 83.2 GOPS at 100 MHz
		assertEquals(83.2, design.peakGops(), 1e-9);
	}

	@Test
	void resourcesAddUpComponentByComponent() {
		// fan-in 64 x 9 = 576: accumulators add ceil(log2 576) = 10 bits to the products
		// pot 4 engine: products 4 + 6 + 1 = 11 bits; per unit a 14-LUT shifter (FabricCosts); per row a tree
		// over 16 lanes (8 x 11 + 4 x 12 + 2 x 13 + 14 = 176) and a 21-bit accumulator:
		// LUT 16 x 16 x 14 + 16 x (176 + 21) = 6,736; FF 16 x 16 x 11 + 16 x 197 = 5,968
		// fixed 4 engine: ceil(8 / 4) x 16 = 32 DSPs; 32 x 3 canaries + 8 rows x 18-bit lane adders = 240 LUT, 144 FF
		// fixed 8 engine: ceil(2 / 2) x 16 = 16 DSPs; 16 canaries + 2 x 22 = 60 LUT, 44 FF
		// weight buffers (x 2): pot 9,216 bits = 1 RAMB18, fixed 4 4,608 bits = 1, fixed 8 2,304 bits = 1: 6 RAMB18;
		// weight registers (x 2): 2,048 + 1,024 + 512 FF
		// output buffers (x 2), 196 deep: pot 16 x 21 = 336 bits wide = 10, fixed 4 144 bits = 4, fixed 8 44 bits =
		// 2: 32 RAMB18; input buffer (x 2): 16 lanes x 4 bits, 256 deep = 2: 4 RAMB18
		// output tile buffer: 16 banks (16 codes a word) of 5-bit codes, 4 words x 196 pixels = 784 deep: 16 RAMB18
		// output stage: 16 lanes of the requantization (outputStageOfOneLane): 1 DSP, 266 LUT, 141 FF each
		// shell: 4,000 LUT, 6,000 FF, 8 RAMB18
		Resources total = design.resources().total();
		assertEquals(new Resources(32 + 16 + 16, 6_736 + 240 + 60 + 4_256 + 4_000,
				5_968 + 144 + 44 + 2_048 + 1_024 + 512 + 2_256 + 6_000, 6 + 32 + 4 + 16 + 8), total);
	}

	@Test
	void outputStageOfOneLane() {
		// the widest accumulator, 22 bits (fixed 8: 8 + 4 bits of product, 10 of growth), times the 17-bit
		// multiplier on one DSP48E1 (25-bit A port), shifted left by 8: a 47-bit product; shifted right by 0..39 in
		// 6 stages of 2:1 muxes, two to a LUT: 3 x 47 = 141 LUT; the bias adder 47; two comparators of the 31-bit
		// code before the clamp, 62; the clamp's multiplexer 16: 266 LUT; registers after product, shift and sum:
		// 3 x 47 = 141 FF
		assertEquals(new Resources(16, 4_256, 2_256, 0), design.resources().items().stream()
				.filter(item -> item.component().equals("output stage")).findFirst().orElseThrow().resources());
	}

	@Test
	void aDesignOverItsBudgetIsInfeasibleAndSaysByHowMuch() {
		Target tightLuts = new Target(PYNQ_Z2.part(), BigDecimal.valueOf(100),
				Map.of(org.ilmpq.core.device.Resource.LUT, BigDecimal.valueOf(20)));
		DesignEstimate over = DesignEstimate.of(CONFIG, WORKLOAD, tightLuts);
		assertEquals(List.of("LUT 15,292 > 53,200 x 20 % budget"), over.violations());
		assertEquals(false, over.feasible());
	}

	@Test
	void anEightBitImageGoesThroughFourBitEnginesInTwoPasses() {
		// the same convolution reading 8-bit pixels: each 4-bit slice is a pass, 2 x 4 = 8 lane steps of 1,764
		// cycles + 10 = 14,122 per row step; pot 4: 16 tiles x 3 row steps x 14,122 = 677,856
		LayerWork pixels = conv("conv", 64, 1, 64, 56, new CodeFormat(Workload.INPUT_BITS, true), CONV.split(),
				CONV.rowsPerScheme());
		Workload workload = new Workload("pixels", List.of(pixels), Scheme.fixed(4));
		DesignEstimate onPixels = DesignEstimate.of(CONFIG, workload, PYNQ_Z2);
		assertEquals(677_856L, onPixels.layers().get(0).engineCycles().get(Scheme.pot(4)));
		// the second pass's products are shifted by 4 into the same accumulators: 4 more bits than for 4-bit
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
