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

	/**
	 * The fastest clock a target may name: far above any FPGA fabric (7-series tops out near 740 MHz, DS187), low
	 * enough that every cycle and byte count of the model stays far inside a long.
	 */
	public static final BigDecimal MAX_CLOCK_MHZ = BigDecimal.valueOf(100_000);

	public Target {
		if (!isClock(clockMhz)) {
			throw new IllegalArgumentException("a clock above 0 and at most " + MAX_CLOCK_MHZ + " MHz, not " + clockMhz);
		}
		for (BigDecimal percent : budgets.values()) {
			if (!isBudget(percent)) {
				throw new IllegalArgumentException("a budget above 0 % and at most 100 %, not " + percent + " %");
			}
		}
		budgets = Map.copyOf(budgets);
	}

	/** Whether a target may run at {@code mhz}: above 0, at most {@link #MAX_CLOCK_MHZ}. */
	public static boolean isClock(BigDecimal mhz) {
		return mhz.signum() > 0 && mhz.compareTo(MAX_CLOCK_MHZ) <= 0;
	}

	/** Whether {@code percent} is a budget: a share above 0 % and at most 100 %. */
	public static boolean isBudget(BigDecimal percent) {
		return percent.signum() > 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0;
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
