package org.ilmpq.dsl.analysis;

import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.dsl.lowering.LoweredSpec;

/** A spec lowered to the core model, and the core analysis of its network. */
public record SpecAnalysis(LoweredSpec lowered, NetworkAnalysis network) {
}
