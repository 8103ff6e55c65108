package org.ilmpq.dsl.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.eclipse.xtext.util.IResourceScopeCache;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.quant.Split;
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

	/**
	 * What the model needs of a spec, all plain Java: the workload, the spec's target, the layers that take the
	 * network's split, and that split. Taken from the EMF model in a moment; the searches on it may then run anywhere
	 * (the Design view runs them in a background job, without holding the editor's resource).
	 */
	public record HardwareInputs(Workload workload, Target target, Set<String> defaultSplitLayers, Split split) {
	}

	@Inject
	private IResourceScopeCache cache;

	@Inject
	private SpecAnalyzer specs;

	/**
	 * The last searches' answers, by everything they depend on: an edit that leaves the workload and target as they
	 * were (a comment, a name, a layer without weights) costs no search, in the editor as on the command line.
	 */
	private final Map<List<Object>, Object> recent = new LinkedHashMap<>(RECENT, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<List<Object>, Object> eldest) {
			return size() > RECENT;
		}
	};

	/** Few: a key holds its whole workload (a 10,000-layer one is megabytes), and an editor has few specs open. */
	private static final int RECENT = 8;

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

	/**
	 * The model's inputs of a spec that it can estimate: without errors, whole, with a target and a default split
	 * that adds up, and with a weight layer; empty otherwise.
	 */
	public Optional<HardwareInputs> inputs(Spec spec) {
		SpecAnalysis analysis = specs.analyze(spec);
		NetworkSpec lowered = analysis.lowered().spec();
		if (!estimable(spec, analysis)) {
			return Optional.empty();
		}
		Workload workload = Workload.of(analysis.network(), lowered.quantization().activations());
		if (workload.schemes().isEmpty()) {
			return Optional.empty(); // no weight layer: nothing for an accelerator to do
		}
		return Optional.of(new HardwareInputs(workload, lowered.target().get(),
				Workload.defaultSplitLayers(analysis.network()), lowered.quantization().defaultSplit().get()));
	}

	/** The fastest design of {@code workload} on {@code target}; remembered, as every answer of this class. */
	public Optional<DesignEstimate> design(Workload workload, Target target) {
		return remembered(List.of("design", workload, target),
				() -> DesignSearch.best(workload, target, DesignSearch.Packing.DENSEST));
	}

	/** The fastest split of the inputs' layers on {@code target}, the sensitive share held. */
	public Optional<SplitOptimiser.Result> optimum(HardwareInputs inputs, Target target) {
		return remembered(List.of("split", inputs.workload(), inputs.defaultSplitLayers(), inputs.split(), target),
				() -> SplitOptimiser.optimise(inputs.workload(), inputs.defaultSplitLayers(), inputs.split(), target,
						SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE));
	}

	private Optional<HardwareAnalysis> compute(Spec spec) {
		return inputs(spec).map(inputs -> new HardwareAnalysis(inputs.workload(), inputs.target(),
				design(inputs.workload(), inputs.target())));
	}

	private Optional<SplitOptimiser.Result> computeOptimum(Spec spec) {
		return inputs(spec).flatMap(inputs -> optimum(inputs, inputs.target()));
	}

	/**
	 * Whether the model may run: only on a spec whose every value it depends on is valid, a spec without syntax
	 * errors (what the parser recovered is not what the user wrote) whose network is whole.
	 */
	@SuppressWarnings("unchecked")
	private <T> T remembered(List<Object> key, Supplier<T> search) {
		synchronized (recent) {
			Object known = recent.get(key);
			if (known != null) {
				return (T) known;
			}
		}
		T answer = search.get();
		synchronized (recent) {
			recent.put(key, answer);
		}
		return answer;
	}

	private static boolean estimable(Spec spec, SpecAnalysis analysis) {
		NetworkAnalysis network = analysis.network();
		NetworkSpec lowered = analysis.lowered().spec();
		return (spec.eResource() == null || spec.eResource().getErrors().isEmpty())
				&& !lowered.network().output().isEmpty()
				&& lowered.target().isPresent() && lowered.quantization().defaultSplit().isPresent()
				&& analysis.lowered().problems().isEmpty()
				&& analysis.lowered().refused().isEmpty()
				&& network.firstError().isEmpty()
				&& lowered.quantization().defaultSplit().get().sumsToHundred();
	}
}
