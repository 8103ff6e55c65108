package org.ilmpq.core.export;

import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.quant.Scheme;

/**
 * One row (output channel) of an exported layer: its scheme, its requantization (docs/quantization.md: the
 * multiplier M / 2^s that takes its accumulator to the output's codes, and its bias B, both in units of
 * 2^-F output codes), and one code per weight in PyTorch's order (input channel, kernel row, kernel column).
 */
public record ExportedRow(Scheme scheme, IntegerArithmetic.Multiplier multiplier, long bias, int[] codes) {
}
