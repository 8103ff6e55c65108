package org.ilmpq.core.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.Baselines;
import org.ilmpq.core.exploration.DesignExplanation;
import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;

/**
 * Everything the reports say about one spec on one target: the fastest design for the spec's split, the baselines
 * it is compared with, the split the optimiser finds and why. What the report writers render; computed once.
 *
 * @param design the fastest feasible design for the spec's own split; empty when none fits
 * @param smallest the design with one row per engine, whose violations say why nothing fits
 * @param publishedSplit the split ILMPQ reports for this device, if it reports one
 */
public record DeviceStudy(String network, Target target, Workload workload, Split split,
		Optional<DesignEstimate> design, DesignEstimate smallest, Map<Baselines.Kind, DesignEstimate> baselines,
		Optional<SplitOptimiser.Result> optimised, List<String> explanation, Optional<Split> publishedSplit) {

	/**
	 * Studies a lowered, error-free spec with a split on {@code target}. Without a default split, or when no layer
	 * takes it (every layer with a split of its own), there is nothing to optimise and no baseline to substitute.
	 */
	public static DeviceStudy of(NetworkSpec spec, NetworkAnalysis analysis, Target target) {
		return of(spec, analysis, Workload.of(analysis, spec.quantization().activations()), target);
	}

	/** {@link #of(NetworkSpec, NetworkAnalysis, Target)} with the network's workload, the same on every target. */
	public static DeviceStudy of(NetworkSpec spec, NetworkAnalysis analysis, Workload workload, Target target) {
		Set<String> defaultLayers = Workload.defaultSplitLayers(analysis);
		Optional<DesignEstimate> design = DesignSearch.best(workload, target, DesignSearch.Packing.DENSEST);
		Optional<Split> split = spec.quantization().defaultSplit();
		// the optimiser and the baselines change the layers that take the network's split: without any, nothing
		Optional<Split> changeable = split.filter(s -> !defaultLayers.isEmpty());
		Map<Baselines.Kind, DesignEstimate> baselines = changeable
				.map(s -> Baselines.all(workload, defaultLayers, s, target)).orElse(Map.of());
		Optional<SplitOptimiser.Result> optimised = changeable.flatMap(s -> SplitOptimiser.optimise(workload,
				defaultLayers, s, target, SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE));
		List<String> explanation = design.map(DesignExplanation::of).orElse(List.of());
		return new DeviceStudy(spec.network().name(), target, workload, split.orElse(null), design,
				smallestDesign(workload, target), baselines, optimised, explanation,
				PublishedSplits.of(target.part().device().name()));
	}

	/**
	 * One row per engine, unpacked (packing costs LUTs), the smallest lanes, tile and output stage: the least any
	 * design of the search needs, so when this does not fit, nothing does, and its violations say why.
	 */
	public static DesignEstimate smallestDesign(Workload workload, Target target) {
		List<EngineConfig> engines = workload.schemes().stream()
				.map(s -> new EngineConfig(s, 1, DspPacking.NONE)).toList();
		WorkloadBounds bounds = WorkloadBounds.of(workload, DesignSearch.TILES[0],
				target.part().device().memory().hpWidthBits());
		return DesignEstimate.of(new AcceleratorConfig(DesignSearch.LANES[0], DesignSearch.TILES[0],
				DesignSearch.outputLanes(bounds).get(0), engines), workload, target);
	}

	/** Modelled speedup of the study's design over a baseline: the ratio of their latencies. */
	public Optional<Double> speedupOver(Baselines.Kind kind) {
		DesignEstimate baseline = baselines.get(kind);
		return design.filter(d -> baseline != null).map(d -> baseline.latencyMs() / d.latencyMs());
	}

	/** The splits ILMPQ reports (RMSMP, ICCV 2021, second-hand in the method notes): for comparison only. */
	static final class PublishedSplits {
		private PublishedSplits() {
		}

		static Optional<Split> of(String device) {
			return switch (device) {
			case "XC7Z020" -> Optional.of(split(60, 35, 5));
			case "XC7Z045" -> Optional.of(split(65, 30, 5));
			default -> Optional.empty();
			};
		}

		private static Split split(int pot, int fixed4, int fixed8) {
			return new Split(List.of(new Share(Scheme.pot(4), BigDecimal.valueOf(pot)),
					new Share(Scheme.fixed(4), BigDecimal.valueOf(fixed4)),
					new Share(Scheme.fixed(8), BigDecimal.valueOf(fixed8))));
		}
	}
}
