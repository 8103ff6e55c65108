package org.ilmpq.core.quant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which scheme each row of a weight layer takes, from its weights (and, for the output error, a calibration
 * batch): the rule of {@link RowPlan}, in double precision, ties to the lower row index. Mirrors the generated
 * script's {@code assign_schemes}, {@code row_sensitivity} and {@code row_variance}.
 */
public final class RowAssignment {

	private RowAssignment() {
	}

	/** The scheme index of every row. */
	public static int[] assign(double[] sensitivity, double[] variance, RowPlan plan) {
		int count = variance.length;
		if (plan.totalRows() != count) {
			throw new IllegalArgumentException("the plan shares " + plan.totalRows() + " rows, the layer has " + count);
		}
		int[] assignment = new int[count];
		List<Integer> remaining = new ArrayList<>(IntStream.range(0, count).boxed().toList());
		if (plan.sensitive().isPresent()) {
			int sensitive = plan.sensitive().getAsInt();
			List<Integer> ranked = new ArrayList<>(remaining);
			ranked.sort(Comparator.<Integer> comparingDouble(r -> -sensitivity[r]).thenComparingInt(r -> r));
			List<Integer> chosen = ranked.subList(0, Math.toIntExact(plan.rows().get(sensitive)));
			chosen.forEach(r -> assignment[r] = sensitive);
			remaining.removeAll(chosen);
		}
		remaining.sort(Comparator.<Integer> comparingDouble(r -> variance[r]).thenComparingInt(r -> r));
		int start = 0;
		for (int index : plan.varianceOrder()) {
			int rows = Math.toIntExact(plan.rows().get(index));
			for (int r : remaining.subList(start, start + rows)) {
				assignment[r] = index;
			}
			start += rows;
		}
		return assignment;
	}

	/** Population variance of each row of {@code w / alpha} (two passes). */
	public static double[] normalizedVariance(float[][] weights) {
		double[] variance = new double[weights.length];
		for (int r = 0; r < weights.length; r++) {
			float alpha = RowQuantizer.alpha(weights[r]);
			double[] t = new double[weights[r].length];
			double sum = 0;
			for (int k = 0; k < t.length; k++) {
				t[k] = weights[r][k] / alpha;
				sum += t[k];
			}
			double mean = sum / t.length;
			double squares = 0;
			for (double v : t) {
				squares += (v - mean) * (v - mean);
			}
			variance[r] = squares / t.length;
		}
		return variance;
	}

	/** The weight error of each row at the probe scheme, {@code ||W_k - Q(W_k)||^2}: no data needed. */
	public static double[] weightError(float[][] weights, Scheme probe) {
		float[][] error = quantizationError(weights, probe);
		double[] result = new double[weights.length];
		for (int r = 0; r < weights.length; r++) {
			for (float e : error[r]) {
				result[r] += (double) e * e;
			}
		}
		return result;
	}

	/**
	 * The output error of each row of a linear layer at the probe scheme on a calibration batch,
	 * {@code ||W_k A - Q(W_k) A||^2} (FILM-QNN, FPGA 2022).
	 *
	 * @param inputs samples x fan-in
	 */
	public static double[] outputError(float[][] weights, Scheme probe, double[][] inputs) {
		float[][] error = quantizationError(weights, probe);
		double[] result = new double[weights.length];
		for (int r = 0; r < weights.length; r++) {
			for (double[] sample : inputs) {
				double out = 0;
				for (int k = 0; k < sample.length; k++) {
					out += error[r][k] * sample[k];
				}
				result[r] += out * out;
			}
		}
		return result;
	}

	private static float[][] quantizationError(float[][] weights, Scheme probe) {
		WeightQuantizer quantizer = WeightQuantizer.of(probe);
		float[][] error = new float[weights.length][];
		for (int r = 0; r < weights.length; r++) {
			float alpha = RowQuantizer.alpha(weights[r]);
			error[r] = new float[weights[r].length];
			for (int k = 0; k < weights[r].length; k++) {
				float w = weights[r][k];
				error[r][k] = w - RowQuantizer.dequantize(quantizer, quantizer.code(w / alpha), alpha);
			}
		}
		return error;
	}
}
