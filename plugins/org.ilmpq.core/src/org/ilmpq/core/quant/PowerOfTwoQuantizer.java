package org.ilmpq.core.quant;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Power-of-two grids, which land a weight on the nearest level (Mix-and-Match, HPCA 2021):
 * <ul>
 * <li>{@code pot m}: one sign bit, the rest an exponent: {@code alpha x {0, +-2^-(n-1), ..., +-2^-1, +-1}},
 * {@code n = 2^(m-1) - 1}. Code {@code c > 0} stands for {@code 2^(c - n)}, as an integer over {@code 2^(n-1)}
 * that is {@code 2^(c-1)}: a product is a shift by {@code c - 1} (0 .. 6 at 4 bits).</li>
 * <li>{@code sp2 m}: the sum of two powers of two, {@code alpha x (q1 + q2)} with
 * {@code q1 in {0, 2^-1, ..., 2^-(2^m1 - 1)}}, {@code q2 in {0, 2^-1, ..., 2^-(2^m2 - 1)}}, {@code m1 + m2 = m - 1},
 * {@code m1 >= m2}; the code is {@code i1 x 2^m2 + i2}, index 0 meaning q = 0. A product is two shifts and an add.</li>
 * </ul>
 * The decision points are the midpoints between neighbouring distinct levels. They are dyadic rationals, exact
 * in single precision, so the comparison {@code |t| >= midpoint} is exact; a value on a midpoint takes the larger
 * level. Of several codes with one magnitude (SP2 writes 1/2 as 1/2 + 0 or 0 + 1/2) the smallest stands for it.
 */
public final class PowerOfTwoQuantizer extends WeightQuantizer {

	/** Ascending: the midpoints between distinct levels, in units of alpha. */
	private final float[] thresholds;
	/** The code of each distinct level, ascending; one more entry than thresholds. */
	private final int[] levelCodes;

	private PowerOfTwoQuantizer(Scheme scheme, int[] magnitudes, int denominator) {
		super(scheme, magnitudes, denominator);
		TreeMap<Integer, Integer> codeOfMagnitude = new TreeMap<>();
		for (int code = magnitudes.length - 1; code >= 0; code--) {
			codeOfMagnitude.put(magnitudes[code], code);
		}
		Integer[] levels = codeOfMagnitude.keySet().toArray(Integer[]::new);
		levelCodes = codeOfMagnitude.values().stream().mapToInt(Integer::intValue).toArray();
		thresholds = new float[levels.length - 1];
		for (int i = 0; i < thresholds.length; i++) {
			thresholds[i] = (float) ((levels[i] + levels[i + 1]) / (2.0 * denominator));
		}
	}

	static PowerOfTwoQuantizer pot(Scheme scheme) {
		int n = maxCode(scheme.bits());
		int[] magnitudes = new int[n + 1];
		for (int code = 1; code <= n; code++) {
			magnitudes[code] = 1 << (code - 1);
		}
		return new PowerOfTwoQuantizer(scheme, magnitudes, 1 << (n - 1));
	}

	static PowerOfTwoQuantizer sumOfTwo(Scheme scheme) {
		int m1 = scheme.bits() / 2;
		int m2 = scheme.bits() - 1 - m1;
		int top = (1 << m1) - 1;
		int[] magnitudes = new int[maxCode(scheme.bits()) + 1];
		for (int code = 0; code < magnitudes.length; code++) {
			int i1 = code >> m2;
			int i2 = code & ((1 << m2) - 1);
			magnitudes[code] = (i1 == 0 ? 0 : 1 << (top - i1)) + (i2 == 0 ? 0 : 1 << (top - i2));
		}
		return new PowerOfTwoQuantizer(scheme, magnitudes, 1 << top);
	}

	@Override
	public int code(float t) {
		float clipped = clip(t);
		float magnitude = Math.abs(clipped);
		int level = 0;
		while (level < thresholds.length && magnitude >= thresholds[level]) {
			level++;
		}
		int code = levelCodes[level];
		return clipped < 0 ? -code : code;
	}

	@Override
	public String toString() {
		return super.toString() + " " + Arrays.toString(thresholds);
	}
}
