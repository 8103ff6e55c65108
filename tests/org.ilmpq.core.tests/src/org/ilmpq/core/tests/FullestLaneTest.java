package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ilmpq.core.hardware.FullestLane;
import org.junit.jupiter.api.Test;

/** The output stage's fullest lane when an engine's rows are drawn at random from a group's (FullestLane). */
class FullestLaneTest {

	@Test
	void twoOfEightRowsOnFourLanesShareALaneOnceInSeven() {
		// 28 pairs of rows, 4 of them in one lane: the fullest lane has 2 rows with probability 1/7
		assertEquals(8.0 / 7, FullestLane.expected(8, 2, 4), 1e-12);
	}

	@Test
	void rowsDrawnAtRandomFillTheFullestLaneBeyondAnEvenSpread() {
		// conv1 of ResNet-18: 42 pot 4 rows of 64 on four lanes of 16 channels; spread evenly 11 rounds, drawn at
		// random 12.42 (over the 14,190 ways the rows can fall; above 40 rows the model approximates: 12.47)
		assertEquals(12.42, FullestLane.expected(64, 42, 4), 0.06);
		// 3 fixed 8 rows: 1.66 rounds where an even spread gives one
		assertEquals(1.6605, FullestLane.expected(64, 3, 4), 1e-4);
	}

	@Test
	void everyRowOfTheGroupSpreadsAsTheChannelsDo() {
		assertEquals(16.0, FullestLane.expected(64, 64, 4));
		assertEquals(42.0, FullestLane.expected(64, 42, 1));
	}

	@Test
	void theNormalApproximationTakesOverWhereTheEnumerationStops() {
		// 40 rows are enumerated (11.970 exactly), 41 approximated (12.197 exactly): no step between them
		double enumerated = FullestLane.expected(64, 40, 4);
		double approximated = FullestLane.expected(64, 41, 4);
		assertEquals(11.970, enumerated, 1e-3);
		assertEquals(12.197, approximated, 0.06);
		assertTrue(approximated > enumerated);
	}

	@Test
	void onEightLanesTheNormalApproximationHoldsForFewRowsAndMany() {
		// not enumerated on eight lanes; sampled (200,000 draws): 7.05 for 42 of 64 rows, 22.64 for 150 of 256
		assertEquals(7.05, FullestLane.expected(64, 42, 8), 0.15);
		assertEquals(22.64, FullestLane.expected(256, 150, 8), 0.15);
	}
}
