package org.ilmpq.core.quant;

/** The split that applies to one weight layer, and the rule of the spec it comes from. */
public record LayerSplit(Split split, SplitSource source) {
}
