package org.ilmpq.core.hardware;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public record LayerWork(String name, long rows, long groups, TensorShape input, TensorShape output, Size2d kernel,
		Size2d stride, Size2d padding, Size2d dilation, CodeFormat inputFormat, CodeFormat outputFormat,
		Optional<CodeFormat> residualFormat, Split split, Map<Scheme, Long> rowsPerScheme) {

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
		return new LayerWork(name, rows, groups, input, output, kernel, stride, padding, dilation, inputFormat,
				outputFormat, residualFormat, other, rowsPerScheme(RowAllocator.allocate(other, rows)));
	}

	/** The N of the tiling loops: input channels each output row reads. */
	public long inputChannelsPerGroup() {
		return input.channels() / groups;
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

	public long kernelArea() {
		return kernel.height() * kernel.width();
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
