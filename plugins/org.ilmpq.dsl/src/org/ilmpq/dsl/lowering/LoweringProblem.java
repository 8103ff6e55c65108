package org.ilmpq.dsl.lowering;

import org.eclipse.emf.ecore.EObject;

/**
 * A problem met while lowering: on {@code element}, with one of the issue codes of
 * {@link org.ilmpq.dsl.validation.IssueCodes}.
 */
public record LoweringProblem(EObject element, String code, String message) {
}
