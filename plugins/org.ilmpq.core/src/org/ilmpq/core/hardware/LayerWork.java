package org.ilmpq.core.hardware;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.RowAllocation;
import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;

/**
 * What the accelerator has to do for one weight layer (a convolution, or a linear layer, which is a 1 x 1
 * convolution of a 1 x 1 map): its geometry, its rows per scheme, and the code formats of the tensors it reads and
 * writes, which set its DRAM traffic ({@link DramTraffic}).
 *
 * @param groups 1 for a plain convolution, the channel count for a depthwise one
 * @param input the shape the layer reads: a linear layer reads a vector, {@code features x 1 x 1}
 * @param inputFormat the codes of its input: 8 bits for image pixels, the activation width otherwise
 * @param outputFormat the codes its output stage writes
 * @param residualFormat the codes of the operand of a residual add fused into its output stage, if any
 * @param split the split that applies to the layer's rows
 * @param rowsPerScheme whole rows of each scheme (from the split's {@link RowAllocation}), in the split's order
 * @param columnsOnLanes 1, or the kernel's width when the layer runs with its kernel columns on the lanes
 *            ({@link #onLanes}): lane (c, kx) then holds channel c shifted by kx columns, and the kernel positions
 *            are its rows only
 * @param rowSchemes the scheme of each row, in row order, where an export says which rows took which scheme;
 *            empty where that is decided in training yet ({@link #withRowSchemes})
 * @param lanesPerValue 1, or 2 when the layer's input codes are wider than the engines' activations and each value
 *            takes two lanes, one per half of the lanes ({@link #onLanes}): the lower half its lower slice, the upper
 *            half the slice above it
 * @param onDepthwiseUnit whether the layer is a depthwise one that runs on the depthwise unit ({@link #onLanes},
 *            {@link DepthwiseUnit}): every group's channels on the lanes, each lane its own channel's whole kernel
 *            at once over a sliding window, its rows on no engine
 */
