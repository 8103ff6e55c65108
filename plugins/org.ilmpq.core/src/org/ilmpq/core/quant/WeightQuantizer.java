package org.ilmpq.core.quant;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The weight grid of one scheme, and how a weight lands on it. Every scheme is a table of integer magnitudes
 * indexed by the magnitude of a signed m-bit code, over a denominator:
 * {@code w = sign(code) x magnitude(|code|) / denominator x alpha}, alpha the row's largest |w|. Codes lie in
 * {@code [-(2^(m-1) - 1), 2^(m-1) - 1]}. The integer {@code sign(code) x magnitude(|code|)} is what the
 * accelerator multiplies (a DSP48 product for fixed-point, a shift for power-of-two); the export format
 * (docs/export-format.md) writes the codes and the tables.
 * <p>
 * The quantizers work on {@code t = w / alpha} in IEEE single precision, in the same order of operations as the
 * generated PyTorch script, so that both give the same code for every float.
 */
public abstract sealed class WeightQuantizer permits FixedPointQuantizer, PowerOfTwoQuantizer {

	private final Scheme scheme;
	private final int[] magnitudes;
	private final int denominator;

	WeightQuantizer(Scheme scheme, int[] magnitudes, int denominator) {
		this.scheme = scheme;
		this.magnitudes = magnitudes;
		this.denominator = denominator;
	}

	public static WeightQuantizer of(Scheme scheme) {
		return switch (scheme.kind()) {
		case FIXED -> new FixedPointQuantizer(scheme);
		case POT -> PowerOfTwoQuantizer.pot(scheme);
		case SP2 -> PowerOfTwoQuantizer.sumOfTwo(scheme);
		};
	}

	public Scheme scheme() {
		return scheme;
	}

	/** The largest code, {@code 2^(m-1) - 1}. */
	public int maxCode() {
		return maxCode(scheme.bits());
	}

	static int maxCode(int bits) {
		return (1 << (bits - 1)) - 1;
	}

	public int denominator() {
		return denominator;
	}

	/** The magnitude of each code magnitude 0 .. maxCode(). */
	public List<Integer> magnitudes() {
		return IntStream.of(magnitudes).boxed().toList();
	}

	/** The largest integer weight's magnitude: what a product must hold. */
	public int largestMagnitude() {
		return IntStream.of(magnitudes).max().orElseThrow();
	}

	/** The integer weight of a code: {@code sign(code) x magnitude(|code|)}. */
	public int value(int code) {
		int magnitude = magnitudes[Math.abs(code)];
		return code < 0 ? -magnitude : magnitude;
	}

	/** The code of {@code t}, a weight divided by its row's alpha; clipped to [-1, 1] first. */
	public abstract int code(float t);

	static float clip(float t) {
		return Math.max(-1f, Math.min(1f, t));
	}

	@Override
	public String toString() {
		return scheme + " quantizer";
	}
}
