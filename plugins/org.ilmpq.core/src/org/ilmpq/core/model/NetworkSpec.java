package org.ilmpq.core.model;

import java.util.Optional;

import org.ilmpq.core.device.Target;
import org.ilmpq.core.quant.QuantizationPolicy;

/**
 * A whole lowered spec: the network, its quantization settings and its target, if it names one. This is what
 * every consumer (validation, reports, generators) reads; none of them sees the spec's syntax.
 */
public record NetworkSpec(Network network, QuantizationPolicy quantization, Optional<Target> target) {
}
