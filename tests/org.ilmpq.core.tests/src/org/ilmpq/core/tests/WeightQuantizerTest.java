package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.WeightQuantizer;
import org.junit.jupiter.api.Test;

/** The weight grids of the schemes and where a weight lands on them (see {@link WeightQuantizer}). */
class WeightQuantizerTest {

	private static final WeightQuantizer FIXED4 = WeightQuantizer.of(Scheme.fixed(4));
	private static final WeightQuantizer POT4 = WeightQuantizer.of(Scheme.pot(4));
	private static final WeightQuantizer SP2_4 = WeightQuantizer.of(new Scheme(SchemeKind.SP2, 4));

	@Test
	void fixedFourBitsIsTheSymmetricGridOfSevenStepsEachSide() {
		assertEquals(7, FIXED4.denominator());
		assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), FIXED4.magnitudes());
	}

	@Test
	void fixedPointRoundsToTheNearestStepTiesToEven() {
		assertEquals(7, FIXED4.code(1f));
		assertEquals(-7, FIXED4.code(-1f));
		assertEquals(0, FIXED4.code(0.07f)); // 0.49 steps
		assertEquals(1, FIXED4.code(0.08f)); // 0.56 steps
		assertEquals(4, FIXED4.code(0.5f)); // 3.5 steps: to the even 4
		assertEquals(-2, FIXED4.code(-2.5f / 7)); // -2.5 steps: to the even -2
	}

	@Test
	void valuesBeyondTheRowScaleAreClipped() {
		assertEquals(7, FIXED4.code(1.5f));
		assertEquals(-7, POT4.code(-3f));
	}

	@Test
	void powerOfTwoFourBitsIsZeroAndSevenPowersOfTwoOverSixtyFour() {
		// Mix-and-Match: alpha x {0, +-2^-6, ..., +-2^-1, +-1}; code c stands for 2^(c-7) = 2^(c-1) / 64
		assertEquals(64, POT4.denominator());
		assertEquals(List.of(0, 1, 2, 4, 8, 16, 32, 64), POT4.magnitudes());
		assertEquals(-16, POT4.value(-5));
	}

	@Test
	void powerOfTwoTakesTheNearestLevelAndAMidpointGoesUp() {
		assertEquals(7, POT4.code(0.75f)); // midway between 1/2 and 1
		assertEquals(6, POT4.code(0.7499f));
		assertEquals(1, POT4.code(1f / 128)); // midway between 0 and 2^-6
		assertEquals(0, POT4.code(0.0078f));
		assertEquals(-5, POT4.code(-0.2f)); // nearer 1/4 = 2^(5-7) than 1/8
	}

	@Test
	void sumOfTwoPowersFourBitsHasSevenMagnitudes() {
		// m1 = 2, m2 = 1: q1 in {0, 1/2, 1/4, 1/8}, q2 in {0, 1/2}; code = i1 x 2 + i2
		assertEquals(8, SP2_4.denominator());
		assertEquals(List.of(0, 4, 4, 8, 2, 6, 1, 5), SP2_4.magnitudes());
	}

	@Test
	void sumOfTwoPowersWritesATiedMagnitudeWithItsSmallestCode() {
		assertEquals(1, SP2_4.code(0.5f)); // 1/2 is code 1 (0 + 1/2) and code 2 (1/2 + 0)
		assertEquals(7, SP2_4.code(0.6f)); // 5/8 = 1/8 + 1/2
		assertEquals(-5, SP2_4.code(-0.7f)); // 3/4 = 1/4 + 1/2
	}

	@Test
	void everyCodeOfEveryWidthDecodesToItsOwnLevel() {
		for (SchemeKind kind : SchemeKind.values()) {
			for (int bits = kind.minBits(); bits <= kind.maxBits(); bits++) {
				WeightQuantizer quantizer = WeightQuantizer.of(new Scheme(kind, bits));
				for (int code = -quantizer.maxCode(); code <= quantizer.maxCode(); code++) {
					float level = (float) quantizer.value(code) / quantizer.denominator();
					assertEquals(quantizer.value(code), quantizer.value(quantizer.code(level)),
							quantizer + " code " + code);
				}
			}
		}
	}

	@Test
	void aWidthTheSchemeDoesNotHaveIsNoScheme() {
		// refused where it enters the core: no grid or cost downstream ever sees it
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scheme.pot(6));
		assertEquals("pot 6 is not a scheme: pot takes 2 to 5 bits", e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Scheme.fixed(0));
		assertThrows(IllegalArgumentException.class, () -> new Scheme(SchemeKind.SP2, 16_777_216));
	}
}
