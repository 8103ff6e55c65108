package org.ilmpq.core.export;

import org.ilmpq.core.quant.Scheme;

/**
 * One row (output channel) of an exported layer: its scheme, its step (a weight is {@code value(code) x step}),
 * its bias, and one code per weight in PyTorch's order (input channel, kernel row, kernel column).
 */
public record ExportedRow(Scheme scheme, double step, double bias, int[] codes) {
}
