package org.ilmpq.core.export;

import java.util.List;
import java.util.Optional;

import org.ilmpq.core.model.Size2d;

/**
 * One quantized layer of an export: its shape, the stored tensors it reads and writes, the clamp of its output
 * codes (the code range, narrowed by a fused ReLU or ReLU6), a fused residual add's operand and multiplier, and its
 * rows. A linear layer has a 1 x 1 kernel, stride and dilation, no padding and one group.
 *
 * @param lowest the smallest output code
 * @param highest the largest output code
 */
public record ExportedLayer(String name, boolean conv, int in, int out, Size2d kernel, Size2d stride,
		Size2d padding, Size2d dilation, int groups, String input, String output, int lowest, int highest,
		Optional<Operand> residual, List<ExportedRow> rows) {

	/** A tensor an output stage adds, and the multiplier R that takes its codes to z (2^-F output codes). */
	public record Operand(String tensor, int multiplier) {
	}

	public ExportedLayer {
		rows = List.copyOf(rows);
	}

	/** Weights per row: {@code in / groups x kernel area}. */
	public int fanIn() {
		return Math.toIntExact(in / groups * kernel.height() * kernel.width());
	}
}
