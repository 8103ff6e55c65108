package org.ilmpq.core.hardware;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows an engine's fullest output lane takes when which rows of a group the engine has is not known yet: the
 * scheme of each row is decided in training (by sensitivity or variance, whatever its channel), so the model takes
 * an engine's r rows as drawn at random from the group's N, and lane j holds the channels c with c mod L = j. The
 * lanes' counts are then multivariate hypergeometric, and the output stage of the engine's rows takes as many
 * rounds as the fullest lane has rows (the host deals the rows out lane by lane, so the steps before the engine's last
 * are even and the fullest lane's surplus falls in its last step: {@link LoopNestSchedule}).
 * <p>
 * Exact, by enumerating the lanes' counts, for up to {@link #EXACT_DRAWS} rows on up to {@link #EXACT_LANES} lanes;
 * otherwise the normal approximation of the counts, whose deviations from their mean sum to zero (the expected
 * largest of L such deviations is sqrt(L / (L - 1)) times the expected largest of L independent ones: 0.5642 sigma
 * for two, 1.0294 for four, 1.4236 for eight; Harter, "Expected values of normal order statistics", Biometrika 1961). The expectation for 42 of 64 rows on four
 * lanes, conv1 of ResNet-18 on the pot 4 engine, is 12.4 rounds where spreading them evenly would give 11.
 */
public final class FullestLane {

	/** Draws up to which the counts are enumerated: 12,341 ways of 40 rows on four lanes. */
	static final int EXACT_DRAWS = 40;

	/** Lanes up to which the counts are enumerated: 40 rows on eight lanes have 63 million ways. */
	static final int EXACT_LANES = 4;

	/** The expected largest of L independent standard normal values, L = 0 .. 8 (Harter 1961). */
	private static final double[] LARGEST_NORMAL = { 0, 0, 0.5642, 0.8463, 1.0294, 1.1630, 1.2672, 1.3522, 1.4236 };

	private static final Map<Key, Double> EXPECTATIONS = new ConcurrentHashMap<>();

	private record Key(long rows, long draws, int lanes) {
	}

	private FullestLane() {
	}

	/** The expected rows of the fullest of {@code lanes} lanes when {@code draws} of {@code rows} rows fall at random. */
	public static double expected(long rows, long draws, int lanes) {
		if (lanes <= 1 || draws <= 1 || rows <= draws) {
			// one lane; one row; or every row of the group: no chance in it
			return lanes <= 1 ? draws : draws <= 1 ? draws : LatencyModel.ceil(rows, lanes);
		}
		return EXPECTATIONS.computeIfAbsent(new Key(rows, draws, lanes), key -> compute(rows, draws, lanes));
	}

	private static double compute(long rows, long draws, int lanes) {
		long[] sizes = new long[lanes];
		for (int j = 0; j < lanes; j++) {
			sizes[j] = rows / lanes + (j < rows % lanes ? 1 : 0);
		}
		if (draws <= EXACT_DRAWS && lanes <= EXACT_LANES) {
			double[] logFactorials = logFactorials(rows);
			double logWays = logChoose(logFactorials, rows, draws);
			return enumerate(sizes, 0, draws, 0, 0, logFactorials, logWays);
		}
		double share = 1.0 / lanes;
		double mean = draws * (double) sizes[0] / rows;
		double deviation = Math.sqrt(draws * share * (1 - share) * (rows - draws) / (rows - 1.0));
		double largest = lanes < LARGEST_NORMAL.length ? LARGEST_NORMAL[lanes] : Math.sqrt(2 * Math.log(lanes));
		return Math.min(Math.min(draws, sizes[0]), mean + deviation * Math.sqrt(lanes / (lanes - 1.0)) * largest);
	}

	/** Sum over the counts of lanes {@code j} on of P(counts) x max(fullest so far, their largest). */
	private static double enumerate(long[] sizes, int j, long left, long fullest, double logWeight,
			double[] logFactorials, double logWays) {
		if (j == sizes.length - 1) {
			if (left > sizes[j]) {
				return 0;
			}
			double probability = Math.exp(logWeight + logChoose(logFactorials, sizes[j], left) - logWays);
			return probability * Math.max(fullest, left);
		}
		double sum = 0;
		for (long count = 0; count <= Math.min(left, sizes[j]); count++) {
			sum += enumerate(sizes, j + 1, left - count, Math.max(fullest, count),
					logWeight + logChoose(logFactorials, sizes[j], count), logFactorials, logWays);
		}
		return sum;
	}

	private static double[] logFactorials(long n) {
		double[] table = new double[(int) n + 1];
		for (int i = 2; i <= n; i++) {
			table[i] = table[i - 1] + Math.log(i);
		}
		return table;
	}

	private static double logChoose(double[] logFactorials, long n, long k) {
		return logFactorials[(int) n] - logFactorials[(int) k] - logFactorials[(int) (n - k)];
	}
}
