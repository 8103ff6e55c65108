package org.ilmpq.dsl.validation;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;

/**
 * A validator for one concern, composed into {@link IlmpqValidator} through {@code @ComposedChecks}; it does
 * not register itself.
 */
abstract class ComposedValidator extends AbstractDeclarativeValidator {

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
