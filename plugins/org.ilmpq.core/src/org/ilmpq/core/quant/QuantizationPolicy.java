package org.ilmpq.core.quant;

import java.util.Optional;

/**
 * The network-wide quantization settings of a spec.
 *
 * @param defaultSplit the split of every weight layer that nothing more specific covers; empty when the spec
 *            gives none
 * @param activations the activation precision (unsigned after ReLU)
 * @param firstLayer the split of the first weight layers (those with no weight layer before them), if the spec
 *            has a first-layer policy
 * @param lastLayer likewise for the last weight layers
 */
public record QuantizationPolicy(Optional<Split> defaultSplit, Scheme activations, Optional<Split> firstLayer,
		Optional<Split> lastLayer, SensitivityMeasure sensitivity, PotCriterion potCriterion,
		Optional<ReassignSchedule> reassign) {

	/** 4-bit activations, as in every ILMPQ scheme (PoT-W4A4, Fixed-W4A4, Fixed-W8A4; RMSMP). */
	public static final Scheme DEFAULT_ACTIVATIONS = Scheme.fixed(4);

	/** No split, no policies: the settings of a spec without a quantization section. */
	public static QuantizationPolicy none() {
		return new QuantizationPolicy(Optional.empty(), DEFAULT_ACTIVATIONS, Optional.empty(), Optional.empty(),
				SensitivityMeasure.OUTPUT_ERROR, PotCriterion.LOWEST_VARIANCE, Optional.empty());
	}
}
