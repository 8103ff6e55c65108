package org.ilmpq.dsl.lowering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

import org.eclipse.emf.ecore.EObject;
import org.ilmpq.core.quant.PotCriterion;
import org.ilmpq.core.quant.QuantizationPolicy;
import org.ilmpq.core.quant.SensitivityMeasure;
import org.ilmpq.dsl.ilmpq.ActivationPrecision;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.LayerPolicy;
import org.ilmpq.dsl.ilmpq.LayerPosition;
import org.ilmpq.dsl.ilmpq.PotRowRule;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.QuantizationSetting;
import org.ilmpq.dsl.ilmpq.ReassignSchedule;
import org.ilmpq.dsl.ilmpq.Scheme;
import org.ilmpq.dsl.ilmpq.SensitivityRule;
import org.ilmpq.dsl.ilmpq.Share;
import org.ilmpq.dsl.ilmpq.Split;
import org.ilmpq.dsl.ilmpq.SplitStatement;

/**
 * Lowers the quantization section and the splits of a spec to {@link QuantizationPolicy} and
 * {@link org.ilmpq.core.quant.Split}. Where a setting is given twice the first counts (validation reports the
 * second); a malformed split (a share without a percentage among several, a width its scheme does not take) lowers
 * to nothing, so that no layer is analysed with it. A value the core refuses (a scheme of a width out of range,
 * activations that are not fixed-point) goes to {@code refused}: validation reports it, and the hardware model must
 * not run on what stands in its place.
 */
final class QuantizationLowering {

	private QuantizationLowering() {
	}

	static QuantizationPolicy policy(Optional<Quantization> section, Consumer<EObject> refused) {
		if (section.isEmpty()) {
			return QuantizationPolicy.none();
		}
		Optional<org.ilmpq.core.quant.Split> defaultSplit = Optional.empty();
		Optional<org.ilmpq.core.quant.Scheme> activations = Optional.empty();
		Optional<org.ilmpq.core.quant.Split> first = Optional.empty();
		Optional<org.ilmpq.core.quant.Split> last = Optional.empty();
		Optional<SensitivityMeasure> sensitivity = Optional.empty();
		Optional<PotCriterion> potCriterion = Optional.empty();
		Optional<org.ilmpq.core.quant.ReassignSchedule> reassign = Optional.empty();
		for (QuantizationSetting setting : section.get().getSettings()) {
			if (setting instanceof SplitStatement statement && defaultSplit.isEmpty()) {
				defaultSplit = split(statement.getSplit());
				if (defaultSplit.isEmpty()) {
					refused.accept(statement);
				}
			} else if (setting instanceof ActivationPrecision precision && activations.isEmpty()) {
				activations = scheme(precision.getScheme())
						.filter(scheme -> scheme.kind() == org.ilmpq.core.quant.SchemeKind.FIXED);
				if (activations.isEmpty()) {
					refused.accept(precision);
				}
			} else if (setting instanceof LayerPolicy policy) {
				if (policy.getPosition() == LayerPosition.FIRST && first.isEmpty()) {
					first = split(policy.getSplit());
					if (first.isEmpty()) {
						refused.accept(policy);
					}
				} else if (policy.getPosition() == LayerPosition.LAST && last.isEmpty()) {
					last = split(policy.getSplit());
					if (last.isEmpty()) {
						refused.accept(policy);
					}
				}
			} else if (setting instanceof SensitivityRule rule && sensitivity.isEmpty()) {
				sensitivity = Optional.of(switch (rule.getMeasure()) {
				case OUTPUT_ERROR -> SensitivityMeasure.OUTPUT_ERROR;
				case WEIGHT_ERROR -> SensitivityMeasure.WEIGHT_ERROR;
				});
			} else if (setting instanceof PotRowRule && potCriterion.isEmpty()) {
				potCriterion = Optional.of(PotCriterion.LOWEST_VARIANCE);
			} else if (setting instanceof ReassignSchedule schedule && reassign.isEmpty()) {
				OptionalLong until = schedule.eIsSet(IlmpqPackage.Literals.REASSIGN_SCHEDULE__UNTIL)
						? OptionalLong.of(schedule.getUntil())
						: OptionalLong.empty();
				reassign = Optional.of(new org.ilmpq.core.quant.ReassignSchedule(schedule.getInterval(), until));
			}
		}
		QuantizationPolicy defaults = QuantizationPolicy.none();
		return new QuantizationPolicy(defaultSplit, activations.orElse(defaults.activations()), first, last,
				sensitivity.orElse(defaults.sensitivity()), potCriterion.orElse(defaults.potCriterion()), reassign);
	}

	/** A split as written; a single share without a percentage takes every row. */
	static Optional<org.ilmpq.core.quant.Split> split(Split split) {
		if (split == null || split.getShares().isEmpty()) {
			return Optional.empty();
		}
		List<org.ilmpq.core.quant.Share> shares = new ArrayList<>();
		boolean alone = split.getShares().size() == 1;
		for (Share share : split.getShares()) {
			Optional<org.ilmpq.core.quant.Scheme> scheme = scheme(share.getScheme());
			BigDecimal percent = share.getPercent() != null ? share.getPercent() : alone ? BigDecimal.valueOf(100) : null;
			if (scheme.isEmpty() || percent == null) {
				return Optional.empty();
			}
			shares.add(new org.ilmpq.core.quant.Share(scheme.get(), percent));
		}
		return Optional.of(new org.ilmpq.core.quant.Split(shares));
	}

	static Optional<org.ilmpq.core.quant.Scheme> scheme(Scheme scheme) {
		if (scheme == null || scheme.getKind() == null) {
			return Optional.empty();
		}
		org.ilmpq.core.quant.SchemeKind kind = switch (scheme.getKind()) {
		case FIXED -> org.ilmpq.core.quant.SchemeKind.FIXED;
		case POT -> org.ilmpq.core.quant.SchemeKind.POT;
		case SP2 -> org.ilmpq.core.quant.SchemeKind.SP2;
		};
		return kind.allows(scheme.getBits()) ? Optional.of(new org.ilmpq.core.quant.Scheme(kind, (int) scheme.getBits()))
				: Optional.empty();
	}
}
