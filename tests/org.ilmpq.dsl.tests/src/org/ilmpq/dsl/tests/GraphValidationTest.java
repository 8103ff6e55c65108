package org.ilmpq.dsl.tests;

import static org.ilmpq.dsl.tests.SpecFixture.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** The graph: inputs and one output, no cycles, nothing computed for nothing. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class GraphValidationTest {

	@Inject
	private SpecFixture fixture;

	@Test
	void layersMayReferToLayersWrittenBelowThem() {
		assertEquals(List.of(), fixture.issues(network("""
				input x: 3 x 8 x 8
				output b
				b = relu(a)
				a = conv(x, out=4, kernel=3)
				""")));
	}

	@Test
	void aCycleIsReportedOnEveryLayerOnIt() {
		assertEquals(List.of("error 6:1 cycle: 'a' is on a cycle: a reads c, which reads b, which reads a",
				"error 7:1 cycle: 'b' is on a cycle: a reads c, which reads b, which reads a",
				"error 8:1 cycle: 'c' is on a cycle: a reads c, which reads b, which reads a"),
				fixture.errors(network("""
						input x: 3 x 8 x 8
						a = add(x, c)
						b = relu(a)
						c = relu(b)
						output c
						""")));
	}

	@Test
	void aLayerReadingItselfIsACycle() {
		assertEquals(List.of("error 6:1 cycle: 'a' is on a cycle: a reads itself"), fixture.errors(network("""
				input x: 3 x 8 x 8
				a = add(x, a)
				output a
				""")));
	}

	@Test
	void aLayerThatDoesNotReachTheOutputIsReported() {
		assertEquals(List.of("warning 7:1 unused-layer: layer 'side' does not reach the output 'a'"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						a = conv(x, out=4, kernel=3)
						side = relu(x)
						output a
						""")));
	}

	@Test
	void anInputNoLayerReadsIsReported() {
		assertEquals(List.of("warning 6:7 unused-input: input 'y' does not reach the output 'a'"),
				fixture.issues(network("""
						input x: 3 x 8 x 8
						input y: 3 x 8 x 8
						a = conv(x, out=4, kernel=3)
						output a
						""")));
	}

	@Test
	void aNetworkNeedsAnInputAndAnOutput() {
		assertEquals(List.of("error 1:9 missing-input: network n has no input: declare one, e.g. "
				+ "'input image: 3 x 224 x 224'", "error 1:9 missing-output: network n has no output: name the layer "
						+ "whose result it is, e.g. 'output fc'"),
				fixture.errors(network("")));
	}

	@Test
	void aNetworkHasOneOutput() {
		assertEquals(List.of("error 8:1 extra-output: a network has one output, and it is already given on line 7"),
				fixture.errors(network("""
						input x: 3 x 8 x 8
						a = relu(x)
						output a
						output x
						""")));
	}

	@Test
	void namesAreUniqueInTheNetwork() {
		assertEquals(List.of("error 7:1 duplicate-name: 'x' is already defined in network n on line 5 (an input)"),
				fixture.errors(network("""
						input x: 3 x 8 x 8
						a = relu(x)
						x = relu(a)
						output a
						""")));
	}

	@Test
	void anUnknownTensorIsReportedWithTheNearestName() {
		assertEquals(List.of("error 7:12 linking: unknown tensor 'relu2' in network n: no input or layer has that "
				+ "name (did you mean 'relu1'?)"), fixture.errors(network("""
						input x: 3 x 8 x 8
						relu1 = relu(x)
						out = relu(relu2)
						output out
						""")));
	}

	@Test
	void aSyntaxErrorStillLeavesTheRestOfTheSpecValidated() {
		assertEquals(List.of(
				"error 6:5 missing-argument: conv needs a kernel size: kernel=3 (or kernel=1x7)",
				"error 6:5 missing-argument: conv needs its number of output channels: out=64 "
						+ "(only a depthwise conv may leave it out)",
				"error 6:16 syntax: mismatched input ')' expecting '='",
				"error 7:12 linking: unknown tensor 'y' in network n: no input or layer has that name "
						+ "(did you mean 'x'?)"),
				fixture.errors(network("""
						input x: 3 x 8 x 8
						a = conv(x, out)
						b = add(a, y)
						output b
						""")));
	}
}
