package org.ilmpq.dsl.ui.tests;

/** Specs more than one test class edits. */
final class Specs {

	/** A small CNN for PYNQ-Z2 without problems: conv1 and fc are its weight layers. */
	static final String SMALL_CNN = """
			network n
			target PYNQ-Z2
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			    activations fixed 4
			}
			input image: 1 x 8 x 8
			conv1 = conv(image, out=16, kernel=3, padding=1)
			relu1 = relu(conv1)
			flat = flatten(relu1)
			fc = linear(flat, out=10)
			output fc
			""";

	/**
	 * Few LUTs for the pot 4 rows: the fixed 8 engine idles, and the optimiser finds a faster split (the language
	 * tests' idle-engine warning, HardwareValidationTest).
	 */
	static final String IDLE_ENGINE = """
			network n
			target PYNQ-Z2 budget lut 15 %
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			input x: 64 x 56 x 56
			c1 = conv(x, out=64, kernel=3, padding=1, bias=false)
			c2 = conv(c1, out=64, kernel=3, padding=1, bias=false)
			output c2
			""";

	/** A library of one block, for lib/blocks.ilmpq. */
	static final String LIBRARY = """
			library blocks

			// a 3x3 convolution and its batch norm
			block ConvBn(tensor t, int width = 8) {
			    c = conv(t, out=width, kernel=3, padding=1, bias=false)
			    b = batchnorm(c)
			    output b
			}
			""";

	/** A network that instantiates the block of {@link #LIBRARY} at line 7. */
	static final String IMPORTING = """
			network n
			import "lib/blocks.ilmpq"
			input x: 3 x 8 x 8
			quantization {
			    split fixed 8
			}
			a = ConvBn(x)
			output a
			""";

	private Specs() {
	}
}
