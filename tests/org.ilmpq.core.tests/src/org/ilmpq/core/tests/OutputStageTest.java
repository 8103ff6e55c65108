package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.LoopNestSchedule;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;

/**
 * The output stage behind the row steps (docs/hardware-model.md, "Cycles"): lanes of two pixels a cycle (four here
 * but where said), lane j taking the rows whose channel is j modulo the lanes, of every engine, one engine's after
 * the other's: a step's output stage takes as many rounds as its fullest lane has rows.
 */
class OutputStageTest {

	private static final CodeFormat UNSIGNED_4 = new CodeFormat(4, false);
	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	/**
	 * A 1 x 1 conv of 16 channels to 64 over one 14 x 14 tile: 16 fixed 4 rows and 48 fixed 8 rows, every row in
	 * one row step of engines as large; its positions (the input tile's 196 words, then one pass of 196 pixels)
	 * are far shorter than the output stage, which runs in the loop after the last step.
	 */
	private static final LayerWork LAYER = new LayerWork("conv", 64, 1, new TensorShape(16, 14, 14),
			new TensorShape(64, 14, 14), Size2d.square(1), Size2d.square(1), Size2d.square(0), Size2d.square(1),
			UNSIGNED_4, UNSIGNED_4, Optional.empty(), Split.of(Scheme.fixed(4)),
			Map.of(Scheme.fixed(4), 16L, Scheme.fixed(8), 48L));

	private static final AcceleratorConfig CONFIG = new AcceleratorConfig(16, 14, 4,
			List.of(new EngineConfig(Scheme.fixed(4), 16, new DspPacking(3)),
					new EngineConfig(Scheme.fixed(8), 48, new DspPacking(2))));

	private static long cycles(LayerWork layer) {
		return cycles(CONFIG, layer);
	}

	/**
	 * The layer's loops in tiles of the design's 14 x 14, as the output stage's cases below are worked out; the design
	 * runs a layer of one tile in four where that is faster ({@link #aLayerOfOneTileRunsInFourWhereThatIsFaster}).
	 */
	private static long cycles(AcceleratorConfig config, LayerWork layer) {
		return LoopNestSchedule.cycles(layer.onLanes(config.lanes(), config.outputLanes(), 4), config, 4, 64, null);
	}

	/** The schemes of the 64 rows: fixed 4 where {@code fixed4} says so. */
	private static List<Scheme> rows(java.util.function.IntPredicate fixed4) {
		List<Scheme> schemes = new ArrayList<>();
		for (int channel = 0; channel < 64; channel++) {
			schemes.add(fixed4.test(channel) ? Scheme.fixed(4) : Scheme.fixed(8));
		}
		return schemes;
	}

	@Test
	void hasAsManyLanesAsTheNarrowestWordOfOutputCodesAllows() {
		// lane j writes the banks c mod P of the channels c = j mod lanes: the lanes divide every format's P
		assertEquals(8, maxOutputLanes(UNSIGNED_4, 64)); // 16 codes a word, eight lanes at most
		assertEquals(8, maxOutputLanes(new CodeFormat(8, true), 64)); // 8 a word
		assertEquals(4, maxOutputLanes(new CodeFormat(16, true), 64)); // 4 a word
		assertEquals(4, maxOutputLanes(new CodeFormat(8, true), 32)); // 4 a word
	}

	private static int maxOutputLanes(CodeFormat output, int wordBits) {
		LayerWork layer = new LayerWork("conv", 64, 1, new TensorShape(16, 14, 14), new TensorShape(64, 14, 14),
				Size2d.square(1), Size2d.square(1), Size2d.square(0), Size2d.square(1), UNSIGNED_4, output,
				Optional.empty(), Split.of(Scheme.fixed(4)), Map.of(Scheme.fixed(4), 64L));
		return WorkloadBounds.of(new Workload("one-conv", List.of(layer), Scheme.fixed(4)), 14, wordBits)
				.maxOutputLanes();
	}

	@Test
	void eightLanesTakeHalfTheRoundsOfFour() {
		// the export below at eight lanes: fixed 4's rows on channels 0 to 15 two a lane, fixed 8's six: its output
		// stage 8 x 98 = 784 cycles instead of 1,568, so 3,002 - 784
		AcceleratorConfig eightLanes = new AcceleratorConfig(16, 14, 8, CONFIG.engines());
		LayerWork layer = LAYER.withRowSchemes(rows(channel -> channel < 16));
		assertEquals(3_002 - 784, cycles(eightLanes, layer));
	}

