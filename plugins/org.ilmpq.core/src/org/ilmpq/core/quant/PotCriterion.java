package org.ilmpq.core.quant;

/** Which of the rows left after the sensitive share take power-of-two rather than fixed-point. */
public enum PotCriterion {
	/**
	 * The rows with the smallest weight variance: their Gaussian-like, concentrated weights suit the
	 * power-of-two grid, dense near zero; wide, uniform-like rows suit fixed-point (Mix-and-Match, HPCA 2021;
	 * Auto-ViT-Acc states the rule).
	 */
	LOWEST_VARIANCE
}
