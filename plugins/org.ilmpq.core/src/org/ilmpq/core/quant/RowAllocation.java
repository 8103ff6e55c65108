package org.ilmpq.core.quant;

import java.math.BigDecimal;
import java.util.List;

/**
 * How the rows of one weight layer are shared between the schemes of its split, in whole rows.
 *
 * @param rows the layer's row count (output channels or output features)
 * @param parts one entry per share of the split, in the split's order
 */
public record RowAllocation(long rows, List<Part> parts) {

	/**
	 * One share's rows: {@code exact} is what the percentage asks for (35 % of 64 rows = 22.4), {@code rows}
	 * what it gets.
	 */
	public record Part(Share share, BigDecimal exact, long rows) {

		/** Rows gained (positive) or lost (negative) to rounding. */
		public BigDecimal deviation() {
			return BigDecimal.valueOf(rows).subtract(exact);
		}
	}

	public RowAllocation {
		parts = List.copyOf(parts);
	}

	/** The part that moved furthest from its exact share. */
	public Part largestDeviation() {
		Part largest = parts.get(0);
		for (Part part : parts) {
			if (part.deviation().abs().compareTo(largest.deviation().abs()) > 0) {
				largest = part;
			}
		}
		return largest;
	}
}
