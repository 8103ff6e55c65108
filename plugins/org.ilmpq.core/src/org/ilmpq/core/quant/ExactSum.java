package org.ilmpq.core.quant;

import java.math.BigDecimal;

/**
 * The sum of doubles rounded once, to nearest: the exact sum (BigDecimal holds every double exactly) converted by
 * {@link BigDecimal#doubleValue()}, which rounds correctly. It does not depend on the order of the terms, and
 * Python's math.fsum gives the same double, so the generated script and the Java references agree bit for bit
 * wherever they sum this way (row variance and weight error, the integer reference's global pooling).
 */
public final class ExactSum {

	private ExactSum() {
	}

	public static double of(double[] terms) {
		BigDecimal sum = BigDecimal.ZERO;
		for (double term : terms) {
			sum = sum.add(new BigDecimal(term));
		}
		return sum.doubleValue();
	}
}
