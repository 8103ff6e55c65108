package org.ilmpq.dsl.validation;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.dsl.ilmpq.ActivationPrecision;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.LayerPolicy;
import org.ilmpq.dsl.ilmpq.PotRowRule;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.QuantizationSetting;
import org.ilmpq.dsl.ilmpq.ReassignSchedule;
import org.ilmpq.dsl.ilmpq.SchemeKind;
import org.ilmpq.dsl.ilmpq.SensitivityRule;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SplitStatement;

/**
 * The quantization section: each setting at most once, a default split (so that every weight layer has one),
 * fixed-point activations, a sensible reassignment schedule.
 */
public class QuantizationValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Check
	public void specHasQuantization(Spec spec) {
		if (!spec.isLibrary() && EcoreUtil2.typeSelect(spec.getElements(), Quantization.class).isEmpty()) {
			warning("network " + spec.getName() + " has no quantization section: it is checked for shapes only",
					spec, ILMPQ.getSpec_Name(), IssueCodes.MISSING_QUANTIZATION);
		}
	}

	@Check
	public void settingsAreGivenOnce(Quantization quantization) {
		Map<String, QuantizationSetting> seen = new HashMap<>();
		boolean hasSplit = false;
		for (QuantizationSetting setting : quantization.getSettings()) {
			hasSplit |= setting instanceof SplitStatement;
			String name = name(setting);
			QuantizationSetting first = seen.putIfAbsent(name, setting);
			if (first != null) {
				error("'" + name + "' is already set on line " + lineOf(first), setting, null, IssueCodes.DUPLICATE_SETTING);
			}
		}
		if (!hasSplit) {
			error("the quantization section needs the network's default split, e.g. "
					+ "'split 60 % pot 4, 35 % fixed 4, 5 % fixed 8'", quantization, null, IssueCodes.MISSING_SPLIT);
		}
	}

	@Check
	public void activationsAreFixedPoint(ActivationPrecision precision) {
		if (precision.getScheme() != null && precision.getScheme().getKind() != SchemeKind.FIXED) {
			error("activations are fixed-point (unsigned after ReLU): 'activations fixed 4', not "
					+ SplitValidator.text(precision.getScheme()), precision, ILMPQ.getActivationPrecision_Scheme(),
					IssueCodes.ACTIVATION_SCHEME);
		}
	}

	@Check
	public void reassignScheduleIsSensible(ReassignSchedule schedule) {
		if (schedule.getInterval() < 1) {
			error("reassign every 0 epochs: the interval is at least 1 epoch", schedule,
					ILMPQ.getReassignSchedule_Interval(), IssueCodes.REASSIGN_SCHEDULE);
		} else if (schedule.eIsSet(ILMPQ.getReassignSchedule_Until()) && schedule.getUntil() < schedule.getInterval()) {
			error("reassignment stops at epoch " + schedule.getUntil() + ", before its first time at epoch "
					+ schedule.getInterval(), schedule, ILMPQ.getReassignSchedule_Until(), IssueCodes.REASSIGN_SCHEDULE);
		}
	}

	private static String name(QuantizationSetting setting) {
		if (setting instanceof SplitStatement) {
			return "split";
		}
		if (setting instanceof ActivationPrecision) {
			return "activations";
		}
		if (setting instanceof LayerPolicy policy) {
			return policy.getPosition().getLiteral() + " layer";
		}
		if (setting instanceof SensitivityRule) {
			return "sensitive rows";
		}
		if (setting instanceof PotRowRule) {
			return "pot rows";
		}
		return "reassign";
	}
}
