package org.ilmpq.core.device;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Where a network is to run: a part, the accelerator clock, and the share of each resource the design may use.
 *
 * @param budgets percent of each resource the design may use; a resource not listed may be used entirely
 */
public record Target(Part part, BigDecimal clockMhz, Map<Resource, BigDecimal> budgets) {

	/** The clock the ILMPQ and FILM-QNN papers run their Zynq designs at. */
	public static final BigDecimal DEFAULT_CLOCK_MHZ = BigDecimal.valueOf(100);

	public Target {
		budgets = Map.copyOf(budgets);
	}

	public BigDecimal budgetPercent(Resource resource) {
		return budgets.getOrDefault(resource, BigDecimal.valueOf(100));
	}
}
