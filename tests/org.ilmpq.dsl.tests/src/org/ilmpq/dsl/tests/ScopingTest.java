package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** Which names a reference can see (see {@link org.ilmpq.dsl.scoping.IlmpqScopeProvider}). */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ScopingTest {

	@Inject
	private SpecFixture fixture;

	@Test
	void theLayersOfABlockAreNotVisibleOutsideIt() {
		assertEquals(List.of("error 8:10 linking: unknown tensor 'inner' in network n: no input or layer has that name"),
				fixture.errors("""
						network n
						block B(tensor t) {
						    inner = relu(t)
						    output inner
						}
						input x: 3 x 8 x 8
						b = B(x)
						c = relu(inner)
						output c
						"""));
	}

	@Test
	void aBlockSeesItsParametersAndLayersButNotTheNetwork() {
		assertEquals(List.of("error 3:16 linking: unknown tensor 'x' in block B: no tensor parameter or layer of the "
				+ "block has that name (did you mean 't'?)"), fixture.errors("""
						network n
						block B(tensor t) {
						    a = add(t, x)
						    output a
						}
						input x: 3 x 8 x 8
						b = B(x)
						output b
						"""));
	}

	@Test
	void anIntParameterIsNotATensor() {
		assertEquals(List.of("error 3:14 linking: unknown tensor 'c' in block B: no tensor parameter or layer of the "
				+ "block has that name (did you mean 't'?)"), fixture.errors("""
						network n
						block B(tensor t, int c) {
						    a = relu(c)
						    output a
						}
						input x: 3 x 8 x 8
						b = B(x, c=1)
						output b
						"""));
	}

	@Test
	void expressionsInTheNetworkBodyHaveNoParameters() {
		assertEquals(List.of("error 3:17 linking: 'c' is not defined: only a block's int parameters can be used here"),
				fixture.errors("""
						network n
						input x: 3 x 8 x 8
						a = conv(x, out=c, kernel=1)
						output a
						"""));
	}

	@Test
	void aBlockCallSeesTheBlocksOfTheFile() {
		assertEquals(List.of("error 3:5 linking: unknown block 'Basic': no block of that name in this file "
				+ "(did you mean 'Basik'?)"), fixture.errors("""
						network n
						input x: 3 x 8 x 8
						b = Basic(x)
						output b
						block Basik(tensor t) {
						    output t
						}
						"""));
	}
}
