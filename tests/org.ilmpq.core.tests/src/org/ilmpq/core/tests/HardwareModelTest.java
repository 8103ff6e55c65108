package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LatencyModel;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Resources;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;
import org.ilmpq.core.quant.Share;
import org.junit.jupiter.api.Test;

/**
 * One 3x3 convolution on a PYNQ-Z2 at 100 MHz, every figure derived by hand in the comments
 * (docs/hardware-model.md has the formulas).
 */
class HardwareModelTest {

	/**
	 * 64 input channels, 64 rows, 56 x 56 output, 3 x 3 kernel, stride 1 (padding 1: input 58 x 58 reads as 56 + 2);
	 * 4-bit activations; split 60 % pot 4, 35 % fixed 4, 5 % fixed 8: 64 rows = 39 / 22 / 3 (RowAllocatorTest).
	 */
	private static final LayerWork CONV = new LayerWork("conv", 64, 1, 64, 58, 58, 56, 56, 3, 3, 1, 1, 4, 0,
			new Split(List.of(new Share(Scheme.pot(4), BigDecimal.valueOf(60)),
					new Share(Scheme.fixed(4), BigDecimal.valueOf(35)), new Share(Scheme.fixed(8), BigDecimal.valueOf(5)))),
			Map.of(Scheme.pot(4), 39L, Scheme.fixed(4), 22L, Scheme.fixed(8), 3L));

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
	void dramTrafficFollowsTheTilingLoops() {
		// input: 16 tiles x 3 row steps x 64 channels x 16 x 16 values (14 + 2 halo) x 4 bits = 3,145,728 bits
		// weights: 16 tiles x (39 x 576 x 4 + 22 x 576 x 4 + 3 x 576 x 8) = 16 x 154,368 = 2,469,888 bits
		// scale and bias: 64 x 32 = 2,048 bits; outputs: 64 x 56 x 56 x 4 = 802,816 bits
		// 6,420,480 bits = 802,560 bytes; PYNQ-Z2: 2,100 MB/s x 75 % / 100 MHz = 15.75 bytes per cycle
		// (the four 64-bit ports would carry 32): ceil(802,560 / 15.75) = 50,957 cycles
		LayerTiming timing = design.layers().get(0);
		assertEquals(802_560L, timing.bytes());
		assertEquals(15.75, design.bandwidth().bytesPerCycle(), 1e-9);
		assertEquals(50_957L, timing.memoryCycles());
		assertEquals(LayerTiming.Bound.COMPUTE, timing.boundBy());
	}

	@Test
	void theLayerTakesItsComputeTimePlusTheFirstLoad() {
		// first load: 16 channels x 256 values x 4 bits = 16,384 bits of input, and the first weights:
		// 16 x 16 x 9 x 4 + 8 x 16 x 9 x 4 + 2 x 16 x 9 x 8 = 16,128 bits; 4,064 bytes / 15.75 = 259 cycles
		assertEquals(339_427L, design.layers().get(0).cycles());
		// 3.39427 ms at 100 MHz; 64 x 56 x 56 x 64 x 9 = 115,605,504 MACs: 2 x MACs / 3.39427 ms = 68.1 GOPS
		assertEquals(3.39427, design.latencyMs(), 1e-9);
		assertEquals(68.12, design.gops(), 0.01);
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
		// output stage: 16 lanes x (1 DSP, 2 x 22 LUT, 2 x 22 FF); shell: 4,000 LUT, 6,000 FF, 8 RAMB18
		Resources total = design.resources().total();
		assertEquals(new Resources(32 + 16 + 16, 6_736 + 240 + 60 + 704 + 4_000,
				5_968 + 144 + 44 + 2_048 + 1_024 + 512 + 704 + 6_000, 6 + 32 + 4 + 8), total);
	}

	@Test
	void aDesignOverItsBudgetIsInfeasibleAndSaysByHowMuch() {
		Target tightLuts = new Target(PYNQ_Z2.part(), BigDecimal.valueOf(100),
				Map.of(org.ilmpq.core.device.Resource.LUT, BigDecimal.valueOf(20)));
		DesignEstimate over = DesignEstimate.of(CONFIG, WORKLOAD, tightLuts);
		assertEquals(List.of("LUT 11,740 > 53,200 x 20 % budget"), over.violations());
		assertEquals(false, over.feasible());
	}

	@Test
	void anEightBitImageGoesThroughFourBitEnginesInTwoPasses() {
		// the same convolution reading 8-bit pixels: each 4-bit slice is a pass, 2 x 4 = 8 lane steps of 1,764
		// cycles + 10 = 14,122 per row step; pot 4: 16 tiles x 3 row steps x 14,122 = 677,856
		LayerWork pixels = new LayerWork("conv", 64, 1, 64, 58, 58, 56, 56, 3, 3, 1, 1, Workload.INPUT_BITS, 0,
				CONV.split(), CONV.rowsPerScheme());
		Workload workload = new Workload("pixels", List.of(pixels), Scheme.fixed(4));
		DesignEstimate onPixels = DesignEstimate.of(CONFIG, workload, PYNQ_Z2);
		assertEquals(677_856L, onPixels.layers().get(0).engineCycles().get(Scheme.pot(4)));
		// the second pass's products are shifted by 4 into the same accumulators: 4 more bits than for 4-bit
		// inputs (pot 4: 11 + 10 + 4 = 25 bits), 16 rows x 4 bits more in the pot 4 output buffer's width
		assertEquals(14, WorkloadBounds.of(workload, 14).accumulatorGrowthBits());
		assertEquals(10, WorkloadBounds.of(WORKLOAD, 14).accumulatorGrowthBits());
	}

	@Test
	void rowsOfAGroupedLayerAreTakenAsSpreadOverItsGroups() {
		// 32 groups of 4 rows: 6 rows of a scheme lie in up to 6 groups, one step each, whatever the engine's size
		LayerWork grouped = new LayerWork("grouped", 128, 32, 4, 16, 16, 14, 14, 3, 3, 1, 1, 4, 0, Split.of(Scheme
				.fixed(4)), Map.of(Scheme.fixed(4), 128L));
		assertEquals(6, LatencyModel.rowSteps(grouped, 6, 6));
		// 128 rows over 32 groups: 4 per group, in one step of an engine of 4 rows or more, two of an engine of 2
		assertEquals(32, LatencyModel.rowSteps(grouped, 128, 16));
		assertEquals(64, LatencyModel.rowSteps(grouped, 128, 2));
		// and an engine of more than 4 rows gains this layer nothing
		assertEquals(4, LatencyModel.usefulRows(grouped, 128));
	}
}
