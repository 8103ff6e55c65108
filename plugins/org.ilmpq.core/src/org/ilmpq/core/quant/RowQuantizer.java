package org.ilmpq.core.quant;

import java.util.List;

/**
 * Quantizes the rows of a weight matrix, each under its own scheme, with a per-row scale: the reference the
 * generated PyTorch script is checked against. Single precision throughout, in the
 * script's order of operations: {@code alpha = max |w|} of the row (1 for an all-zero row), {@code t = w / alpha},
 * the scheme's code of t, {@code step = alpha / denominator}.
 */
public final class RowQuantizer {

	/**
	 * @param codes one code per weight, rows x fan-in
	 * @param steps each row's step: a weight is {@code value(code) x step}
	 */
	public record QuantizedRows(int[][] codes, float[] steps) {
	}

	private RowQuantizer() {
	}

	/** The largest |w| of a row, or 1 where every weight is 0. */
	public static float alpha(float[] row) {
		float alpha = 0f;
		for (float w : row) {
			alpha = Math.max(alpha, Math.abs(w));
		}
		return alpha > 0f ? alpha : 1f;
	}

	/**
	 * @param weights rows x fan-in (a convolution's kernel flattened per output channel, as PyTorch lays it out)
	 * @param schemes the schemes rows may take
	 * @param rowScheme for each row, an index into schemes
	 */
	public static QuantizedRows quantize(float[][] weights, List<Scheme> schemes, int[] rowScheme) {
		if (rowScheme.length != weights.length) {
			throw new IllegalArgumentException(weights.length + " rows but " + rowScheme.length + " scheme indices");
		}
		List<WeightQuantizer> quantizers = schemes.stream().map(WeightQuantizer::of).toList();
		int[][] codes = new int[weights.length][];
		float[] steps = new float[weights.length];
		for (int r = 0; r < weights.length; r++) {
			WeightQuantizer quantizer = quantizers.get(rowScheme[r]);
			float alpha = alpha(weights[r]);
			codes[r] = new int[weights[r].length];
			for (int k = 0; k < weights[r].length; k++) {
				codes[r][k] = quantizer.code(weights[r][k] / alpha);
			}
			steps[r] = alpha / quantizer.denominator();
		}
		return new QuantizedRows(codes, steps);
	}

	/** The dequantized weight of a code under a quantizer: {@code value(code) x (alpha / denominator)}. */
	public static float dequantize(WeightQuantizer quantizer, int code, float alpha) {
		return quantizer.value(code) * (alpha / quantizer.denominator());
	}
}