public record LayerWork(String name, long rows, long groups, TensorShape input, TensorShape output, Size2d kernel,
		Size2d stride, Size2d padding, Size2d dilation, CodeFormat inputFormat, CodeFormat outputFormat,
		Optional<CodeFormat> residualFormat, Split split, Map<Scheme, Long> rowsPerScheme, long columnsOnLanes,
		List<Scheme> rowSchemes, int lanesPerValue, boolean onDepthwiseUnit) {

	public LayerWork {
		rowsPerScheme = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerScheme));
		rowSchemes = List.copyOf(rowSchemes);
		if (!rowSchemes.isEmpty() && rowSchemes.size() != rows) {
			throw new IllegalArgumentException(name + ": " + rowSchemes.size() + " row schemes for " + rows + " rows");
		}
	}

	/** A layer as the spec has it: channels on the lanes. */
	public LayerWork(String name, long rows, long groups, TensorShape input, TensorShape output, Size2d kernel,
			Size2d stride, Size2d padding, Size2d dilation, CodeFormat inputFormat, CodeFormat outputFormat,
			Optional<CodeFormat> residualFormat, Split split, Map<Scheme, Long> rowsPerScheme) {
		this(name, rows, groups, input, output, kernel, stride, padding, dilation, inputFormat, outputFormat,
				residualFormat, split, rowsPerScheme, 1, List.of(), 1, false);
	}

	/**
	 * The same layer with the scheme each row took, from an export: a grouped layer's groups then cost what their
	 * rows take rather than an expectation ({@link LoopNestSchedule#groupClasses}).
	 */
	public LayerWork withRowSchemes(List<Scheme> schemes) {
		return new LayerWork(name, rows, groups, input, output, kernel, stride, padding, dilation, inputFormat,
				outputFormat, residualFormat, split, rowsPerScheme, columnsOnLanes, schemes, lanesPerValue,
				onDepthwiseUnit);
	}

	/** The same layer without its name: what the model costs of it ({@link AlikeLayers}). */
	public LayerWork unnamed() {
		return name.isEmpty() ? this
				: new LayerWork("", rows, groups, input, output, kernel, stride, padding, dilation, inputFormat,
						outputFormat, residualFormat, split, rowsPerScheme, columnsOnLanes, rowSchemes, lanesPerValue,
						onDepthwiseUnit);
	}

	/** Rows of each scheme as an allocation gives them (a scheme listed twice has its rows added). */
	public static Map<Scheme, Long> rowsPerScheme(RowAllocation allocation) {
		Map<Scheme, Long> rows = new LinkedHashMap<>();
		for (RowAllocation.Part part : allocation.parts()) {
			rows.merge(part.share().scheme(), part.rows(), Long::sum);
		}
		return rows;
	}

	/** The same layer under another split. */
	public LayerWork withSplit(Split other) {
		return new LayerWork(name, rows, groups, input, output, kernel, stride, padding, dilation, inputFormat,
				outputFormat, residualFormat, other, rowsPerScheme(RowAllocator.allocate(other, rows)), columnsOnLanes,
				List.of(), lanesPerValue, onDepthwiseUnit);
	}

	/**
	 * The layer as the design runs it on {@code lanes} lanes of {@code activationBits}, its output stage of
	 * {@code outputLanes} lanes (docs/hardware-model.md, "Mappings"):
	 * <ul>
	 * <li>a depthwise layer (every group one input channel and one row) puts its channels on the lanes: g groups at a
	 * time, g the largest divisor of G not above the lanes, become one group of as many rows and input channels
	 * (144 channels on 32 lanes: 6 groups of 24, not 9 of gcd(144, 32) = 16). Where the depthwise unit takes it
	 * ({@link #depthwiseUnitTakes}), each lane computes its own channel's whole kernel at once over a sliding window
	 * ({@link #onDepthwiseUnit}); otherwise the engines run each row's weight on its own channel's lane and zero on
	 * the others, so that a pass computes g channels instead of one;</li>
	 * <li>a plain layer of fewer input channels than lanes (a first layer on 3 image channels) puts its kernel
	 * columns on the lanes too: lane (kx, c) holds channel c shifted by kx columns, so that the C x Kw lanes take a
	 * kernel row at once and a lane group passes over the pixels once per kernel row instead of once per position;</li>
	 * <li>any other layer runs as it is: channels on the lanes.</li>
	 * </ul>
	 * Besides, a layer whose input codes are wider than the activations (8-bit image pixels on 4-bit engines) takes
	 * each value on two lanes, lane n of the lower half its lower slice and lane n + lanes / 2 the slice above it,
	 * whose products the adder tree's last level weighs by 2^A: a pass takes two slices of half as many values, so
	 * the lanes a narrow layer leaves idle carry its slices instead of a second pass.
	 * Either way the products are the layer's.
	 */
	public LayerWork onLanes(int lanes, int outputLanes, int activationBits) {
		LayerWork mapped = this;
		if (depthwise()) {
			long merged = largestDivisorUpTo(groups, lanes);
			boolean unit = depthwiseUnitTakes(merged, outputLanes, activationBits);
			if (merged > 1 || unit) {
				mapped = new LayerWork(name, rows, groups / merged, input, output, kernel, stride, padding, dilation,
						inputFormat, outputFormat, residualFormat, split, rowsPerScheme, 1, rowSchemes, 1, unit);
			}
		} else if (groups == 1 && columnsOnLanes == 1 && input.channels() < lanes && kernel.width() > 1) {
			mapped = new LayerWork(name, rows, groups, input, output, kernel, stride, padding, dilation, inputFormat,
					outputFormat, residualFormat, split, rowsPerScheme, kernel.width(), rowSchemes, 1, false);
		}
		if (!mapped.onDepthwiseUnit && valuesOnHalves(inputBits(), activationBits, lanes)) {
			mapped = new LayerWork(name, rows, mapped.groups, input, output, kernel, stride, padding, dilation,
					inputFormat, outputFormat, residualFormat, split, rowsPerScheme, mapped.columnsOnLanes, rowSchemes,
					2, false);
		}
		return mapped;
	}

	/** Every group one input channel and one row: a depthwise convolution (as the spec has it). */
	public boolean depthwise() {
		return groups > 1 && rows == groups && input.channels() == groups;
	}

	/**
	 * Whether the depthwise unit takes this depthwise layer in groups of {@code channels}: its lanes slide a window
	 * over consecutive input rows and columns (dilation 1) that holds the kernel (at most
	 * {@link DepthwiseUnit#WINDOW} a side), reading at most two new columns a cycle, through the two ports of a lane's
	 * input memory (a stride of 1 or 2 each way, no larger than the kernel: the unit finds its output rows by a mask);
	 * its inputs are activation codes, not wider ones; its weights fit the unit's; and the output stage's lanes divide
	 * the group, so that output lane j reads the unit's lanes j, j + L, ... whatever the group
	 * (docs/hardware-model.md, "Mappings").
	 */
	boolean depthwiseUnitTakes(long channels, int outputLanes, int activationBits) {
		return channels % outputLanes == 0 && inputBits() <= activationBits && dilation.height() == 1
				&& dilation.width() == 1 && kernel.width() <= DepthwiseUnit.WINDOW
				&& kernel.height() <= DepthwiseUnit.WINDOW && stride.width() <= DepthwiseUnit.MAX_STRIDE
				&& stride.width() <= kernel.width() && stride.height() <= DepthwiseUnit.MAX_STRIDE
				&& stride.height() <= kernel.height()
				&& DepthwiseUnit.weightsFit(rowsPerScheme);
	}

	/**
	 * Cycles of one pass over a tile of {@code height} x {@code width} outputs: its passes (slices) over the pixels;
	 * on the depthwise unit, its one pass over the rows of the input tile ({@link DepthwiseUnit#passCycles}).
	 */
	public long passCycles(long height, long width, int activationBits) {
		if (onDepthwiseUnit) {
			return DepthwiseUnit.passCycles(height, width, kernel, stride);
		}
		return passes(activationBits) * height * width;
	}

	/**
	 * Words of row counts a group's parameters begin with: one, the rows of each engine; none on the depthwise unit,
	 * which takes every row of a group.
	 */
	public long groupCountsWords() {
		return onDepthwiseUnit ? 0 : 1;
	}

	/** Parameter words of one tile: the layer's word, then per group its counts and each row's word. */
	public long parameterWords() {
		return 1 + groups * groupCountsWords() + rows;
	}

	/** The largest divisor of {@code n} not above {@code bound}. */
	static long largestDivisorUpTo(long n, long bound) {
		for (long d = Math.min(n, bound); d > 1; d--) {
			if (n % d == 0) {
				return d;
			}
		}
		return 1;
	}

	/**
	 * Whether input codes of {@code inputBits} take two of {@code lanes} lanes each, one of each half, on engines of
	 * {@code activationBits}: codes wider than the activations, on an even number of lanes.
	 */
	public static boolean valuesOnHalves(int inputBits, int activationBits, int lanes) {
		return inputBits > activationBits && lanes >= 2 && lanes % 2 == 0;
	}

	/** The values a lane group takes on {@code lanes} lanes: each its lanes ({@link #lanesPerValue}). */
	public int valueLanes(int lanes) {
		return lanes / lanesPerValue;
	}

	/** Lane groups of a group on {@code lanes} lanes: its input values ({@link #inputChannelsPerGroup}) in turn. */
	public long laneGroups(int lanes) {
		return LatencyModel.ceil(inputChannelsPerGroup(), valueLanes(lanes));
	}

	/**
	 * Passes over the pixels per kernel position: 1, or, for input codes wider than the activations, their slices
	 * (ceil(bits / A)) over the slices a value takes at once (its lanes), the second pass's products shifted by
	 * 2A into the same accumulators (bit-serial over slices, as Stripes, MICRO 2016).
	 */
	public long passes(int activationBits) {
		return LatencyModel.ceil(slices(activationBits), lanesPerValue);
	}

	/** Slices of {@code activationBits} an input code takes: 1, or 2 for 8-bit pixels on 4-bit engines. */
	public long slices(int activationBits) {
		return LatencyModel.ceil(inputBits(), activationBits);
	}

	/**
	 * Words of one input pixel that lane group {@code laneGroup} of the group whose first input channel is
	 * {@code firstChannel} reads, lane groups of {@code lanes} values ({@link #valueLanes}), {@code perWord} codes a word: those holding its channels; with the kernel columns on
	 * the lanes, those holding every channel (each lane group takes all channels at some columns).
	 */
	public long laneGroupWords(long firstChannel, long laneGroup, int lanes, long perWord) {
		if (columnsOnLanes > 1) {
			return FeatureMapLayout.wordsCovering(0, input.channels(), perWord);
		}
		return FeatureMapLayout.wordsCovering(firstChannel + laneGroup * lanes,
				Math.min(lanes, inputChannelsPerGroup() - laneGroup * lanes), perWord);
	}

	/**
	 * Words of one input pixel that all lane groups of the group whose first input channel is {@code firstChannel}
	 * read together ({@link #laneGroupWords} summed): where the lane groups are aligned on whole words, every one but
	 * the first and the last reads alike.
	 */
	public long laneGroupsWords(long firstChannel, int lanes, long perWord) {
		long laneGroups = (inputChannelsPerGroup() + lanes - 1) / lanes;
		if (laneGroups >= 3 && laneGroupsAligned(firstChannel, lanes, perWord)) {
			return laneGroupWords(firstChannel, 0, lanes, perWord)
					+ (laneGroups - 2) * laneGroupWords(firstChannel, 1, lanes, perWord)
					+ laneGroupWords(firstChannel, laneGroups - 1, lanes, perWord);
		}
		long words = 0;
		for (long l = 0; l < laneGroups; l++) {
			words += laneGroupWords(firstChannel, l, lanes, perWord);
		}
		return words;
	}

	/**
	 * Whether the lane groups of the group whose first input channel is {@code firstChannel} lie on whole words alike:
	 * the first channel at a word's start, and a lane group a whole number of words or a word a whole number of lane
	 * groups. Then every lane group but the first and the last reads as many words as the second.
	 */
	public boolean laneGroupsAligned(long firstChannel, int lanes, long perWord) {
		return firstChannel % perWord == 0 && (lanes % perWord == 0 || perWord % lanes == 0);
	}

	/** The N of the tiling loops: the lanes' input channels each output row reads (kernel columns included). */
	public long inputChannelsPerGroup() {
		return input.channels() / groups * columnsOnLanes;
	}

	public long inputChannels() {
		return input.channels();
	}

	public long inputHeight() {
		return input.height();
	}

	public long inputWidth() {
		return input.width();
	}

	public long outputHeight() {
		return output.height();
	}

	public long outputWidth() {
		return output.width();
	}

	public long kernelHeight() {
		return kernel.height();
	}

	public long kernelWidth() {
		return kernel.width();
	}

	public long strideHeight() {
		return stride.height();
	}

	public long strideWidth() {
		return stride.width();
	}

	/**
	 * Kernel positions a lane group passes over the pixels for: the kernel's, or its rows with its columns on the
	 * lanes; on the depthwise unit one, its window taking the whole kernel.
	 */
	public long kernelArea() {
		return onDepthwiseUnit ? 1 : kernel.height() * kernel.width() / columnsOnLanes;
	}

	/** Bits per input value: 8 for a network input (image pixels), the activation width otherwise. */
	public int inputBits() {
		return inputFormat.bits();
	}

	/** Multiply-accumulates per sample. */
	public long macs() {
		return rows * output.height() * output.width() * inputChannelsPerGroup() * kernelArea();
	}
}
