package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** Blocks and their instances. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class BlockValidationTest {

	@Inject
	private SpecFixture fixture;

	private static String network(String body) {
		return SpecFixture.network("""
				block Unit(tensor t, int channels, int stride = 1) {
				    c = conv(t, out=channels, kernel=3, stride=stride, padding=1)
				    r = relu(c)
				    output r
				}
				input x: 3 x 8 x 8
				""" + body);
	}

	@Test
	void anInstanceGivesEveryTensorByPosition() {
		assertEquals(List.of("error 11:5 block-arity: Unit takes 1 tensor (t), but 2 are given"),
				fixture.issues(network("""
						u = Unit(x, x, channels=4)
						output u
						""")));
	}

	@Test
	void anInstanceGivesEveryIntParameterWithoutDefault() {
		assertEquals(List.of("error 11:5 missing-argument: Unit needs channels=<int>"), fixture.issues(network("""
				u = Unit(x, stride=2)
				output u
				""")));
	}

	@Test
	void anArgumentIsGivenOnce() {
		assertEquals(List.of("error 11:25 duplicate-argument: channels is given twice"), fixture.issues(network("""
				u = Unit(x, channels=4, channels=8)
				output u
				""")));
	}

	@Test
	void anUnknownParameterNameIsReportedWithTheNearestOne() {
		assertEquals(List.of("error 11:5 missing-argument: Unit needs channels=<int>",
				"error 11:13 linking: block Unit has no int parameter 'chanels' (did you mean 'channels'?)"),
				fixture.issues(network("""
						u = Unit(x, chanels=4)
						output u
						""")));
	}

	@Test
	void aBlockCannotInstantiateItself() {
		assertEquals(List.of("error 12:9 recursive-block: block Loop instantiates itself: Loop -> Loop",
				"error 13:9 recursive-block: block Loop instantiates itself: Loop -> Other -> Loop",
				"error 17:9 recursive-block: block Other instantiates itself: Other -> Loop -> Other"),
				fixture.errors(network("""
						block Loop(tensor t) {
						    l = Loop(t)
						    o = Other(l)
						    output o
						}
						block Other(tensor t) {
						    o = Loop(t)
						    output o
						}
						u = Loop(x)
						output u
						""")).stream().filter(e -> e.contains("recursive")).toList());
	}

	@Test
	void aTensorParameterHasNoDefault() {
		assertEquals(List.of("error 11:32 tensor-default: tensor parameter 'u' cannot have a default: only int "
				+ "parameters can"), fixture.errors(network("""
						block Bad(tensor t, tensor u = 3) {
						    output t
						}
						b = Bad(x, x)
						output b
						""")));
	}

	@Test
	void whatABlockComputesForNothingIsReportedOnTheBlock() {
		assertEquals(List.of("warning 11:27 unused-parameter: parameter 'k' of block Extra is never used",
				"warning 13:5 unused-block-layer: layer 'side' of block Extra does not reach the block's output 'a'"),
				fixture.issues(network("""
						block Extra(tensor t, int k) {
						    a = relu(t)
						    side = relu(t)
						    output a
						}
						e = Extra(x, k=1)
						u = Unit(e, channels=4)
						output u
						""")));
	}

	@Test
	void aBlockThatIsNeverInstantiatedIsReported() {
		assertEquals(List.of("warning 5:7 unused-block: block Unit is never instantiated"), fixture.issues(network("""
				a = relu(x)
				output a
				""")));
	}

	@Test
	void aBlockNeedsAnOutput() {
		assertEquals(List.of("error 11:7 missing-output: block Empty has no output: end its body with 'output <layer>'"),
				fixture.errors(network("""
						block Empty(tensor t) {
						    a = relu(t)
						}
						u = Unit(x, channels=4)
						output u
						""")));
	}

	@Test
	void aDivisionByZeroInAnInstanceIsReportedOnTheInstance() {
		assertEquals(List.of("error 16:1 expression: in block instance 'h' (Half): 4 / 0 divides by zero"),
				fixture.errors(network("""
						block Half(tensor t, int channels, int parts) {
						    c = conv(t, out=channels / parts, kernel=1)
						    output c
						}
						u = Unit(x, channels=4)
						h = Half(u, channels=4, parts=0)
						output h
						""")));
	}

	@Test
	void aDefaultMayOnlyUseTheParametersBeforeIt() {
		assertEquals(List.of("error 11:34 linking: unknown int parameter 'b' of block Defaults (a default may only "
				+ "use the parameters before it)"), fixture.errors(network("""
						block Defaults(tensor t, int a = b, int b = 2) {
						    c = conv(t, out=a * b, kernel=1)
						    output c
						}
						d = Defaults(x)
						u = Unit(d, channels=4)
						output u
						""")));
	}
}
