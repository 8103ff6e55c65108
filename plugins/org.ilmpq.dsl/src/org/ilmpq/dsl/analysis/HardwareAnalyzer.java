package org.ilmpq.dsl.analysis;

import java.util.Optional;

import org.eclipse.xtext.util.IResourceScopeCache;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.dsl.ilmpq.Spec;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * The accelerator a spec's target gets for the spec's split, and the split the optimiser would choose instead:
 * computed once per state of the file, and only for a spec without errors that has both a target and a default
 * split. Expensive (a search over designs, and for the split over designs per split), so validation asks for it
 * in its normal (on save) checks only.
 */
@Singleton
public class HardwareAnalyzer {

	/** The design for the spec's split on its target; empty when none fits, or no answer is possible. */
	public record HardwareAnalysis(Workload workload, Target target, Optional<DesignEstimate> design) {
	}

	@Inject
	private IResourceScopeCache cache;

	@Inject
	private SpecAnalyzer specs;

	public Optional<HardwareAnalysis> analyze(Spec spec) {
		if (spec.eResource() == null) {
			return compute(spec);
		}
		return cache.get(HardwareAnalysis.class, spec.eResource(), () -> compute(spec));
	}

	/** The fastest split for the spec's target (the spec's other shares held); computed when first asked. */
	public Optional<SplitOptimiser.Result> optimise(Spec spec) {
		if (spec.eResource() == null) {
			return computeOptimum(spec);
		}
		return cache.get(SplitOptimiser.Result.class, spec.eResource(), () -> computeOptimum(spec));
	}

	private Optional<HardwareAnalysis> compute(Spec spec) {
		SpecAnalysis analysis = specs.analyze(spec);
		NetworkSpec lowered = analysis.lowered().spec();
		if (!estimable(analysis)) {
			return Optional.empty();
		}
		Workload workload = Workload.of(analysis.network(), lowered.quantization().activations());
		if (workload.schemes().isEmpty()) {
			return Optional.empty(); // no weight layer: nothing for an accelerator to do
		}
		Target target = lowered.target().get();
		return Optional.of(new HardwareAnalysis(workload, target,
				DesignSearch.best(workload, target, DesignSearch.Packing.DENSEST)));
	}

	private Optional<SplitOptimiser.Result> computeOptimum(Spec spec) {
		SpecAnalysis analysis = specs.analyze(spec);
		return analyze(spec).flatMap(hardware -> SplitOptimiser.optimise(hardware.workload(),
				Workload.defaultSplitLayers(analysis.network()), analysis.lowered().spec().quantization().defaultSplit()
						.get(), hardware.target(), SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE));
	}

	private static boolean estimable(SpecAnalysis analysis) {
		NetworkAnalysis network = analysis.network();
		NetworkSpec lowered = analysis.lowered().spec();
		return lowered.target().isPresent() && lowered.quantization().defaultSplit().isPresent()
				&& analysis.lowered().problems().isEmpty()
				&& network.firstError().isEmpty()
				&& lowered.quantization().defaultSplit().get().sumsToHundred();
	}
}
