package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.hardware.BlockRamMapping;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.FabricCosts;
import org.junit.jupiter.api.Test;

/** The unit costs the hardware model is built from. */
class FabricCostsTest {

	@Test
	void aMultiplexerTakesOneLutPerFourInputs() {
		// UG474: 4:1 in one LUT, 8:1 in two, 16:1 in four
		assertEquals(0, FabricCosts.multiplexer(1));
		assertEquals(1, FabricCosts.multiplexer(4));
		assertEquals(2, FabricCosts.multiplexer(8));
		assertEquals(4, FabricCosts.multiplexer(16));
	}

	@Test
	void aPot4ProductOfAFourBitActivationIsFourteenLuts() {
		// ten output bits selecting among 1,2,3,4,4,4,4,3,2,1 shifted input bits, plus zero: 2..5-input muxes
		assertEquals(14, FabricCosts.shifter(4, 6));
		// pot 3 shifts by 0..2: six output bits of 1,2,3,3,2,1 sources + zero: one LUT each
		assertEquals(6, FabricCosts.shifter(4, 2));
	}

	@Test
	void distributedRamTakesFourLutsPerThirtyTwoWordsOfSixBits() {
		// UG474: a RAM32M is 32 x 6 bits simple dual port in a SLICEM's four LUTs; a line buffer half of 29 codes of
		// 5 bits is one, 57 of them two, 8 bits in 32 words two
		assertEquals(4, FabricCosts.distributedRam(5, 29));
		assertEquals(8, FabricCosts.distributedRam(5, 57));
		assertEquals(8, FabricCosts.distributedRam(8, 32));
	}

	@Test
	void anAdderTreeWidensByABitPerLevel() {
		assertEquals(8 * 11 + 4 * 12 + 2 * 13 + 14, FabricCosts.adderTree(16, 11));
		assertEquals(0, FabricCosts.adderTree(1, 11));
		// three values: one pair, then the sum and the odd one
		assertEquals(8 + 9, FabricCosts.adderTree(3, 8));
	}

	@Test
	void log2CeilCountsTheBitsAnAccumulationAdds() {
		assertEquals(0, FabricCosts.log2Ceil(1));
		assertEquals(10, FabricCosts.log2Ceil(576));
		assertEquals(13, FabricCosts.log2Ceil(4_608));
	}

	@Test
	void blockRamFollowsTheAspectRatiosOfARamb18() {
		// FINN's rule: 4 bits wide -> 4K deep; 36 bits wide and at most 512 deep -> 512 x 36
		assertEquals(1, BlockRamMapping.ramb18(4, 4096));
		assertEquals(2, BlockRamMapping.ramb18(4, 4097));
		assertEquals(10, BlockRamMapping.ramb18(336, 196));
		// deeper than 512: 1K x 18 pieces, ceil(2048 / 1024) x ceil(36 / 18)
		assertEquals(4, BlockRamMapping.ramb18(36, 2048));
	}

	@Test
	void smallBuffersAreDistributedRam() {
		assertEquals(0, BlockRamMapping.ramb18(32, 32));
		assertEquals(32, BlockRamMapping.distributedRamLuts(32, 32));
		assertEquals(0, BlockRamMapping.distributedRamLuts(36, 256));
	}

	@Test
	void aDsp48e1PacksThreeFourBitOrTwoEightBitProductsInFieldsThatDoNotOverlap() {
		// 4-bit weight x 5-bit lane: 9-bit fields, the third at bit 18 ending at bit 21 of the 25-bit A input
		assertEquals(9, DspPacking.fieldBits(4, 4));
		assertEquals(3, DspPacking.of(DspSlice.DSP48E1, 4, 4).productsPerDsp());
		// 8-bit weights: 13-bit fields, the second ending at bit 20
		assertEquals(2, DspPacking.of(DspSlice.DSP48E1, 8, 4).productsPerDsp());
		assertEquals(1, DspPacking.of(DspSlice.DSP48E1, 16, 4).productsPerDsp());
	}

	@Test
	void aDsp48e2PacksNoMoreFourBitProductsThanADsp48e1() {
		// 27 bits of A: a fourth field would end at bit 31
		assertEquals(3, DspPacking.of(DspSlice.DSP48E2, 4, 4).productsPerDsp());
	}

	@Test
	void packedRowsShareTheSlicesOfEachLaneAndCorrectEveryFieldButTheLowest() {
		// 10 rows over 16 lanes, three per slice: ceil(10 / 3) x 16 = 64 slices, two 9-bit corrections each
		assertEquals(64, new DspPacking(3).slices(10, 16));
		assertEquals(64 * 2 * 9, new DspPacking(3).correctionLuts(64, 9));
	}
}
