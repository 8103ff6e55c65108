package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;

import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.RowAssignment;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.core.quant.RowQuantizer;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;

/** Which rows take which scheme ({@link RowPlan}, {@link RowAssignment}) and the per-row quantization. */
class RowAssignmentTest {

	private static Share share(String percent, Scheme scheme) {
		return new Share(scheme, new BigDecimal(percent));
	}

	private static Split split(Share... shares) {
		return new Split(List.of(shares));
	}

	private static RowPlan plan(Split split, long rows) {
		return RowPlan.of(RowAllocator.allocate(split, rows));
	}

	@Test
	void theIlmpqSplitGivesItsEightBitRowsBySensitivityAndPowerOfTwoTheLowestVariance() {
		RowPlan plan = plan(split(share("60", Scheme.pot(4)), share("35", Scheme.fixed(4)), share("5", Scheme.fixed(8))),
				20);
		assertEquals(List.of(12L, 7L, 1L), plan.rows());
		assertEquals(OptionalInt.of(2), plan.sensitive());
		assertEquals(List.of(0, 1), plan.varianceOrder());
		assertEquals(Scheme.fixed(4), plan.probe());
	}

	@Test
	void withoutAWiderSchemeNoRowIsRankedBySensitivity() {
		RowPlan plan = plan(split(share("40", Scheme.fixed(4)), share("60", Scheme.pot(4))), 10);
		assertEquals(OptionalInt.empty(), plan.sensitive());
		assertEquals(List.of(1, 0), plan.varianceOrder()); // pot first, whatever the split's order
		assertEquals(Scheme.fixed(4), plan.probe()); // fixed before pot at one width
	}

	@Test
	void sumOfTwoPowersTakesRowsAfterPowerOfTwoAndBeforeFixedPoint() {
		RowPlan plan = plan(split(share("30", Scheme.fixed(4)), share("30", new Scheme(SchemeKind.SP2, 4)),
				share("40", Scheme.pot(4))), 10);
		assertEquals(List.of(2, 1, 0), plan.varianceOrder());
	}

	@Test
	void theMostSensitiveRowsTakeTheWideSchemeAndTheLowestVarianceRowsPowerOfTwo() {
		RowPlan plan = new RowPlan(List.of(Scheme.pot(4), Scheme.fixed(4), Scheme.fixed(8)), List.of(2L, 1L, 1L),
				OptionalInt.of(2), List.of(0, 1), Scheme.fixed(4));
		double[] sensitivity = { 0.1, 0.9, 0.2, 0.3 };
		double[] variance = { 0.5, 0.0, 0.1, 0.2 };
		// row 1 is the most sensitive: fixed 8; of rows 0, 2, 3 the two lowest variances (2, 3) take pot 4
		assertArrayEquals(new int[] { 1, 2, 0, 0 }, RowAssignment.assign(sensitivity, variance, plan));
	}

	@Test
	void equallySensitiveRowsGoToTheWideSchemeLowerRowFirst() {
		RowPlan plan = new RowPlan(List.of(Scheme.pot(4), Scheme.fixed(8)), List.of(2L, 1L), OptionalInt.of(1),
				List.of(0), Scheme.pot(4));
		assertArrayEquals(new int[] { 0, 1, 0 },
				RowAssignment.assign(new double[] { 0.2, 0.5, 0.5 }, new double[3], plan));
	}

	@Test
	void tiesGoToTheLowerRow() {
		RowPlan plan = new RowPlan(List.of(Scheme.pot(4), Scheme.fixed(4)), List.of(1L, 1L), OptionalInt.empty(),
				List.of(0, 1), Scheme.fixed(4));
		assertArrayEquals(new int[] { 0, 1 }, RowAssignment.assign(new double[2], new double[] { 0.3, 0.3 }, plan));
	}

	@Test
	void theVarianceIsThatOfTheWeightsOverTheRowScaleSoItIgnoresTheRowsMagnitude() {
		float[][] weights = { { 1f, -1f, 1f, -1f }, { 100f, -100f, 100f, -100f }, { 1f, 0f, 0f, 0f } };
		double[] variance = RowAssignment.normalizedVariance(weights);
		assertEquals(1.0, variance[0]);
		assertEquals(1.0, variance[1]);
		assertEquals(0.1875, variance[2]);
	}

	@Test
	void theWeightErrorIsTheSquaredDistanceToTheProbeGrid() {
		// t = 0.5 -> 4/7 at fixed 4; error (4/7 - 1/2)^2 = 1/196 (in single precision)
		double[] error = RowAssignment.weightError(new float[][] { { 1f, 0.5f } }, Scheme.fixed(4));
		assertEquals(1.0 / 196, error[0], 1e-8);
	}

	@Test
	void theOutputErrorWeighsTheWeightErrorByTheCalibrationInputs() {
		float[][] weights = { { 1f, 0.5f } };
		double[] onlyFirst = RowAssignment.outputError(weights, Scheme.fixed(4), new double[][] { { 1, 0 } });
		double[] onlySecond = RowAssignment.outputError(weights, Scheme.fixed(4), new double[][] { { 0, 2 } });
		assertEquals(0.0, onlyFirst[0]); // the row's largest weight is exact
		assertEquals(4.0 / 196, onlySecond[0], 1e-7);
	}

	@Test
	void eachRowIsQuantizedOnItsOwnScaleAndScheme() {
		float[][] weights = { { 0.5f, -0.25f }, { 2f, 1f }, { 0f, 0f } };
		RowQuantizer.QuantizedRows rows = RowQuantizer.quantize(weights, List.of(Scheme.pot(4), Scheme.fixed(4)),
				new int[] { 0, 1, 1 });
		assertArrayEquals(new int[] { 7, -6 }, rows.codes()[0]); // 1 and -1/2 of alpha 0.5
		assertArrayEquals(new int[] { 7, 4 }, rows.codes()[1]); // 1/2 of 7 steps is 3.5: even 4
		assertArrayEquals(new int[] { 0, 0 }, rows.codes()[2]); // an all-zero row keeps alpha 1
		assertArrayEquals(new float[] { 0.5f / 64, 2f / 7, 1f / 7 }, rows.steps());
	}
}
