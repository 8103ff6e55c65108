package org.ilmpq.core.quant;

import java.util.OptionalLong;

/**
 * When quantization-aware training recomputes the row assignment: every {@code interval} epochs (RMSMP), and,
 * when {@code until} is given, frozen from that epoch on for fine-tuning.
 */
public record ReassignSchedule(long interval, OptionalLong until) {
}
