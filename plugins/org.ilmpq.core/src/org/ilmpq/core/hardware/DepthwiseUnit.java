package org.ilmpq.core.hardware;

import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The depthwise unit, beside the engines: a depthwise convolution's output channel reads one input channel, so on
 * the engines, whose lanes every row shares, a row uses one lane of LANES (docs/hardware-model.md, "Mappings"), and
 * MobileNetV2's depthwise layers, 7 % of its products, took 45 % of its time. The unit gives each lane its own
 * channel instead: a sliding window of {@link #TAPS} input codes along a kernel row, {@link #TAPS} multipliers by
 * that channel's weights and their sum into the channel's accumulator, so that a lane computes a kernel row of an
 * output a cycle, once a tile row has filled its window. The rows of a group of LANES channels thus take one row
 * step of Kh passes, whatever their schemes, while the engines wait; its weights are the rows' integer weights,
 * whatever their scheme's code, in {@link #WEIGHT_BITS} bits, so its multipliers are LUT multipliers of that many
 * bits by an activation (the DSP slices stay the engines'). Bai et al. ("A CNN accelerator on FPGA using depthwise
 * separable convolution", IEEE TCAS-II 2018) and Wu et al. (FPL 2019) give MobileNets' depthwise layers engines of
 * their own for the same reason.
 *
 * @param lanes the lanes of the engines, one channel each
 * @param productBits a signed product of a weight and a lane
 * @param sumBits a signed sum of {@link #TAPS} products
 * @param accumulatorBits a signed accumulator of a depthwise layer's fan-in (Kh x Kw) products
 * @param largestAccumulator the largest magnitude the accumulator holds
 */
public record DepthwiseUnit(int lanes, int productBits, int sumBits, int accumulatorBits, long largestAccumulator) {

	/** Multipliers a lane has: a kernel row of MobileNet's 3 x 3 depthwise kernels at once. */
	public static final int TAPS = 3;

	/** Bits of a weight: every scheme's integer weight that fits them (pot 4's 2^6, fixed 8's 127). */
	public static final int WEIGHT_BITS = 8;

	/**
	 * The largest stride: a lane reads as many new input columns a cycle as the stride, through the two ports of its
	 * input memory (true dual port, UG473).
	 */
	public static final int MAX_STRIDE = 2;

	/**
	 * The unit of a design: empty where no layer of the workload runs on it at the config's lanes and output stage
	 * ({@link LayerWork#onLanes}); otherwise with the widths its layers need.
	 */
	public static Optional<DepthwiseUnit> of(AcceleratorConfig config, Workload workload) {
		int activationBits = workload.activations().bits();
		long largestWeight = 0;
		long accumulator = 0;
		for (LayerWork layer : AlikeLayers.of(workload).layers()) {
			if (!layer.onLanes(config.lanes(), config.outputLanes(), activationBits).onDepthwiseUnit()) {
				continue;
			}
			long weight = largestWeight(layer.rowsPerScheme());
			largestWeight = Math.max(largestWeight, weight);
			long fanIn = layer.kernel().height() * layer.kernel().width();
			accumulator = Math.max(accumulator, fanIn * EngineWidths.largestInput(layer.inputBits(),
					layer.inputFormat().signed(), activationBits) * weight);
		}
		if (largestWeight == 0) {
			return Optional.empty();
		}
		long product = (1L << activationBits) * largestWeight;
		long sum = product * TAPS;
		return Optional.of(new DepthwiseUnit(config.lanes(), EngineWidths.signedBits(product),
				EngineWidths.signedBits(sum), EngineWidths.signedBits(Math.max(sum, accumulator)),
				Math.max(sum, accumulator)));
	}

	/** The largest integer weight of the schemes that have rows. */
	static long largestWeight(Map<Scheme, Long> rowsPerScheme) {
		long largest = 0;
		for (Map.Entry<Scheme, Long> scheme : rowsPerScheme.entrySet()) {
			if (scheme.getValue() > 0) {
				largest = Math.max(largest, WeightQuantizer.of(scheme.getKey()).largestMagnitude());
			}
		}
		return largest;
	}

	/** Whether every integer weight of the schemes with rows fits {@link #WEIGHT_BITS} bits, signed. */
	static boolean weightsFit(Map<Scheme, Long> rowsPerScheme) {
		return EngineWidths.signedBits(largestWeight(rowsPerScheme)) <= WEIGHT_BITS;
	}

	/** Words of one kernel row's weights of {@code rows} channels: rows x {@link #TAPS} codes, packed. */
	public static long blockWords(long rows, int wordBits) {
		return FeatureMapLayout.blockWords(rows, TAPS, WEIGHT_BITS, wordBits);
	}
}
