package org.ilmpq.core.quant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which scheme each row of a weight layer takes, from its weights (and, for the output error, a calibration
 * batch): the rule of {@link RowPlan}, in double precision, ties to the lower row index. Mirrors the generated
 * script's {@code assign_schemes}, {@code row_sensitivity} and {@code row_variance}: the variance and the weight
 * error bit for bit, the output error to the last bit (see {@link #outputError}).
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

	/**
	 * Population variance of each row of {@code t = w / alpha}: {@code (sum t^2 - (sum t)^2 / n) / n}. The terms are
	 * exact in double precision (t is a float) and the sums correctly rounded ({@link #exactSum}), so the value does
	 * not depend on the order of the terms: rows that are permutations of one another tie exactly, and the script,
	 * which sums with Python's math.fsum, gets the same double.
	 */
	public static double[] normalizedVariance(float[][] weights) {
		double[] variance = new double[weights.length];
		for (int r = 0; r < weights.length; r++) {
			float alpha = RowQuantizer.alpha(weights[r]);
			double[] t = new double[weights[r].length];
			double[] squares = new double[t.length];
			for (int k = 0; k < t.length; k++) {
				t[k] = weights[r][k] / alpha;
				squares[k] = t[k] * t[k];
			}
			double total = ExactSum.of(t);
			variance[r] = (ExactSum.of(squares) - total * total / t.length) / t.length;
		}
		return variance;
	}

	/** The weight error of each row at the probe scheme, {@code ||W_k - Q(W_k)||^2}, correctly rounded. */
	public static double[] weightError(float[][] weights, Scheme probe) {
		float[][] error = quantizationError(weights, probe);
		double[] result = new double[weights.length];
		for (int r = 0; r < weights.length; r++) {
			double[] squares = new double[error[r].length];
			for (int k = 0; k < squares.length; k++) {
				squares[k] = (double) error[r][k] * error[r][k]; // exact: a float's square fits a double
			}
			result[r] = ExactSum.of(squares);
		}
		return result;
	}

	/**
	 * The output error of each row of a linear layer at the probe scheme on a calibration batch,
	 * {@code ||W_k A - Q(W_k) A||^2} (FILM-QNN, FPGA 2022). The products are summed in order here and by PyTorch's
	 * kernels in the script, so the two may differ in the last bit: rows whose errors lie that close can rank
	 * differently; every other ranking is the same.
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
