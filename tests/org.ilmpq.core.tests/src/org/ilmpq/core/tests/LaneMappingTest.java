package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.MemoryBandwidth;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;

/**
 * What the lanes carry, per layer (docs/hardware-model.md, "Mappings"), and the exact DRAM bound the model and the
 * counting simulation share.
 */
class LaneMappingTest {

	private static final CodeFormat UNSIGNED_4 = new CodeFormat(4, false);
	private static final CodeFormat PIXELS = new CodeFormat(8, true);
	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	private static LayerWork conv(long in, long out, long groups, int kernel, int stride, long size, CodeFormat input,
			Map<Scheme, Long> rows) {
		long outSize = size / stride;
		return new LayerWork("conv", out, groups, new TensorShape(in, size, size), new TensorShape(out, outSize, outSize),
				Size2d.square(kernel), Size2d.square(stride), Size2d.square(kernel / 2), Size2d.square(1), input,
				UNSIGNED_4, Optional.empty(), Split.of(Scheme.fixed(4)), rows);
	}

	@Test
	void aDepthwiseLayerRunsOnTheDepthwiseUnitInGroupsOfAsManyChannelsAsLanes() {
		LayerWork depthwise = conv(96, 96, 96, 3, 1, 14, UNSIGNED_4, Map.of(Scheme.fixed(4), 96L));
		LayerWork onLanes = depthwise.onLanes(16, 4, 4);
		// 96 groups of one channel become 6 of 16 channels and 16 rows, lane n channel n, one pass for the kernel
		assertTrue(onLanes.onDepthwiseUnit());
		assertEquals(6, onLanes.groups());
		assertEquals(16, onLanes.inputChannelsPerGroup());
		assertEquals(1, onLanes.kernelArea());
		// the pass reads the 16 rows of the input tile; a row takes 14 cycles, an output each, after one that reads
		// its first two columns
		assertEquals(16 * (14 + 1), onLanes.passCycles(14, 14, 4));
		// at stride 2 the 29 rows of a 14 x 14 tile's input, a cycle for the first column, then two a cycle
		LayerWork strided = conv(96, 96, 96, 3, 2, 28, UNSIGNED_4, Map.of(Scheme.fixed(4), 96L)).onLanes(16, 4, 4);
		assertEquals(29 * (14 + 1), strided.passCycles(14, 14, 4));
		// on 64 lanes the largest divisor of 96 not above 64: 48 channels a group
		assertEquals(2, depthwise.onLanes(64, 4, 4).groups());
	}

	@Test
	void aDepthwiseLayerTheUnitCannotTakeRunsOnTheEnginesEachRowOnItsChannelsLane() {
		// a 5 x 5 kernel is larger than the unit's 3 x 3 window; a group of 12 channels does not fill an output stage
		// of 8 lanes evenly
		LayerWork wide = conv(96, 96, 96, 5, 1, 14, UNSIGNED_4, Map.of(Scheme.fixed(4), 96L));
		assertFalse(wide.onLanes(16, 4, 4).onDepthwiseUnit());
		assertEquals(25, wide.onLanes(16, 4, 4).kernelArea());
		assertEquals(6, wide.onLanes(16, 4, 4).groups());
		LayerWork twelve = conv(96, 96, 96, 3, 1, 14, UNSIGNED_4, Map.of(Scheme.fixed(4), 96L));
		assertFalse(twelve.onLanes(12, 8, 4).onDepthwiseUnit());
		assertTrue(twelve.onLanes(12, 4, 4).onDepthwiseUnit());
	}

