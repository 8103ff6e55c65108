package org.ilmpq.core.integer;

/**
 * The integer arithmetic of the accelerator between its engines (docs/quantization.md, "Integer requantization"):
 * how an accumulator, a residual operand, an add's operands or a pool's sum become the codes of the next tensor,
 * with fixed-point multipliers and shifts only, after Jacob et al., "Quantization and Training of Neural Networks
 * for Efficient Integer-Arithmetic-Only Inference" (CVPR 2018). The generated script's export, {@code
 * ReferenceInference} and the HLS firmware compute exactly this; this class is its Java definition, and where a
 * multiplier comes from a real number, how it is rounded.
 * <p>
 * Every requantizing step sums its terms in one fixed-point domain, output codes with {@link #FRACTION_BITS}
 * fraction bits ("z"), then rounds half up to a code and clamps it:
 *
 * <pre>
 * weight layer row:  z = floor(acc x M / 2^s) + B [+ residual code x R]     M, s, B per row; R per layer
 * add:               z = sum of operand code x R_i
 * activation:        z = input code x R
 * code = clamp(floor((z + 2^(F-1)) / 2^F), lo, hi)                          lo, hi: the code range, ReLU, ReLU6
 * average pooling:   code = clamp(floor((sum x P + 2^(k-1)) / 2^k), lo, hi)  P / 2^k ~ 1 / window
 * </pre>
 *
 * All of it fits 64-bit integers with room to spare: |acc| < 2^31, M < 2^17, a pre-shift of 8, |B| < 2^25,
 * R < 2^24, codes of at most 16 bits. {@code floor(x / 2^n)} is an arithmetic right shift, in Java, Python and C++
 * alike.
 */
public final class IntegerArithmetic {

	/** F: fraction bits of the sum z, in output codes. A term rounded down to 2^-16 of a code is off by less. */
	public static final int FRACTION_BITS = 16;

	/**
	 * Bits of a row's multiplier M (unsigned): the 18-bit B port of a DSP48E1 or DSP48E2 holds it as a positive
	 * signed number, the accumulator goes to the 25- or 27-bit A port (UG479, UG579).
	 */
	public static final int MULTIPLIER_BITS = 17;

	/** The largest shift s of a row. A row multiplier keeps all 17 bits down to 2^-31 output steps per accumulator step. */
	public static final int MAX_SHIFT = 31;

	/**
	 * The smallest shift of a row, negative: a left shift, for a row whose accumulator step is worth two output
	 * steps or more (up to 512). The hardware shifts the product left by {@code -MIN_SHIFT} (wiring) and right by
	 * {@code s - MIN_SHIFT}, 0 to 39: one barrel shifter, one way.
	 */
	public static final int MIN_SHIFT = -8;

	/** Bits of a row's bias B (signed, in z units): +-512 output steps; a larger bias saturates (export warns). */
	public static final int BIAS_BITS = 26;

	/** Bits of an operand multiplier R (unsigned): ratios of steps up to 256. */
	public static final int OPERAND_MULTIPLIER_BITS = 24;

	/**
	 * Bits of a pool's reciprocal P (unsigned): in [2^15, 2^16], so that a window's mean is off by less than
	 * 2^-16 of a code.
	 */
	public static final int RECIPROCAL_BITS = 17;

	private IntegerArithmetic() {
	}

	/**
	 * A row's real multiplier as M / 2^s: {@code z} gains {@code floor(acc x M / 2^s)}.
	 *
	 * @param mantissa M, below 2^{@value #MULTIPLIER_BITS}
	 * @param shift s, {@value #MIN_SHIFT} to {@value #MAX_SHIFT}
	 */
	public record Multiplier(int mantissa, int shift) {

		/**
		 * The multiplier of a real factor (z units per accumulator unit): the largest shift s at which
		 * {@code rint(factor x 2^s)} still fits M's bits, so M keeps as many significant bits as it can.
		 * {@code rint} rounds half to even, as Python's {@code round} does; {@code x 2^s} is exact.
		 *
		 * @throws IllegalArgumentException for a factor that is negative, not finite, or so large that one
		 *             accumulator step is worth 512 output steps or more (an output scale absurdly finer than its
		 *             layer's)
		 */
		public static Multiplier of(double factor) {
			if (!(factor >= 0) || Double.isInfinite(factor)) {
				throw new IllegalArgumentException("a multiplier of " + factor + " is not a non-negative number");
			}
			for (int shift = MAX_SHIFT; shift >= MIN_SHIFT; shift--) {
				double mantissa = Math.rint(Math.scalb(factor, shift));
				if (mantissa < 1 << MULTIPLIER_BITS) {
					return new Multiplier((int) mantissa, shift);
				}
			}
			throw new IllegalArgumentException("a multiplier of " + factor / (1 << FRACTION_BITS) + " output steps per "
					+ "accumulator step does not fit " + MULTIPLIER_BITS + " bits: the output's scale is too fine");
		}

