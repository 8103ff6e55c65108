package org.ilmpq.core.quant;

import java.util.stream.IntStream;

/**
 * m-bit fixed-point weights on the symmetric grid {@code alpha x {0, +-1/n, ..., +-1}}, {@code n = 2^(m-1) - 1}
 * (FILM-QNN, FPGA 2022, Eq. 1-3, with the row's largest |w| as alpha): {@code code = round(clip(t) x n)}, ties to
 * even as IEEE and PyTorch round. FILM-QNN's formula through {@code h(x) = x/2 + 1/2} has 2^m levels and no zero;
 * the symmetric grid gives up one level so that the code is the signed integer a DSP48 multiplies and a zero
 * weight stays zero.
 */
public final class FixedPointQuantizer extends WeightQuantizer {

	FixedPointQuantizer(Scheme scheme) {
		super(scheme, IntStream.rangeClosed(0, maxCode(scheme.bits())).toArray(), maxCode(scheme.bits()));
	}

	@Override
	public int code(float t) {
		float scaled = clip(t) * maxCode();
		return (int) Math.rint(scaled);
	}
}
