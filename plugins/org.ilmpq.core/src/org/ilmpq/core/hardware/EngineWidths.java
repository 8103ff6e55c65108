package org.ilmpq.core.hardware;

import java.math.BigInteger;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The integer widths of one engine, from the values its layers can bring: a lane holds an activation or an
 * activation-wide slice of a wider input, at most 2^A in magnitude; a product is a lane times the largest weight
 * magnitude of the scheme (for SP2 not the largest code's); a sum adds the lanes' products; the accumulator must
 * hold fan-in x largest input x largest weight of every layer with rows on the engine, so that it cannot overflow
 * (FINN's {@code acc_bits}), with no bit more. The generated C++ declares these widths and the hardware model costs
 * them: one number each.
 *
 * @param productBits a signed product of a lane and a weight
 * @param sumBits a signed sum over the lanes
 * @param accumulatorBits a signed accumulator
 * @param largestAccumulator the largest magnitude the accumulator holds
 */
public record EngineWidths(int productBits, int sumBits, int accumulatorBits, long largestAccumulator) {

	/** The widths of {@code engine} for the layers of {@code workload}, on {@code lanes} lanes. */
	public static EngineWidths of(EngineConfig engine, Workload workload, int lanes) {
		Scheme scheme = engine.scheme();
		int activationBits = workload.activations().bits();
		long largestWeight = WeightQuantizer.of(scheme).largestMagnitude();
		long product = (1L << activationBits) * largestWeight;
		long sum = product * lanes;
		long accumulator = sum;
		for (LayerWork layer : AlikeLayers.of(workload).layers()) {
			if (layer.rowsPerScheme().getOrDefault(scheme, 0L) > 0) {
				// the layer's own fan-in: its kernel, its input channels per group (not as the lanes take them)
				long fanIn = layer.input().channels() / layer.groups() * layer.kernel().height() * layer.kernel().width();
				accumulator = Math.max(accumulator, Math.multiplyExact(fanIn, Math.multiplyExact(
						largestInput(layer.inputBits(), layer.inputFormat().signed(), activationBits), largestWeight)));
			}
		}
		return new EngineWidths(signedBits(product), signedBits(sum), signedBits(accumulator), accumulator);
	}

	/**
	 * The largest magnitude an input value contributes to a sum: its code, or, when it is wider than the engines'
	 * activations and goes through in slices, the sum of its slices' magnitudes, each at its weight: the lower
	 * slices unsigned, the top one signed for a signed input (its most negative value the largest).
	 */
	public static long largestInput(int bits, boolean signed, int activationBits) {
		int passes = (bits + activationBits - 1) / activationBits;
		long largest = 0;
		for (int pass = 0; pass < passes - 1; pass++) {
			largest += ((1L << activationBits) - 1) << (pass * activationBits);
		}
		int topBits = bits - (passes - 1) * activationBits;
		long top = signed ? 1L << (topBits - 1) : (1L << topBits) - 1;
		return largest + (top << ((passes - 1) * activationBits));
	}

	/** Bits of a signed integer that holds every value of magnitude up to {@code magnitude}. */
	public static int signedBits(long magnitude) {
		return BigInteger.valueOf(magnitude).bitLength() + 1;
	}
}
