package org.ilmpq.core.hardware;

import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The depthwise unit, beside the engines: a depthwise convolution's output channel reads one input channel, so on
 * the engines, whose lanes every row shares, a row uses one lane of LANES (docs/hardware-model.md, "Mappings"), and
 * MobileNetV2's depthwise layers, 7 % of its products, took 45 % of its time. The unit gives each lane its own
 * channel instead, and computes a whole kernel window a cycle: the classic line-buffer datapath of a sliding-window
 * convolution. A lane reads its channel's input tile once, row by row, {@code stride} columns a cycle; two line
 * buffers hold the two rows above the current one, so that every new column comes with the column of the rows above
 * it, and a window of {@link #WINDOW} x {@link #WINDOW} codes shifts them in; {@link #TAPS} multipliers by the
 * channel's weights and their sum give an output a cycle wherever the window sits on one. The rows of a group of LANES
 * channels thus take one row step of one pass over the input tile, whatever their schemes, while the engines wait;
 * its weights are the rows' integer weights, whatever their scheme's code, in {@link #WEIGHT_BITS} bits, so its
 * multipliers are LUT multipliers of that many bits by an activation (the DSP slices stay the engines'). Bai et al.
 * ("A CNN accelerator on FPGA using depthwise separable convolution", IEEE TCAS-II 2018) and Wu et al. (FPL 2019)
 * give MobileNets' depthwise layers engines of their own, with line buffers, for the same reason.
 *
 * @param lanes the lanes of the engines, one channel each
 * @param productBits a signed product of a weight and a lane
 * @param sumBits a signed sum of {@link #TAPS} products
 * @param accumulatorBits a signed accumulator of a depthwise layer's fan-in (Kh x Kw) products
 * @param largestAccumulator the largest magnitude the accumulator holds
 * @param lineWidth codes of a line buffer: the widest input tile row of a layer on the unit
 */
public record DepthwiseUnit(int lanes, int productBits, int sumBits, int accumulatorBits, long largestAccumulator,
		long lineWidth) {

	/** The window's side: MobileNet's 3 x 3 depthwise kernels; a smaller kernel takes its lower right corner. */
	public static final int WINDOW = 3;

	/** Multipliers a lane has: a whole window. */
	public static final int TAPS = WINDOW * WINDOW;

	/** Line buffers a lane has: the input rows of a window above the current one. */
	public static final int LINES = WINDOW - 1;

	/** Bits of a weight: every scheme's integer weight that fits them (pot 4's 2^6, fixed 8's 127). */
	public static final int WEIGHT_BITS = 8;

	/**
	 * The largest stride: a lane reads as many new input columns a cycle as the stride, through the two ports of its
	 * input memory (true dual port, UG473), and each line buffer is two memories, the even and the odd columns.
	 */
	public static final int MAX_STRIDE = 2;

	/**
	 * The unit of a design: empty where no layer of the workload runs on it at the config's lanes and output stage
	 * ({@link LayerWork#onLanes}); otherwise with the widths and line buffers its layers need.
	 */
	public static Optional<DepthwiseUnit> of(AcceleratorConfig config, Workload workload) {
		int activationBits = workload.activations().bits();
		long largestWeight = 0;
		long accumulator = 0;
		long lineWidth = 0;
		for (LayerWork layer : AlikeLayers.of(workload).layers()) {
			if (!layer.onLanes(config.lanes(), config.outputLanes(), activationBits).onDepthwiseUnit()) {
				continue;
			}
			long weight = largestWeight(layer.rowsPerScheme());
			largestWeight = Math.max(largestWeight, weight);
			long fanIn = layer.kernel().height() * layer.kernel().width();
			accumulator = Math.max(accumulator, fanIn * EngineWidths.largestInput(layer.inputBits(),
					layer.inputFormat().signed(), activationBits) * weight);
			lineWidth = Math.max(lineWidth, WorkloadBounds.inputTileWidth(layer, config.tile()));
		}
		if (largestWeight == 0) {
			return Optional.empty();
		}
		long product = (1L << activationBits) * largestWeight;
		long sum = Math.max(product * TAPS, accumulator);
		return Optional.of(new DepthwiseUnit(config.lanes(), EngineWidths.signedBits(product),
				EngineWidths.signedBits(sum), EngineWidths.signedBits(sum), sum, lineWidth));
	}

	/**
	 * Cycles of the unit's pass over a tile of {@code height} x {@code width} outputs of a layer of kernel {@code kernel}
	 * and stride {@code stride}: every row of the input tile, (height - 1) x Sh + Kh of them; per row, the cycles that
	 * read its first Kw - Sw columns, two a cycle, then a cycle per output column, each reading Sw new ones.
	 */
	public static long passCycles(long height, long width, Size2d kernel, Size2d stride) {
		long inputRows = (height - 1) * stride.height() + kernel.height();
		return inputRows * (width + LatencyModel.ceil(kernel.width() - stride.width(), 2));
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

	/** Words of the weights of {@code rows} channels: rows x {@link #TAPS} codes, packed. */
	public static long blockWords(long rows, int wordBits) {
		return FeatureMapLayout.blockWords(rows, TAPS, WEIGHT_BITS, wordBits);
	}
}
