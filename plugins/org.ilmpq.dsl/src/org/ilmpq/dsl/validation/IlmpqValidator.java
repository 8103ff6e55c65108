package org.ilmpq.dsl.validation;

import org.eclipse.xtext.validation.ComposedChecks;

/**
 * The validation of .ilmpq specs, one validator per concern; each rule has an issue code in {@link IssueCodes}.
 * The editor, the language server and the command line all run exactly this.
 */
@ComposedChecks(validators = { NameValidator.class, StructureValidator.class, BlockCallValidator.class,
		SplitValidator.class, QuantizationValidator.class, TargetValidator.class, AnalysisValidator.class,
		HardwareValidator.class, ImportValidator.class })
public class IlmpqValidator extends AbstractIlmpqValidator {
}
