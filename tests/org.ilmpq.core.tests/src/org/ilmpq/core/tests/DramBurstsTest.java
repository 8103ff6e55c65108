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
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
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
 * What the DRAM takes of a layer's words (docs/hardware-model.md, "DRAM bound"): runs of consecutive words, bursts
 * of at most 16 beats, each whole DRAM accesses.
 */
class DramBurstsTest {

	private static final CodeFormat UNSIGNED_4 = new CodeFormat(4, false);
	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	@Test
	void aBurstTakesTheDramWholeAccesses() {
		// the PYNQ-Z2's 16-bit DDR3 at BL8 moves 16 bytes an access; a beat of its 64-bit ports is 8
		MemoryBandwidth bandwidth = MemoryBandwidth.of(PYNQ_Z2.part(), 100);
		assertEquals(16, bandwidth.accessBytes());
		assertEquals(16, bandwidth.burstBytes(1, 8));
		assertEquals(16, bandwidth.burstBytes(2, 8));
		assertEquals(32, bandwidth.burstBytes(3, 8));
		// a run of 17 beats is a burst of 16 (128 bytes) and one of 1
		assertEquals(128, bandwidth.burstBytes(16, 8));
		assertEquals(128 + 16, bandwidth.burstBytes(17, 8));
	}

	@Test
	void laneGroupsOfAOnePixelInputContinueTheRunWhereTheirWordBegins() {
		// a linear layer of 64 four-bit inputs (four 16-code words) to 8 fixed 4 rows, on 4 lanes: 16 lane groups,
		// four a word. Each begins a run of one beat (a lane group reads its word again), but the first of a word
		// continues the run of the word before: 3 runs of two beats and 10 of one, 13 accesses of 16 bytes: 208
		// bytes. Weights: 16 lane groups x 2 words (8 rows x 4 lanes of 4-bit codes), 32 beats, two bursts: 256.
		// Parameters: the layer's word, the group's, 8 rows' (64 bytes): 16 + 16 + 64 = 96. Output: 8 codes, one word,
		// 16. In all 576.
		LayerWork linear = new LayerWork("fc", 8, 1, new TensorShape(64, 1, 1), new TensorShape(8, 1, 1),
				Size2d.square(1), Size2d.square(1), Size2d.square(0), Size2d.square(1), UNSIGNED_4, UNSIGNED_4,
				Optional.empty(), Split.of(Scheme.fixed(4)), Map.of(Scheme.fixed(4), 8L));
		AcceleratorConfig config = new AcceleratorConfig(4, 14, 4,
				List.of(new EngineConfig(Scheme.fixed(4), 8, new DspPacking(3))));
		DesignEstimate design = DesignEstimate.of(config, new Workload("fc", List.of(linear), Scheme.fixed(4)), PYNQ_Z2);
		assertEquals(576, design.layers().get(0).dramBytes());
		// its words alone: 16 + 32 + 10 (parameters) + 1 = 59 of 8 bytes, 472
		assertEquals(472, design.layers().get(0).bytes());
	}
}
