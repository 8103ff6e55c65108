package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.ilmpq.core.quant.RowAllocation;
import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a split's percentages become whole rows (see {@link RowAllocator} for the rule). */
class RowAllocatorTest {

	private static final Split XC7Z020_SPLIT = split("60", Scheme.pot(4), "35", Scheme.fixed(4), "5", Scheme.fixed(8));

	@Test
	void exactSharesAreKept() {
		RowAllocation allocation = RowAllocator.allocate(XC7Z020_SPLIT, 100);
		assertEquals(List.of(60L, 35L, 5L), rows(allocation));
	}

	@Test
	void leftoverRowsGoToTheLargestRemaindersTiesToTheShareListedFirst() {
		// 64 rows: 38.4 pot 4, 22.4 fixed 4, 3.2 fixed 8; floors give 63, the tie .4/.4 goes to pot 4
		RowAllocation allocation = RowAllocator.allocate(XC7Z020_SPLIT, 64);
		assertEquals(List.of(39L, 22L, 3L), rows(allocation));
		assertEquals(new BigDecimal("22.4"), allocation.parts().get(1).exact());
	}

	@Test
	void everySchemeKeepsOneRowWhenTheLayerHasEnoughRows() {
		// 10 rows: 6 pot 4, 3.5 fixed 4, 0.5 fixed 8 -> the 8-bit share is not rounded away
		RowAllocation allocation = RowAllocator.allocate(XC7Z020_SPLIT, 10);
		assertEquals(List.of(6L, 3L, 1L), rows(allocation));
	}

	@Test
	void theMinimumOfOneRowTakesRowsFromTheShareFurthestAboveItsExactValue() {
		Split split = split("90", Scheme.pot(4), "5", Scheme.fixed(4), "5", Scheme.fixed(8));
		RowAllocation allocation = RowAllocator.allocate(split, 3);
		assertEquals(List.of(1L, 1L, 1L), rows(allocation));
		assertEquals(new BigDecimal("-1.7"), allocation.largestDeviation().deviation());
	}

	@Test
	void aLayerWithFewerRowsThanSchemesFallsBackToLargestRemainders() {
		RowAllocation allocation = RowAllocator.allocate(XC7Z020_SPLIT, 2);
		assertEquals(List.of(1L, 1L, 0L), rows(allocation));
	}

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3, 7, 10, 16, 63, 64, 100, 513, 1000, 4096 })
	void rowsAlwaysAddUpToTheLayer(long rows) {
		RowAllocation allocation = RowAllocator.allocate(XC7Z020_SPLIT, rows);
		assertEquals(rows, rows(allocation).stream().mapToLong(Long::longValue).sum());
	}

	private static List<Long> rows(RowAllocation allocation) {
		return allocation.parts().stream().map(RowAllocation.Part::rows).toList();
	}

	private static Split split(Object... percentAndScheme) {
		List<Share> shares = new java.util.ArrayList<>();
		for (int i = 0; i < percentAndScheme.length; i += 2) {
			shares.add(new Share((Scheme) percentAndScheme[i + 1], new BigDecimal((String) percentAndScheme[i])));
		}
		return new Split(shares);
	}
}
