package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.validation.ValidatorFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * A check that throws is a bug, not a diagnostic: it becomes one line for whoever ran the validation, and the other
 * checks report as usual.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(ThrowingCheckInjectorProvider.class)
class ValidatorFailureTest {

	private static final String SPEC = """
			network n
			target PYNQ-Z2
			quantization {
			    split fixed 8
			}
			input x: 3 x 8 x 8
			a = conv(x, out=16, kernel=3)
			b = relu(x)
			output a
			""";

	@Inject
	private ParseHelper<Spec> parser;

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private IResourceValidator validator;

	@Inject
	private ValidatorFailures failures;

	private List<String> validate() throws Exception {
		Spec spec = parser.parse(SPEC, URI.createURI("inline.ilmpq"), resourceSets.get());
		return validator.validate(spec.eResource(), CheckMode.ALL, CancelIndicator.NullImpl).stream()
				.map(SpecFixture::describe).toList();
	}

	@Test
	void theOtherChecksReportAndNothingStandsAtTheStartOfTheFile() throws Exception {
		failures.takeAll();
		assertEquals(List.of("warning 8:1 unused-layer: layer 'b' does not reach the output 'a'"), validate());
		failures.takeAll();
	}

	@Test
	void theCheckThatThrewIsOneLineNamingItAndItsElement() throws Exception {
		failures.takeAll();
		validate();
		assertEquals(List.of("internal error: check HardwareValidator.specFitsItsTarget on Spec at line 1 threw "
				+ "IllegalStateException: a planted bug"),
				failures.takeAll().stream().map(ValidatorFailures.Failure::describe).toList());
	}
}
