package org.ilmpq.dsl.tests;

import static org.ilmpq.dsl.tests.SpecFixture.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/**
 * What shape inference finds, reported on the argument or input at fault, or on the block instance a wrong
 * shape comes from.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ShapeValidationTest {

	@Inject
	private SpecFixture fixture;

	@Test
	void addNeedsOneChannelCount() {
		assertEquals(List.of("error 8:12 channel-mismatch: add needs inputs with one channel count: "
				+ "'a' has 16, 'b' has 32"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3, padding=1)
						b = conv(x, out=32, kernel=3, padding=1)
						s = add(a, b)
						output s
						""")));
	}

	@Test
	void addNeedsOneHeightAndWidth() {
		assertEquals(List.of("error 8:12 spatial-mismatch: add needs inputs of one height and width: "
				+ "'a' is 8 x 8, 'b' is 4 x 4"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3, padding=1)
						b = conv(x, out=16, kernel=3, stride=2, padding=1)
						s = add(a, b)
						output s
						""")));
	}

	@Test
	void concatNeedsOneHeightAndWidthAndAddsChannels() {
		assertEquals(List.of("error 9:18 spatial-mismatch: concat needs inputs of one height and width: "
				+ "'a' is 8 x 8, 'c' is 6 x 6"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3, padding=1)
						b = conv(x, out=32, kernel=1)
						c = conv(x, out=8, kernel=3)
						s = concat(a, b, c)
						output s
						""")));
		assertEquals("48 x 8 x 8", fixture.analyze(network("""
				input x: 3 x 8 x 8
				a = conv(x, out=16, kernel=3, padding=1)
				b = conv(x, out=32, kernel=1)
				s = concat(a, b)
				output s
				""")).network().shapeOf("s").orElseThrow().toString());
	}

	@Test
	void kernelMustFitThePaddedInput() {
		assertEquals(List.of("error 7:28 kernel-too-large: kernel 7x7 is larger than its input in 'b': "
				+ "'a' is 3 x 3, 5 x 5 with padding 1"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3, stride=2)
						b = conv(a, out=16, kernel=7, padding=1)
						output b
						""")));
	}

	@Test
	void aDilatedKernelMustFitToo() {
		assertEquals(List.of("error 7:28 kernel-too-large: kernel 3x3 (dilated to 9x9) is larger than its input "
				+ "in 'b': 'a' is 8 x 8"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=1)
						b = conv(a, out=16, kernel=3, dilation=4)
						output b
						""")));
	}

	@Test
	void groupsMustDivideTheInputChannels() {
		assertEquals(List.of("error 7:38 groups: groups=3 does not divide the 16 input channels of 'b'"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=1)
						b = conv(a, out=24, kernel=3, groups=3)
						output b
						""")));
	}

	@Test
	void groupsMustDivideTheOutputChannels() {
		assertEquals(List.of("error 7:38 groups: groups=4 does not divide the 18 output channels of 'b'"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=1)
						b = conv(a, out=18, kernel=3, groups=4)
						output b
						""")));
	}

	@Test
	void aDepthwiseConvolutionKeepsItsChannelsAndHasOneFilterPerChannel() {
		var analysis = fixture.analyze(network("""
				input x: 32 x 16 x 16
				dw = conv(x, kernel=3, padding=1, groups=depthwise, bias=false)
				output dw
				"""));
		var facts = analysis.network().facts("dw").orElseThrow();
		assertEquals("32 x 16 x 16", facts.output().toString());
		assertEquals(32L * 16 * 16 * 9, facts.macs());
		assertEquals(32L * 9, facts.parameters());
	}

	@Test
	void linearNeedsAFlatInput() {
		assertEquals(List.of("error 7:12 not-flat: linear needs a flat input, but 'a' is 16 x 6 x 6; flatten it first"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3)
						b = linear(a, out=10)
						output b
						""")));
	}

	@Test
	void absurdSizesAreReportedNotWrappedAround() {
		assertEquals(List.of("error 6:17 size-limit: out=1,000,000,000,000 in 'a' is beyond the 16,777,216 (2^24) "
				+ "this tool accepts"), fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=1000000000000, kernel=3)
						output a
						""")));
	}

	@Test
	void aNumberBeyondSixtyFourBitsIsASyntaxErrorNotAnOverflow() {
		assertEquals(List.of("error 6:17 syntax: the number 99999999999999999999 is too large: at most "
				+ "9223372036854775807"), fixture.errors(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=99999999999999999999, kernel=3)
						output a
						""")));
	}

	@Test
	void aZeroStrideIsInvalid() {
		assertEquals(List.of("error 6:38 invalid-argument: stride=0 in 'a': must be at least 1"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=3, stride=0)
						output a
						""")));
	}

	@Test
	void poolPaddingIsAtMostHalfTheKernel() {
		assertEquals(List.of("error 6:34 invalid-argument: padding=2 is more than half of kernel=3 in 'p'"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						p = maxpool(x, kernel=3, padding=2)
						output p
						""")));
	}

	@Test
	void aShapeErrorInsideABlockIsReportedOnTheInstance() {
		assertEquals(List.of("error 12:1 channel-mismatch: in block instance 'r': add needs inputs with one channel "
				+ "count: 'r.c' has 32, 'a' has 16"), fixture.issues(network("""
						block Residual(tensor t, int channels) {
						    c = conv(t, out=channels, kernel=3, padding=1)
						    s = add(c, t)
						    output s
						}
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=1)
						r = Residual(a, channels=32)
						output r
						""")));
	}

	@Test
	void everythingDownstreamOfAnErrorIsLeftAlone() {
		assertEquals(List.of("error 6:28 kernel-too-large: kernel 9x9 is larger than its input in 'a': 'x' is 8 x 8"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=16, kernel=9)
						b = add(a, x)
						c = linear(b, out=10)
						output c
						""")));
	}
}
