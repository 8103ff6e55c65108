package org.ilmpq.core.export;

import java.util.List;

/**
 * An add or activation that is a step of its own: {@code z = sum of operand code x R}, its code
 * {@code clamp(round(z / 2^F), lowest, highest)}; an activation has one operand and a clamp at 0 (and, for
 * ReLU6, at the code of 6).
 *
 * @param kind {@code add}, {@code relu} or {@code relu6}, as the spec names the operation
 */
public record ExportedRescale(String name, String kind, List<ExportedLayer.Operand> operands, String output,
		int lowest, int highest) {

	public ExportedRescale {
		operands = List.copyOf(operands);
	}
}