	@Test
	void theDepthwiseUnitTakesTheWholeKernelOfEveryChannelOfAGroupInOnePass() {
		// 32 channels, 3 x 3, on a 14 x 14 map in one tile: two groups of 16 on 16 lanes. The layer's word 65; each
		// group one row step, no counts word (the unit takes every row). Its pass reads the input tile's 16 rows in
		// 14 + 1 cycles each, 240; its weights are 16 x 9 eight-bit codes, 18 words; its input window 16 x 16 = 256
		// words. The first group loads its input (256) before it computes, then its pass, in which it loads the
		// second group's input, longer: 512 + 64 = 576. The second loads its weights (18) and computes (240), behind
		// the first group's output stage (16 rows, 4 a lane: 4 rounds of 98 pixel pairs, 392): 392 + 64 = 456. The
		// first group's 16 channels fill a word of each pixel, so it stores its own (196 words) from its output tile
		// buffer, beside the second group's output stage into the other; then the second's words: what the last step
		// leaves, 392 + 196 + 64 = 652. 65 + 576 + 456 + 652 = 1,749
		LayerWork depthwise = conv(32, 32, 32, 3, 1, 14, UNSIGNED_4, Map.of(Scheme.fixed(4), 24L, Scheme.fixed(8), 8L));
		AcceleratorConfig config = new AcceleratorConfig(16, 14, 4, List.of(
				new EngineConfig(Scheme.fixed(4), 16, new DspPacking(3)),
				new EngineConfig(Scheme.fixed(8), 4, new DspPacking(2))));
		LayerTiming timing = DesignEstimate.of(config, new Workload("dw", List.of(depthwise), Scheme.fixed(4)), PYNQ_Z2)
				.layers().get(0);
		assertEquals(1_749, timing.computeCycles());
		// the engines wait meanwhile
		assertEquals(0L, timing.engineCycles().get(Scheme.fixed(4)));
	}

	@Test
	void aDepthwiseLayerTakesTheLargestGroupThatDividesItsChannels() {
		// 144 channels on 32 lanes (MobileNetV2's block3): 6 groups of 24, where groups of gcd(144, 32) = 16 would
		// be 9 and leave half the lanes idle
		LayerWork depthwise = conv(144, 144, 144, 3, 1, 56, UNSIGNED_4, Map.of(Scheme.fixed(4), 144L));
		assertEquals(6, depthwise.onLanes(32, 4, 4).groups());
		assertEquals(24, depthwise.onLanes(32, 4, 4).inputChannelsPerGroup());
	}

	@Test
	void aFirstLayerOfThreeChannelsPutsItsKernelColumnsOnTheLanesToo() {
		LayerWork first = conv(3, 64, 1, 7, 2, 224, PIXELS, Map.of(Scheme.fixed(4), 64L));
		LayerWork onLanes = first.onLanes(16, 4, 8);
		// lane (kx, c) = kx x 3 + c: 21 lanes in 2 lane groups, a pass per kernel row
		assertEquals(7, onLanes.columnsOnLanes());
		assertEquals(21, onLanes.inputChannelsPerGroup());
		assertEquals(2, onLanes.laneGroups(16));
		assertEquals(7, onLanes.kernelArea());
		assertEquals(1, onLanes.passes(8));
		assertEquals(first.macs(), onLanes.macs());
		// every lane group reads every channel of a pixel: one word of three 8-bit codes
		assertEquals(1, onLanes.laneGroupWords(0, 1, 16, 8));
	}

	@Test
	void eightBitPixelsOnFourBitLanesTakeTwoLanesEachInsteadOfTwoPasses() {
		LayerWork first = conv(3, 64, 1, 7, 2, 224, PIXELS, Map.of(Scheme.fixed(4), 64L));
		LayerWork onLanes = first.onLanes(16, 4, 4);
		// a value's lower slice on lane n, its upper slice on lane n + 8: 8 values a lane group, 21 in 3 lane groups
		// of one pass each, instead of 2 lane groups of two passes
		assertEquals(2, onLanes.lanesPerValue());
		assertEquals(8, onLanes.valueLanes(16));
		assertEquals(3, onLanes.laneGroups(16));
		assertEquals(2, onLanes.slices(4));
		assertEquals(1, onLanes.passes(4));
		assertEquals(first.macs(), onLanes.macs());
	}

