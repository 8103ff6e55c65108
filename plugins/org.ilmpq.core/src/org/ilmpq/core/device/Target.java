package org.ilmpq.core.device;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

	/** How much of {@code resource} a design may use on this target; block RAM in 18 Kb blocks. */
	public long allowed(Resource resource) {
		return budget(part.device().available(resource), budgetPercent(resource));
	}

	/** How much of {@code available} a budget of {@code percent} allows, rounded down. */
	public static long budget(long available, BigDecimal percent) {
		return BigDecimal.valueOf(available).multiply(percent).divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
				.longValueExact();
	}
}
