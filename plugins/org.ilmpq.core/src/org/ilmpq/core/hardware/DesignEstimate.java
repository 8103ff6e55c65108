package org.ilmpq.core.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ilmpq.core.device.Resource;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.quant.Scheme;

/**
 * An accelerator configuration on a target, estimated for a workload: its resources against the target's budget,
 * the time of each layer, and the network's latency, frame rate and throughput. Nothing is clipped: a design
 * over budget says so in {@link #violations()} and is infeasible.
 */
public final class DesignEstimate {

	private final AcceleratorConfig config;
	private final Target target;
	private final Workload workload;
	private final Resources used;
	private final MemoryBandwidth bandwidth;
	private final long cycles;
	private final List<String> violations;
	// what a search does not look at, computed when a report or a check asks (a search compares thousands of
	// designs by cycles and resource totals alone)
	private volatile ResourceModel.Estimate resources;
	private volatile List<LayerTiming> layers;

	private DesignEstimate(AcceleratorConfig config, Target target, Workload workload, Resources used,
			MemoryBandwidth bandwidth, long cycles) {
		this.config = config;
		this.target = target;
		this.workload = workload;
		this.used = used;
		this.bandwidth = bandwidth;
		this.cycles = cycles;
		this.violations = violations(used, target);
	}

	public static DesignEstimate of(AcceleratorConfig config, Workload workload, Target target) {
		return of(config, workload, bounds(config, workload, target), target);
	}

	/** {@link #of(AcceleratorConfig, Workload, Target)} with the workload's bounds for the tile at hand. */
	public static DesignEstimate of(AcceleratorConfig config, Workload workload, WorkloadBounds bounds,
			Target target) {
		MemoryBandwidth bandwidth = MemoryBandwidth.of(target.part(), target.clockMhz().doubleValue());
		int activationBits = workload.activations().bits();
		long cycles = 0;
		AlikeLayers alike = AlikeLayers.of(workload);
		for (int i = 0; i < alike.layers().size(); i++) {
			cycles += alike.counts().get(i) * LatencyModel.cycles(alike.layers().get(i), config, activationBits, bandwidth);
		}
		return new DesignEstimate(config, target, workload, ResourceModel.total(config, workload, bounds, target.part().device()), bandwidth,
				cycles);
	}

	/** Whether a configuration fits the target's budget, without timing it: what a search asks most often. */
	public static boolean fits(AcceleratorConfig config, Workload workload, Target target) {
		return fits(config, workload, bounds(config, workload, target), target);
	}

	/** {@link #fits(AcceleratorConfig, Workload, Target)} with the workload's bounds for the tile at hand. */
	public static boolean fits(AcceleratorConfig config, Workload workload, WorkloadBounds bounds, Target target) {
		Resources used = ResourceModel.total(config, workload, bounds, target.part().device());
		for (Resource resource : Resource.values()) {
			if (used.of(resource) > target.allowed(resource)) {
				return false;
			}
		}
		return true;
	}

	/** The buffers' sizes for this configuration's tile and the target's memory words. */
	public static WorkloadBounds bounds(AcceleratorConfig config, Workload workload, Target target) {
		return WorkloadBounds.of(workload, config.tile(), target.part().device().memory().hpWidthBits());
	}

	private static List<String> violations(Resources used, Target target) {
		List<String> found = new ArrayList<>();
		for (Resource resource : Resource.values()) {
			if (used.of(resource) > target.allowed(resource)) {
				String name = resource == Resource.BRAM ? "BRAM18" : resource.name();
				found.add(String.format(Locale.ROOT, "%s %,d > %,d x %s %% budget", name, used.of(resource),
						target.part().device().available(resource),
						target.budgetPercent(resource).stripTrailingZeros().toPlainString()));
			}
		}
		return List.copyOf(found);
	}

	public AcceleratorConfig config() {
		return config;
	}

	public Target target() {
		return target;
	}

	public Workload workload() {
		return workload;
	}

	/** The resources of each part of the design, and their sum. */
	public ResourceModel.Estimate resources() {
		ResourceModel.Estimate estimate = resources;
		if (estimate == null) {
			estimate = ResourceModel.estimate(config, workload, target.part().device());
			resources = estimate;
		}
		return estimate;
	}

	/** The design's resources in all: {@code resources().total()} without naming the parts. */
	public Resources used() {
		return used;
	}

	public MemoryBandwidth bandwidth() {
		return bandwidth;
	}

	/** The time of each weight layer, in execution order. */
	public List<LayerTiming> layers() {
		List<LayerTiming> timings = layers;
		if (timings == null) {
			int activationBits = workload.activations().bits();
			timings = workload.layers().stream()
					.map(layer -> LatencyModel.time(layer, config, activationBits, bandwidth)).toList();
			layers = timings;
		}
		return timings;
	}

	/** Over-budget resources, each with its numbers: empty for a feasible design. */
	public List<String> violations() {
		return violations;
	}

	public boolean feasible() {
		return violations.isEmpty();
	}

	public long cycles() {
		return cycles;
	}

	public double clockMhz() {
		return target.clockMhz().doubleValue();
	}

	public double latencyMs() {
		return cycles / (clockMhz() * 1000);
	}

	/** Frames per second at batch 1. */
	public double fps() {
		return 1000 / latencyMs();
	}

	/** Giga-operations per second, two operations per multiply-accumulate. */
	public double gops() {
		return 2.0 * workload.macs() / (latencyMs() / 1000) / 1e9;
	}

	/** Multiply-accumulates per cycle the array could do with every unit busy, at this clock: GOPS. */
	public double peakGops() {
		return 2.0 * config.peakMacsPerCycle() * clockMhz() / 1000;
	}

	/** Share of the network's time each engine computes; the rest it waits for the others or for memory. */
	public Map<Scheme, Double> engineBusy() {
		Map<Scheme, Double> busy = new LinkedHashMap<>();
		for (EngineConfig engine : config.engines()) {
			long engineCycles = layers().stream().mapToLong(t -> t.engineCycles().getOrDefault(engine.scheme(), 0L)).sum();
			busy.put(engine.scheme(), cycles == 0 ? 0 : (double) engineCycles / cycles);
		}
		return busy;
	}

	/** The layers whose DRAM traffic takes longer than their computation. */
	public List<LayerTiming> memoryBoundLayers() {
		return layers().stream().filter(t -> t.boundBy() == LayerTiming.Bound.MEMORY).toList();
	}

	/** Share of the budget of {@code resource} the design uses (1 = all of it). */
	public double utilisation(Resource resource) {
		long allowed = target.allowed(resource);
		return allowed == 0 ? Double.POSITIVE_INFINITY : (double) used.of(resource) / allowed;
	}
}
