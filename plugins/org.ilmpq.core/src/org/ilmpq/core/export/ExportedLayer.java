package org.ilmpq.core.export;

import java.util.List;

import org.ilmpq.core.model.Size2d;

/**
 * One quantized layer of an export: its shape, how it quantizes its input, and its rows. A linear layer has a
 * 1 x 1 kernel, stride, dilation and no padding, one group.
 *
 * @param inputScale the clipping scale S of the input; the input step is {@code S / L}, {@code L} the largest code
 */
public record ExportedLayer(String name, boolean conv, int in, int out, Size2d kernel, Size2d stride,
		Size2d padding, Size2d dilation, int groups, boolean inputSigned, int inputBits, double inputScale,
		List<ExportedRow> rows) {

	public ExportedLayer {
		rows = List.copyOf(rows);
	}

	/** The largest input code L: {@code 2^bits - 1} unsigned, {@code 2^(bits-1) - 1} signed. */
	public int inputLevels() {
		return inputSigned ? (1 << (inputBits - 1)) - 1 : (1 << inputBits) - 1;
	}
}
