package org.ilmpq.core.exploration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ilmpq.core.device.Resource;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.quant.Scheme;

/**
 * Why a design is as fast as it is, in sentences a report can show: which resources bind, which engines wait,
 * which layers wait for memory.
 */
public final class DesignExplanation {

	/** A resource at or above this share of its budget is what stops the engines from growing. */
	public static final double BINDING = 0.90;

	private DesignExplanation() {
	}

	public static List<String> of(DesignEstimate design) {
		List<String> reasons = new ArrayList<>();
		List<String> binding = new ArrayList<>();
		for (Resource resource : Resource.values()) {
			double used = design.utilisation(resource);
			if (used >= BINDING) {
				binding.add(String.format(Locale.ROOT, "%s at %.0f %% of its budget", name(resource), 100 * used));
			}
		}
		if (binding.isEmpty()) {
			DesignEstimate doubled = doubled(design);
			double gain = 1 - (double) doubled.cycles() / design.cycles();
			if (gain < 0.01) {
				reasons.add("no resource is at its budget, and larger engines would not be faster: twice the rows in "
						+ "every engine saves nothing (each layer's rows already take one step, or memory binds)");
			} else {
				reasons.add(String.format(Locale.ROOT, "no resource is at its budget, but the engines grow in steps: "
						+ "twice the rows in every engine would cut the latency by %.0f %%%s", 100 * gain,
						doubled.feasible() ? "" : " and needs " + String.join(", ", doubled.violations())));
			}
		} else {
			reasons.add("the engines cannot grow: " + String.join(", ", binding));
		}
		for (Map.Entry<Scheme, Double> busy : design.engineBusy().entrySet()) {
			if (busy.getValue() < 0.5) {
				reasons.add(String.format(Locale.ROOT, "the %s engine computes %.0f %% of the time and waits the rest",
						busy.getKey(), 100 * busy.getValue()));
			}
		}
		List<LayerTiming> memoryBound = design.memoryBoundLayers();
		if (!memoryBound.isEmpty()) {
			long memoryCycles = memoryBound.stream().mapToLong(LayerTiming::cycles).sum();
			reasons.add(String.format(Locale.ROOT, "%d of %d layers wait for DRAM (%.0f %% of the time): %s",
					memoryBound.size(), design.layers().size(), 100.0 * memoryCycles / design.cycles(),
					String.join(", ", memoryBound.stream().limit(5).map(t -> t.layer().name()).toList())
							+ (memoryBound.size() > 5 ? ", ..." : "")));
		}
		LayerTiming slowest = design.layers().stream().max((a, b) -> Long.compare(a.cycles(), b.cycles())).orElse(null);
		if (slowest != null && slowest.cycles() > 0.2 * design.cycles()) {
			reasons.add(String.format(Locale.ROOT, "layer %s alone takes %.0f %% of the time", slowest.layer().name(),
					100.0 * slowest.cycles() / design.cycles()));
		}
		return reasons;
	}

	/** The same design with twice the rows in every engine, budget or not. */
	static DesignEstimate doubled(DesignEstimate design) {
		AcceleratorConfig config = design.config();
		List<EngineConfig> engines = config.engines().stream().map(e -> e.withRows(2 * e.rows())).toList();
		return DesignEstimate.of(config.withEngines(engines), design.workload(),
				design.target());
	}

	static String name(Resource resource) {
		return resource == Resource.BRAM ? "BRAM" : resource.name();
	}
}
