package org.ilmpq.core.hardware;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ilmpq.core.quant.RowAllocation;
import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;

/**
 * What the accelerator has to do for one weight layer (a convolution or a linear layer, which is a 1 x 1
 * convolution of a 1 x 1 map): its geometry, its rows per scheme, and the DRAM traffic of what is fused into it.
 *
 * @param groups 1 for a plain convolution, the channel count for a depthwise one
 * @param inputChannelsPerGroup the N of the tiling loops: input channels each output row reads
 * @param inputBits bits per input value: 8 for a network input (image pixels), the activation width otherwise
 * @param fusedReadValues values a residual {@code add} fused into this layer's output stage reads from DRAM
 * @param split the split that applies to the layer's rows
 * @param rowsPerScheme whole rows of each scheme (from the split's {@link RowAllocation}), in the split's order
 */
public record LayerWork(String name, long rows, long groups, long inputChannelsPerGroup, long inputHeight,
		long inputWidth, long outputHeight, long outputWidth, long kernelHeight, long kernelWidth, long strideHeight,
		long strideWidth, int inputBits, long fusedReadValues, Split split, Map<Scheme, Long> rowsPerScheme) {

	public LayerWork {
		rowsPerScheme = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerScheme));
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
		return new LayerWork(name, rows, groups, inputChannelsPerGroup, inputHeight, inputWidth, outputHeight,
				outputWidth, kernelHeight, kernelWidth, strideHeight, strideWidth, inputBits, fusedReadValues, other,
				rowsPerScheme(RowAllocator.allocate(other, rows)));
	}

	public long inputChannels() {
		return inputChannelsPerGroup * groups;
	}

	public long kernelArea() {
		return kernelHeight * kernelWidth;
	}

	/** Multiply-accumulates per sample. */
	public long macs() {
		return rows * outputHeight * outputWidth * inputChannelsPerGroup * kernelArea();
	}

}
