package org.ilmpq.core.quant;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a split's percentages into whole rows of one layer.
 * <p>
 * The rule, in order:
 * <ol>
 * <li>Each share asks for {@code rows x percent / 100} rows, exactly (35 % of 64 rows = 22.4).</li>
 * <li><b>Every scheme with a positive share gets at least one row</b>, when the layer has at least as many rows as
 * such schemes. ILMPQ keeps one ratio in every layer so that one hardware configuration serves all of them, and
 * the small 8-bit share protects the most sensitive rows (RMSMP, FILM-QNN); letting it round to zero in a small
 * layer, often the classifier, would silently drop that protection.</li>
 * <li>Otherwise the largest-remainder method (Hamilton): each share gets the whole part of its exact rows, and
 * the rows left over go one by one to the largest fractional parts; ties go to the share listed first.</li>
 * <li>Where the minimums of step 2 over-allocate, rows are taken back one by one from the shares that stand
 * furthest above their exact value and above their minimum; ties are taken from the share listed last.</li>
 * </ol>
 * Without step 2 no share moves by a whole row or more. With it a share can: three rows split
 * 90 % / 5 % / 5 % become 1 / 1 / 1, so the 90 % share moves by 1.7 rows; validation warns about every layer
 * where a share moves by more than one row.
 */
public final class RowAllocator {

	private RowAllocator() {
	}

	public static RowAllocation allocate(Split split, long rows) {
		List<Share> shares = split.shares();
		int n = shares.size();
		BigDecimal[] exact = new BigDecimal[n];
		long[] minimum = new long[n];
		long[] assigned = new long[n];

		long positiveShares = shares.stream().filter(s -> s.percent().signum() > 0).count();
		boolean everySchemeGetsARow = rows >= positiveShares;
		long total = 0;
		for (int i = 0; i < n; i++) {
			BigDecimal percent = shares.get(i).percent().max(BigDecimal.ZERO);
			exact[i] = BigDecimal.valueOf(rows).multiply(percent).movePointLeft(2);
			minimum[i] = everySchemeGetsARow && percent.signum() > 0 ? 1 : 0;
			assigned[i] = Math.max(minimum[i], exact[i].setScale(0, RoundingMode.FLOOR).longValueExact());
			total += assigned[i];
		}
		while (total < rows) {
			int best = -1;
			for (int i = 0; i < n; i++) {
				if (best < 0 || remainder(exact, assigned, i).compareTo(remainder(exact, assigned, best)) > 0) {
					best = i;
				}
			}
			assigned[best]++;
			total++;
		}
		while (total > rows) {
			int worst = -1;
			for (int i = 0; i < n; i++) {
				if (assigned[i] > minimum[i] && (worst < 0
						|| remainder(exact, assigned, i).compareTo(remainder(exact, assigned, worst)) <= 0)) {
					worst = i;
				}
			}
			assigned[worst]--;
			total--;
		}

		List<RowAllocation.Part> parts = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			parts.add(new RowAllocation.Part(shares.get(i), exact[i].stripTrailingZeros(), assigned[i]));
		}
		return new RowAllocation(rows, parts);
	}

	private static BigDecimal remainder(BigDecimal[] exact, long[] assigned, int i) {
		return exact[i].subtract(BigDecimal.valueOf(assigned[i]));
	}
}
