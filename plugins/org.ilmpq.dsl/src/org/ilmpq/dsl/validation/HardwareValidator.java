package org.ilmpq.dsl.validation;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.CheckType;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SplitStatement;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.core.report.DeviceStudy;

import com.google.inject.Inject;

/**
 * The spec against its target's resources (docs/hardware-model.md): an error when no accelerator fits the budget,
 * naming every resource over it; a warning when an engine would wait most of the time and another split would be
 * clearly faster, naming that split (also as issue data, for a quick fix). Runs in the normal checks (on save, on
 * the command line), not while typing: it searches over designs.
 */
public class HardwareValidator extends ComposedValidator {

	/**
	 * An engine computing less than this share of the busiest engine's time is mostly idle. Relative, because the
	 * engines run in lockstep: where the output stage or the DRAM sets the pace all of them wait alike, and no split
	 * changes that (nor is the optimiser worth running on every save).
	 */
	public static final double IDLE_WARNING_BUSY = 0.40;

	/** Another split must be at least this much faster for the idle engine to be worth a warning. */
	public static final double IDLE_WARNING_GAIN = 0.10;

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Inject
	private HardwareAnalyzer hardware;

	@Check(CheckType.NORMAL)
	public void specFitsItsTarget(Spec spec) {
		if (spec.isLibrary()) {
			return;
		}
		Optional<HardwareAnalyzer.HardwareAnalysis> analysis = hardware.analyze(spec);
		Target target = EcoreUtil2.typeSelect(spec.getElements(), Target.class).stream().findFirst().orElse(null);
		if (analysis.isEmpty() || target == null) {
			return;
		}
		if (analysis.get().design().isEmpty()) {
			DesignEstimate smallest = DeviceStudy.smallestDesign(analysis.get().workload(), analysis.get().target());
			error("no accelerator for this network fits " + analysis.get().target().part() + " within the budget: "
					+ "even one row per engine needs " + (smallest.violations().isEmpty() ? "more than the budget"
							: String.join(", ", smallest.violations())), target,
					ILMPQ.getTarget_Device(), IssueCodes.OVER_BUDGET);
			return;
		}
		DesignEstimate design = analysis.get().design().get();
		double busiest = design.engineBusy().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
		for (Map.Entry<Scheme, Double> busy : design.engineBusy().entrySet()) {
			if (busy.getValue() < IDLE_WARNING_BUSY * busiest) {
				warnIdle(spec, design, busy.getKey(), busy.getValue());
				return;
			}
		}
	}

	private void warnIdle(Spec spec, DesignEstimate design, Scheme scheme, double busy) {
		SplitStatement split = EcoreUtil2.typeSelect(spec.getElements(), Quantization.class).stream()
				.flatMap(q -> EcoreUtil2.typeSelect(q.getSettings(), SplitStatement.class).stream()).findFirst()
				.orElse(null);
		Optional<SplitOptimiser.Candidate> better = hardware.optimise(spec).map(SplitOptimiser.Result::best)
				.filter(best -> best.design().get().cycles() < (1 - IDLE_WARNING_GAIN) * design.cycles());
		if (split == null || better.isEmpty()) {
			return;
		}
		DesignEstimate faster = better.get().design().get();
		warning(String.format(Locale.ROOT, "on %s the %s engine computes %.0f %% of the time and waits the rest; the "
				+ "split %s would take %.2f ms instead of %.2f ms", design.target().part(), scheme, 100 * busy,
				better.get().split(), faster.latencyMs(), design.latencyMs()), split, ILMPQ.getSplitStatement_Split(), IssueCodes.IDLE_ENGINE,
				better.get().split().toString());
	}
}
