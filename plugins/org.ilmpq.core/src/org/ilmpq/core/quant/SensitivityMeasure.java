package org.ilmpq.core.quant;

/** How the rows of a layer are ranked for the widest scheme of its split (the "sensitive" share). */
public enum SensitivityMeasure {
	/**
	 * FILM-QNN (FPGA 2022): the output error a row would have at the narrow width, {@code E_k = ||W_k A - Q(W_k) A||_2}
	 * on a calibration batch {@code A}. Needs data.
	 */
	OUTPUT_ERROR,
	/** The weight-space error {@code ||W_k - Q(W_k)||_2} at the narrow width: no data needed. */
	WEIGHT_ERROR
}
