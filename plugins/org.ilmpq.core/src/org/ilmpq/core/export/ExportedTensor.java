package org.ilmpq.core.export;

import org.ilmpq.core.integer.CodeFormat;

/**
 * A stored tensor of an export: its name (the spec tensor that holds it), dimensions, code format and clipping
 * scale S; a code's value is {@code code x S / L}, L the format's largest code. The integer pipeline needs no
 * scale; the host needs the input's to quantize a sample and the output's to read the result.
 */
public record ExportedTensor(String name, int channels, int height, int width, CodeFormat format, double scale) {

	/** The value of one code step: {@code S / L}. */
	public double step() {
		return scale / format.levels();
	}

	public String dims() {
		return height == 1 && width == 1 ? Integer.toString(channels) : channels + "x" + height + "x" + width;
	}
}
