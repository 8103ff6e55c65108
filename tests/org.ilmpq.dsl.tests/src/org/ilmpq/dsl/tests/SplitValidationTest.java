package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** Splits and the quantization section. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class SplitValidationTest {

	@Inject
	private SpecFixture fixture;

	private static String network(String quantization, String layers) {
		return "network n\n" + quantization + "\ninput x: 3 x 8 x 8\n" + layers + "\noutput fc\n";
	}

	private static final String LAYERS = """
			c = conv(x, out=20, kernel=3)
			f = flatten(c)
			fc = linear(f, out=10)""";

	@Test
	void sharesMustAddUpToHundredPercent() {
		assertEquals(List.of("error 3:11 split-sum: the shares of a split add up to 100 %, these to 95 %"),
				fixture.issues(network("""
						quantization {
						    split 60 % pot 4, 30 % fixed 4, 5 % fixed 8
						}""", LAYERS)));
	}

	@Test
	void decimalSharesAreAddedExactly() {
		assertEquals(List.of(), fixture.issues(network("""
				quantization {
				    split 62.5 % pot 4, 32.5 % fixed 4, 5 % fixed 8
				}""", LAYERS)));
	}

	@Test
	void aShareCannotBeNegative() {
		assertEquals(List.of("error 3:11 split-sum: the shares of a split add up to 100 %, these to 60 %",
				"error 3:23 negative-share: a share cannot be negative: -5 %"), fixture.issues(network("""
						quantization {
						    split 65 % pot 4, -5 % fixed 4
						}""", LAYERS)));
	}

	@Test
	void withSeveralSchemesEveryShareNeedsAPercentage() {
		assertEquals(List.of("error 3:23 missing-percent: with several schemes every share needs its percentage: "
				+ "'fixed 4' has none"), fixture.issues(network("""
						quantization {
						    split 60 % pot 4, fixed 4
						}""", LAYERS)));
	}

	@Test
	void aSchemeAppearsOnceInASplit() {
		assertEquals(List.of("error 3:28 duplicate-scheme: pot 4 appears twice in this split: give it one share"),
				fixture.issues(network("""
						quantization {
						    split 60 % pot 4, 40 % pot 4
						}""", LAYERS)));
	}

	@Test
	void powerOfTwoTakesTwoToFiveBits() {
		assertEquals(List.of("error 3:20 bit-width: pot takes 2 to 5 bits, not 8 "
				+ "(a sign and an exponent: at 6 bits it would shift by up to 30)"), fixture.issues(network("""
						quantization {
						    split 60 % pot 8, 40 % fixed 4
						}""", LAYERS)));
	}

	@Test
	void fixedPointTakesTwoToSixteenBits() {
		assertEquals(List.of("error 3:17 bit-width: fixed takes 2 to 16 bits, not 32"), fixture.issues(network("""
				quantization {
				    split fixed 32
				}""", LAYERS)));
	}

	@Test
	void activationsAreFixedPoint() {
		assertEquals(List.of("error 4:17 activation-scheme: activations are fixed-point (unsigned after ReLU): "
				+ "'activations fixed 4', not pot 4"), fixture.issues(network("""
						quantization {
						    split fixed 8
						    activations pot 4
						}""", LAYERS)));
	}

	@Test
	void theQuantizationSectionNeedsADefaultSplit() {
		assertEquals(List.of("error 2:1 missing-split: the quantization section needs the network's default split, "
				+ "e.g. 'split 60 % pot 4, 35 % fixed 4, 5 % fixed 8'"), fixture.issues(network("""
						quantization {
						    activations fixed 4
						}""", LAYERS)));
	}

	@Test
	void eachSettingIsGivenOnce() {
		assertEquals(List.of("error 4:5 duplicate-setting: 'split' is already set on line 3"), fixture.issues(network("""
				quantization {
				    split fixed 8
				    split fixed 4
				}""", LAYERS)));
	}

	@Test
	void aSpecWithoutQuantizationIsCheckedForShapesOnly() {
		assertEquals(List.of("warning 1:9 missing-quantization: network n has no quantization section: "
				+ "it is checked for shapes only"), fixture.issues(network("", LAYERS)));
	}

	@Test
	void reassignmentStopsAfterItStarts() {
		assertEquals(List.of("error 4:41 reassign-schedule: reassignment stops at epoch 2, before its first time "
				+ "at epoch 4"), fixture.issues(network("""
						quantization {
						    split fixed 8
						    reassign every 4 epochs until epoch 2
						}""", LAYERS)));
	}

	@Test
	void aSplitOnALayerWithoutWeightsHasNoEffect() {
		assertEquals(List.of("warning 7:22 split-without-weights: 'f' has no weights, so its split has no effect"),
				fixture.issues(network("""
						quantization {
						    split fixed 8
						}""", """
						c = conv(x, out=20, kernel=3)
						f = flatten(c) split fixed 4
						fc = linear(f, out=10)""")));
	}

	@Test
	void roundingThatMovesAShareByMoreThanOneRowIsReported() {
		assertEquals(List.of("warning 8:1 split-rounding: 'fc' has 3 rows: 90 % pot 4 asks for 2.7 and gets 1 "
				+ "(moved by 1.7 rows), so that every scheme of the split keeps at least one row; rows per scheme: "
				+ "1 pot 4, 1 fixed 4, 1 fixed 8"), fixture.issues(network("""
						quantization {
						    split 90 % pot 4, 5 % fixed 4, 5 % fixed 8
						}""", """
						c = conv(x, out=20, kernel=3)
						f = flatten(c)
						fc = linear(f, out=3)""")));
	}
}