	@Test
	void codesOfFourSlicesTakeTwoPassesOfTwoSlices() {
		LayerWork first = conv(3, 64, 1, 7, 2, 224, PIXELS, Map.of(Scheme.fixed(4), 64L));
		LayerWork onLanes = first.onLanes(64, 4, 2);
		assertEquals(4, onLanes.slices(2));
		assertEquals(2, onLanes.passes(2));
		assertEquals(1, onLanes.laneGroups(64));
	}

	@Test
	void activationCodesTakeOneLaneEach() {
		LayerWork plain = conv(64, 64, 1, 3, 1, 56, UNSIGNED_4, Map.of(Scheme.fixed(4), 64L));
		assertEquals(1, plain.onLanes(16, 4, 4).lanesPerValue());
		assertEquals(4, plain.onLanes(16, 4, 4).laneGroups(16));
		assertEquals(1, plain.onLanes(16, 4, 4).passes(4));
	}

	@Test
	void aLayerOfAsManyChannelsAsLanesKeepsItsChannelsOnTheLanes() {
		LayerWork plain = conv(64, 64, 1, 3, 1, 56, UNSIGNED_4, Map.of(Scheme.fixed(4), 64L));
		assertSame(plain, plain.onLanes(16, 4, 4));
		assertSame(plain, plain.onLanes(64, 4, 4));
	}

	@Test
	void theDramBoundIsAnExactFraction() {
		// PYNQ-Z2: 2,100 MB/s x 75 % at 100 MHz = 15.75 = 63 / 4 bytes a cycle
		MemoryBandwidth bandwidth = MemoryBandwidth.of(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(), 100);
		assertEquals(63, bandwidth.bytes());
		assertEquals(4, bandwidth.cycles());
		// 786,560 bytes take 786,560 x 4 / 63 = 49,940.3 cycles: 49,941
		assertEquals(49_941, bandwidth.cyclesFor(786_560));
		assertEquals(4, bandwidth.cyclesFor(63));
		assertEquals(5, bandwidth.cyclesFor(64));
	}

	@Test
	void aDepthwiseLayersGroupsCostTheRowsAnExportGaveThem() {
		// 32 channels, 5 x 5 (wider than the depthwise unit's taps), 16 on the lanes at a time: two groups; the
		// export puts the 8 fixed 8 rows all in the second, which the fixed 8 engine of 4 rows takes in two steps:
		// three steps, each loading the group's 14 x 14 input pixels inside the map, a word each (16 four-bit codes):
		// 3 x 196 = 588 words
		Map<Scheme, Long> rows = Map.of(Scheme.fixed(4), 24L, Scheme.fixed(8), 8L);
		LayerWork depthwise = conv(32, 32, 32, 5, 1, 14, UNSIGNED_4, rows);
		AcceleratorConfig config = new AcceleratorConfig(16, 14, 4, List.of(
				new EngineConfig(Scheme.fixed(4), 16, new DspPacking(3)),
				new EngineConfig(Scheme.fixed(8), 4, new DspPacking(2))));
		List<Scheme> schemes = new ArrayList<>(Collections.nCopies(24, Scheme.fixed(4)));
		schemes.addAll(Collections.nCopies(8, Scheme.fixed(8)));
		Workload given = new Workload("dw", List.of(depthwise.withRowSchemes(schemes)), Scheme.fixed(4));
		assertEquals(588, DesignEstimate.of(config, given, PYNQ_Z2).layers().get(0).traffic().inputWords());
		// without the export, the rows are taken as drawn at random: a group of 16 holds 4 fixed 8 rows on average,
		// more than 4 about a third of the time
		Workload expected = new Workload("dw", List.of(depthwise), Scheme.fixed(4));
		long input = DesignEstimate.of(config, expected, PYNQ_Z2).layers().get(0).traffic().inputWords();
		assertEquals(true, input > 2 * 196 && input < 588, input + " words");
	}
}
