package org.ilmpq.core.quant;

import java.math.BigDecimal;

/** The percentage of a layer's rows (output channels) that one scheme takes. */
public record Share(Scheme scheme, BigDecimal percent) {

	@Override
	public String toString() {
		return percent.stripTrailingZeros().toPlainString() + " % " + scheme;
	}
}
