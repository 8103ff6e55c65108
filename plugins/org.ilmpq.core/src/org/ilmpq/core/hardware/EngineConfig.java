package org.ilmpq.core.hardware;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;

/**
 * One engine of the accelerator: a rows x lanes array of multiply-accumulate units for the rows of one scheme.
 * Fixed-point engines multiply on DSP slices, {@code packing.productsPerDsp()} products per slice; power-of-two
 * and SP2 engines shift and add on LUTs.
 *
 * @param rows the engine's Tm: output rows computed in parallel
 */
public record EngineConfig(Scheme scheme, int rows, DspPacking packing) {

	public EngineConfig {
		if (rows < 1) {
			throw new IllegalArgumentException("an engine has at least one row, not " + rows);
		}
		if (scheme.kind() != SchemeKind.FIXED && packing.packs()) {
			throw new IllegalArgumentException(scheme + " is computed on LUTs and cannot pack DSP slices");
		}
	}

	public boolean onDsp() {
		return scheme.kind() == SchemeKind.FIXED;
	}

	public EngineConfig withRows(int other) {
		return new EngineConfig(scheme, other, packing);
	}

	@Override
	public String toString() {
		return scheme + ": " + rows + " rows" + (packing.packs() ? ", " + packing.productsPerDsp() + " per DSP" : "");
	}
}