		/**
		 * The term of an accumulator in z: {@code floor(acc x M / 2^s)}, as the hardware computes it: the product
		 * shifted left by {@code -MIN_SHIFT}, then right by {@code s - MIN_SHIFT}. Exact for |acc| < 2^31.
		 */
		public long apply(long accumulator) {
			return ((accumulator * mantissa) << -MIN_SHIFT) >> (shift - MIN_SHIFT);
		}
	}

	/**
	 * A weight row's multiplier: {@code ((weight step x input step) / output step) x 2^F}, computed in that order
	 * in double precision (the script's export computes it the same way).
	 */
	public static Multiplier rowMultiplier(double weightStep, double inputStep, double outputStep) {
		return Multiplier.of(Math.scalb(weightStep * inputStep / outputStep, FRACTION_BITS));
	}

	/**
	 * A row's bias in z units: {@code rint((bias / output step) x 2^F)}, saturated to {@value #BIAS_BITS} bits
	 * (a bias of more than 512 output steps; see {@link #biasSaturates}).
	 */
	public static long bias(double bias, double outputStep) {
		double z = Math.rint(Math.scalb(bias / outputStep, FRACTION_BITS));
		return (long) Math.max(-(1L << (BIAS_BITS - 1)), Math.min((1L << (BIAS_BITS - 1)) - 1, z));
	}

	/** Whether {@link #bias} saturates this bias. */
	public static boolean biasSaturates(double bias, double outputStep) {
		return Math.abs(Math.rint(Math.scalb(bias / outputStep, FRACTION_BITS))) >= 1L << (BIAS_BITS - 1);
	}

	/**
	 * The multiplier of an operand whose step is {@code operandStep} into an output of step {@code outputStep}:
	 * {@code rint((operand step / output step) x 2^F)}.
	 *
	 * @throws IllegalArgumentException when the ratio is 256 or more (the operand's step 256 output steps)
	 */
	public static int operandMultiplier(double operandStep, double outputStep) {
		double ratio = operandStep / outputStep;
		double multiplier = Math.rint(Math.scalb(ratio, FRACTION_BITS));
		if (!(multiplier >= 0) || multiplier >= 1 << OPERAND_MULTIPLIER_BITS) {
			throw new IllegalArgumentException("an operand step " + ratio + " times the output's does not fit "
					+ OPERAND_MULTIPLIER_BITS + " bits");
		}
		return (int) multiplier;
	}

	/** The code of z: {@code clamp(floor((z + 2^(F-1)) / 2^F), lowest, highest)}, rounding half up. */
	public static int code(long z, int lowest, int highest) {
		long rounded = (z + (1L << (FRACTION_BITS - 1))) >> FRACTION_BITS;
		return (int) Math.max(lowest, Math.min(highest, rounded));
	}

	/**
	 * The largest code of ReLU6's 6 in a tensor of this step: {@code rint(6 / step)}, at most the format's
	 * largest code. As rounding is monotone, clamping the code there is the code of the clamped value.
	 */
	public static int reluSixCode(double step, CodeFormat format) {
		return (int) Math.min(format.levels(), Math.rint(6 / step));
	}

	/**
	 * The fixed-point reciprocal of a pool's window: P / 2^k with {@code k = 15 + ceil(log2 count)} and
	 * {@code P = floor((2^(k+1) + count) / (2 count))}, 2^k / count rounded half up, in [2^15, 2^16]. Integers
	 * only: every implementation gets the same P from the window size.
	 */
	public record Reciprocal(int mantissa, int shift) {

		public static Reciprocal of(long count) {
			if (count < 1 || count > 1L << 30) {
				throw new IllegalArgumentException("a window of " + count + " values");
			}
			int shift = 15 + (64 - Long.numberOfLeadingZeros(count - 1));
			long mantissa = ((1L << (shift + 1)) + count) / (2 * count);
			return new Reciprocal((int) mantissa, shift);
		}

		/** The mean of {@code count} values that sum to {@code sum}, as a code: rounded half up, clamped. */
		public int mean(long sum, int lowest, int highest) {
			long rounded = (sum * mantissa + (1L << (shift - 1))) >> shift;
			return (int) Math.max(lowest, Math.min(highest, rounded));
		}
	}
}
