package org.ilmpq.dsl.tests;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.formatter.FormatterTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.inject.Inject;

/** Every spec has one canonical layout (see {@link org.ilmpq.dsl.formatting2.IlmpqFormatter}). */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class FormatterTest {

	@Inject
	private FormatterTestHelper formatter;

	private void assertFormatted(String input, String expected) {
		formatter.assertFormatted(request -> {
			request.setToBeFormatted(input);
			request.setExpectation(expected);
		});
	}

	@Test
	void layersGetOneLineEachWithSpacesAfterCommasAndAroundTheirEquals() {
		assertFormatted("""
				network   n
				input x :3 x 8  x  8     a=conv( x,out = 16 ,kernel=3x3,  padding=1 )split 50%pot 4,50   % fixed 4
				output    a
				""", """
				network n

				input x: 3 x 8 x 8
				a = conv(x, out=16, kernel=3x3, padding=1) split 50 % pot 4, 50 % fixed 4
				output a
				""");
	}

	@Test
	void sectionsAndBlocksStandApartAndTheirBodiesAreIndented() {
		assertFormatted("""
				network n
				target PYNQ-Z2   clock 100MHz budget dsp 90%,lut 80 %
				quantization { split 60 % pot 4, 40 % fixed 4
				activations fixed 4 first layer fixed 8 sensitive rows by output-error
				pot  rows by variance reassign every 2 epochs until epoch 10 }
				block B( tensor t , int c=2*4 ){ split fixed 8
				y=conv(t,out=c*(2+1),kernel=1) output y }
				input x: 3 x 8 x 8
				b = B(x,c = 4)
				output b
				""", """
				network n

				target PYNQ-Z2 clock 100 MHz budget dsp 90 %, lut 80 %

				quantization {
				    split 60 % pot 4, 40 % fixed 4
				    activations fixed 4
				    first layer fixed 8
				    sensitive rows by output-error
				    pot rows by variance
				    reassign every 2 epochs until epoch 10
				}

				block B(tensor t, int c = 2 * 4) {
				    split fixed 8
				    y = conv(t, out=c * (2 + 1), kernel=1)
				    output y
				}

				input x: 3 x 8 x 8
				b = B(x, c=4)
				output b
				""");
	}

	@Test
	void oneBlankLineBetweenStatementsIsKeptAndMoreAreNot() {
		assertFormatted("""
				network n
				input x: 3 x 8 x 8


				a = relu(x)

				b = relu(a)
				c = relu(b)
				output c
				""", """
				network n

				input x: 3 x 8 x 8

				a = relu(x)

				b = relu(a)
				c = relu(b)
				output c
				""");
	}

	@Test
	void commentsStayWhereTheyAre() {
		assertFormatted("""
				// a network
				network n
				/* the input */ input x: 3 x 8 x 8
				a = relu(x)   // activation
				output a
				""", """
				// a network
				network n

				/* the input */ input x: 3 x 8 x 8
				a = relu(x) // activation
				output a
				""");
	}

	@Test
	void theImportsStandTogetherApartFromTheHeader() {
		assertFormatted("""
				library   more import "a.ilmpq"
				   import   "b.ilmpq" block B(tensor t) { output t }
				""", """
				library more

				import "a.ilmpq"
				import "b.ilmpq"

				block B(tensor t) {
				    output t
				}
				""");
	}

	@ParameterizedTest
	@ValueSource(strings = { "resnet18-xc7z020", "resnet18-xc7z045", "resnet50-xc7z045", "mobilenetv2-xc7z020",
			"vgg16-xc7z045", "digits-cnn", "blocks/resnet" })
	void theExamplesAreInCanonicalLayout(String example) {
		String text = SpecFixture.read("examples/" + example + ".ilmpq");
		assertFormatted(text, text);
	}
}