	@Test
	void rowsSpreadOverTheLanesTakeAQuarterOfTheRounds() {
		// the layer's word and the group's counts, lone reads: 2 x (1 + 64) = 130; the step: its positions 196 + 196
		// = 392, its 64 parameter words fewer: 392 + 64 = 456; what it leaves: the output stage, 16 rounds (each lane
		// has 4 fixed 4 rows and 12 fixed 8 ones) of 196 / 2 = 98 cycles, 1,568, and the tile's 196 x 4 words:
		// 1,568 + 784 + 64 = 2,416. In all 130 + 456 + 2,416 = 3,002 cycles, for an export of fixed 4 rows on
		// channels 0 to 15
		assertEquals(3_002, cycles(LAYER.withRowSchemes(rows(channel -> channel < 16))));
	}

	@Test
	void withoutAnExportEachStepsRowsAreTakenAsEvenOverTheLanes() {
		// which channels take fixed 4 is decided in training, but a lane takes its channels of every engine, 16 in
		// all whatever the split: the 16 rounds of the export above
		assertEquals(3_002, cycles(LAYER));
	}

	@Test
	void theHostDealsTheRowsOutToTheStepsSoThatEachStepsLanesAreEven() {
		// fixed 4 takes 8 rows a step: its 16 rows are channels 0, 4, ..., 28 (lane 0) and 33, 37, ..., 61 (lane 1);
		// fixed 8 takes the other 48 in its one step: 8, 8, 16 and 16 of lanes 0 to 3. In ascending order fixed 4's
		// first step would be all lane 0 (16 rows there with fixed 8's) and its second all lane 1: 16 + 8 rounds.
		// Dealt out with the steps' lanes even, fixed 4's first step holds 4 of lane 0 and 4 of lane 1: 12, 12, 16
		// and 16 rows, 16 rounds, and its second 4 and 4, 4 rounds.
		// The layer's and the group's words 130; step 1 (fixed 4 and fixed 8) 392 + 64 = 456; step 2 (fixed 4) behind
		// step 1's output stage, 16 x 98 = 1,568 cycles: 1,632; then step 2's output stage, 4 x 98, and the tile's
		// 784 words: 392 + 784 + 64 = 1,240. In all 3,458 (3,850 in ascending order).
		AcceleratorConfig eightRows = new AcceleratorConfig(16, 14, 4,
				List.of(new EngineConfig(Scheme.fixed(4), 8, new DspPacking(3)),
						new EngineConfig(Scheme.fixed(8), 48, new DspPacking(2))));
		LayerWork layer = LAYER.withRowSchemes(
				rows(channel -> channel < 32 && channel % 4 == 0 || channel > 32 && channel % 4 == 1));
		assertEquals(3_458, cycles(eightRows, layer));
	}

	@Test
	void anEnginesRowsInOneLaneShareTheRoundsWithTheOtherEngines() {
		// fixed 4 on channels 0, 4, ..., 60: all 16 in lane 0, and fixed 8 16 in each other lane: 16 rounds, as
		// evenly spread rows take (were the engines to take turns at the lanes, 16 + 16)
		assertEquals(3_002, cycles(LAYER.withRowSchemes(rows(channel -> channel % 4 == 0))));
	}

	@Test
	void aLayerOfOneTileRunsInFourWhereThatIsFaster() {
		// in one 14 x 14 tile the layer loads its 196 input words before it computes and stores its 784 words after
		// its output stage: 3,002 cycles. In four tiles of 7 x 7 each loads the next one's input while it computes,
		// and each one's words go out beside the step of the tile after the next: 2,797
		LayerWork layer = LAYER.withRowSchemes(rows(channel -> channel < 16));
		assertEquals(3_002, cycles(CONFIG, layer));
		assertEquals(2_797, cycles(CONFIG.withTile(7), layer));
		DesignEstimate design = DesignEstimate.of(CONFIG, new Workload("one-conv", List.of(layer), Scheme.fixed(4)),
				PYNQ_Z2);
		assertEquals(2_797, design.layers().get(0).cycles());
	}
}
