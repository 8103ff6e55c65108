package org.ilmpq.generator.report;

import java.util.Locale;

/**
 * How reports print numbers: always the same digits for the same value, whatever the machine's locale, so that a
 * report is reproducible byte for byte.
 */
public final class ReportNumbers {

	private ReportNumbers() {
	}

	/** A value with {@code decimals} decimals: 47.27. */
	public static String fixed(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	/** A count with thousands separators: 53,200. */
	public static String count(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	/** A share as a percentage without decimals: 0.934 -> 93 %. */
	public static String percent(double share) {
		return String.format(Locale.ROOT, "%.0f %%", 100 * share);
	}

	/** A value rounded to {@code decimals} decimals, for JSON. */
	public static double round(double value, int decimals) {
		double scale = Math.pow(10, decimals);
		return Math.round(value * scale) / scale;
	}
}
