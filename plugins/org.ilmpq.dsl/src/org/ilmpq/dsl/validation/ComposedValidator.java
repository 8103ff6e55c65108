package org.ilmpq.dsl.validation;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.Exceptions;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;

import com.google.inject.Inject;

/**
 * A validator for one concern, composed into {@link IlmpqValidator} through {@code @ComposedChecks}; it does
 * not register itself.
 */
abstract class ComposedValidator extends AbstractDeclarativeValidator {

	@Inject
	private ValidatorFailures failures;

	@Inject
	private OperationCanceledManager cancellation;

	/**
	 * A check that throws is a bug: it goes to {@link ValidatorFailures}, not into the diagnostics, and the other
	 * checks go on. Xtext's own default rethrows (and quietly drops a NullPointerException); a cancelled check
	 * (the editor typed on) still ends the validation. (No check here uses {@code guard}, whose exception Xtext
	 * keeps to itself.)
	 */
	@Override
	protected void handleExceptionDuringValidation(Throwable exception) {
		if (cancellation.isOperationCanceledException(exception)) {
			Exceptions.throwUncheckedException(exception);
		}
		failures.report(getClass(), getCurrentMethod(), getCurrentObject(), exception);
	}

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into IlmpqValidator
	}

	@Override
	protected List<EPackage> getEPackages() {
		return List.of(IlmpqPackage.eINSTANCE);
	}

	/** The line an element starts on, for messages that point from one element to another. */
	static int lineOf(EObject element) {
		ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
		return node == null ? 0 : node.getStartLine();
	}
}
