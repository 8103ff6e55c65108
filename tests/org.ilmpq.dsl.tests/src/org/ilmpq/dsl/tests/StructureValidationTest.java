package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** The shape of the text: what each operation cannot do without, and sizes with the right number of dimensions. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class StructureValidationTest {

	@Inject
	private SpecFixture fixture;

	private static String network(String body) {
		return SpecFixture.network("input x: 3 x 8 x 8\n" + body);
	}

	@Test
	void aConvolutionNeedsAKernelAndItsOutputChannels() {
		assertEquals(List.of("error 6:5 missing-argument: conv needs a kernel size: kernel=3 (or kernel=1x7)",
				"error 6:5 missing-argument: conv needs its number of output channels: out=64 (only a depthwise conv "
						+ "may leave it out)"),
				fixture.issues(network("""
						c = conv(x, stride=2)
						output c
						""")));
	}

	@Test
	void aDepthwiseConvolutionMayLeaveOutItsOutputChannels() {
		assertEquals(List.of(), fixture.issues(network("""
				c = conv(x, kernel=3, groups=depthwise)
				output c
				""")));
	}

	@Test
	void aLinearLayerNeedsItsOutputFeatures() {
		assertEquals(List.of("error 7:5 missing-argument: linear needs its number of output features: out=1000"),
				fixture.issues(network("""
						f = flatten(x)
						l = linear(f)
						output l
						""")));
	}

	@Test
	void poolingNeedsAKernel() {
		assertEquals(List.of("error 6:5 missing-argument: maxpool needs a kernel size: kernel=2"),
				fixture.issues(network("""
						p = maxpool(x, stride=2)
						output p
						""")));
	}

	@Test
	void aSizeHasOneOrTwoDimensions() {
		assertEquals(List.of("error 6:27 dimension-count: kernel takes one size (3) or height x width (1x7), not 3 "
				+ "sizes"), fixture.issues(network("""
						c = conv(x, out=4, kernel=3x3x3)
						output c
						""")));
	}

	@Test
	void anInputHasChannelsHeightAndWidth() {
		assertEquals(List.of("error 6:10 dimension-count: an input's shape is channels x height x width "
				+ "(3 x 224 x 224), or a number of features; y has 2 sizes"), fixture.errors(network("""
						input y: 8 x 8
						s = add(x, y)
						output s
						""")));
	}

	@Test
	void addAndConcatTakeTwoOrMoreInputs() {
		assertEquals(List.of("error 6:9 too-few-inputs: add needs at least two inputs"), fixture.issues(network("""
				s = add(x)
				output s
				""")));
	}

	@Test
	void anInstanceWhoseResultDependsOnItselfIsReported() {
		assertEquals(List.of("error 9:1 self-dependent-instance: the result of block instance 'i' depends on itself"),
				fixture.errors(network("""
						block Identity(tensor t) {
						    output t
						}
						i = Identity(i)
						output i
						""")).stream().filter(e -> e.contains("self-dependent")).toList());
	}
}
