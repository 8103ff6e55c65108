package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.integer.IntegerArithmetic.Multiplier;
import org.ilmpq.core.integer.IntegerArithmetic.Reciprocal;
import org.junit.jupiter.api.Test;

/** The integer requantization (docs/quantization.md): how reals become multipliers, and how sums become codes. */
class IntegerArithmeticTest {

	@Test
	void aRowMultiplierTakesTheLargestShiftItsSeventeenBitsAllow() {
		// 0.01 output steps per accumulator step is 655.36 in z units (x 2^16); x 2^7 = 83,886.08 fits 17 bits,
		// x 2^8 = 167,772.16 does not
		assertEquals(new Multiplier(83_886, 7), Multiplier.of(0.01 * 65_536));
		assertEquals(new Multiplier(83_886, 7), IntegerArithmetic.rowMultiplier(0.05, 0.02, 0.1));
	}

	@Test
	void aMultiplierAppliesAsAFloorShift() {
		// floor(1,000 x 83,886 / 2^7) = floor(655,359.375); floor(-1,000 x 83,886 / 2^7) = -655,360
		assertEquals(655_359L, new Multiplier(83_886, 7).apply(1_000));
		assertEquals(-655_360L, new Multiplier(83_886, 7).apply(-1_000));
	}

	@Test
	void aTinyMultiplierKeepsTheLargestShiftWithFewerBits() {
		assertEquals(new Multiplier(2_048, 31), Multiplier.of(Math.scalb(1.0, -20)));
		assertEquals(new Multiplier(0, 31), Multiplier.of(0));
	}

	@Test
	void anAccumulatorStepWorthSeveralOutputStepsShiftsLeft() {
		// 3 output steps per accumulator step: 196,608 in z units, 98,304 x 2^1; ten steps are 30 output steps
		Multiplier three = Multiplier.of(3.0 * 65_536);
		assertEquals(new Multiplier(98_304, -1), three);
		assertEquals(30L * 65_536, three.apply(10));
		assertEquals(-30L * 65_536, three.apply(-10));
	}

	@Test
	void anAccumulatorStepWorthFiveHundredAndTwelveOutputStepsIsRefused() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Multiplier.of(512.0 * 65_536));
		assertEquals("a multiplier of 512.0 output steps per accumulator step does not fit 17 bits: the output's scale "
				+ "is too fine", e.getMessage());
	}

	@Test
	void aCodeRoundsHalfUpThenClamps() {
		int half = 1 << 15;
		assertEquals(3, IntegerArithmetic.code(2 * 65_536 + half, -7, 7));
		assertEquals(-2, IntegerArithmetic.code(-2 * 65_536 - half, -7, 7));
		assertEquals(-3, IntegerArithmetic.code(-2 * 65_536 - half - 1, -7, 7));
		assertEquals(7, IntegerArithmetic.code(100L * 65_536, -7, 7));
		assertEquals(0, IntegerArithmetic.code(-100L * 65_536, 0, 15));
	}

	@Test
	void aBiasOfMoreThanFiveHundredAndTwelveOutputStepsSaturates() {
		assertEquals(-3 * 65_536 / 2, IntegerArithmetic.bias(-0.15, 0.1));
		assertFalse(IntegerArithmetic.biasSaturates(-0.15, 0.1));
		assertEquals((1L << 25) - 1, IntegerArithmetic.bias(600, 1));
		assertTrue(IntegerArithmetic.biasSaturates(600, 1));
	}

	@Test
	void anOperandMultiplierIsTheRatioOfStepsInZUnits() {
		assertEquals(32_768, IntegerArithmetic.operandMultiplier(0.05, 0.1));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> IntegerArithmetic.operandMultiplier(25.6, 0.1));
		assertEquals("an operand step 256.0 times the output's does not fit 24 bits", e.getMessage());
	}

	@Test
	void reluSixIsTheCodeOfSixAtMost() {
		assertEquals(12, IntegerArithmetic.reluSixCode(0.5, new CodeFormat(4, false)));
		assertEquals(15, IntegerArithmetic.reluSixCode(0.25, new CodeFormat(4, false)));
	}

	@Test
	void aPoolsReciprocalIsTheWindowsInverseInSixteenBits() {
		// 2^19 / 9 = 58,254.2; 2^21 / 49 = 42,799.0; a window of one is 2^15 / 2^15
		assertEquals(new Reciprocal(58_254, 19), Reciprocal.of(9));
		assertEquals(new Reciprocal(42_799, 21), Reciprocal.of(49));
		assertEquals(new Reciprocal(32_768, 15), Reciprocal.of(1));
		assertEquals(new Reciprocal(32_768, 17), Reciprocal.of(4));
	}

	@Test
	void aMeanRoundsHalfUpAndStaysInTheCodes() {
		// 45 / 9 = 5; 22 / 4 = 5.5 -> 6; -22 / 4 = -5.5 -> -5; nine codes of 15 average 15, not 16
		assertEquals(5, Reciprocal.of(9).mean(45, 0, 15));
		assertEquals(6, Reciprocal.of(4).mean(22, 0, 15));
		assertEquals(-5, Reciprocal.of(4).mean(-22, -7, 7));
		assertEquals(15, Reciprocal.of(9).mean(9 * 15, 0, 15));
	}

	@Test
	void codesPerWordAreAPowerOfTwo() {
		assertEquals(16, new CodeFormat(4, false).codesPerWord(64));
		assertEquals(8, new CodeFormat(8, true).codesPerWord(64));
		// 64 / 5 = 12 codes would fit, but 8 keep a code's word a shift of its index
		assertEquals(8, new CodeFormat(5, false).codesPerWord(64));
		assertEquals(32, new CodeFormat(4, false).codesPerWord(128));
	}
}
