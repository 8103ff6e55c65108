package org.ilmpq.dsl.ui.tests;

/** A small export as the quantization script writes it (docs/export-format.md): one layer of two rows. */
final class ExportFixture {

	/** weights.txt: layer l, row 0 power of two, row 1 fixed point. */
	static final String WEIGHTS = """
			ilmpq-export 2
			network n
			producer test
			fraction-bits 16
			scheme pot 4 denominator 64 magnitudes 0 1 2 4 8 16 32 64
			scheme fixed 4 denominator 7 magnitudes 0 1 2 3 4 5 6 7
			tensor x 3 unsigned 4 scale 0x1.8p+1
			tensor l 2 signed 8 scale 0x1.0p+0
			layer l linear in 3 out 2
			input x
			output l clamp -127 127
			row 0 pot 4 multiplier 65536 shift 20 bias 0 codes 7 -1 0
			row 1 fixed 4 multiplier 98304 shift 20 bias -32768 codes 0 3 -7
			end
			""";

	/** rows.txt of the same export: the figures the assignment went by (the mean errors: 2^-4 and 2^-5). */
	static final String ROWS = """
			ilmpq-export 2
			network n
			producer test
			measure weight-error
			layer l rows 2 probe fixed 4 sensitive none schemes pot 4 fixed 4
			row 0 pot 4 sensitivity 0x1.0p-2 variance 0x1.0p-3 error 0x1.0p-4
			row 1 fixed 4 sensitivity 0x1.0p-1 variance 0x1.0p-2 error 0x1.0p-5
			end
			""";

	private ExportFixture() {
	}
}
