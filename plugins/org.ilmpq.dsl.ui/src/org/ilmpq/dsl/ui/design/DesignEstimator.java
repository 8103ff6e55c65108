package org.ilmpq.dsl.ui.design;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.generator.report.ReportTargets;

/**
 * The Design view's numbers, from the model the reports and the validator use ({@link HardwareAnalyzer}, whose
 * answers are remembered, so an edit that leaves the workload as it was costs no search): the fastest design for
 * the spec's split on the spec's target or another board, and then, separately since it takes a few times longer,
 * the split the optimiser would choose there. Plain Java, no SWT; called in a background job.
 */
public final class DesignEstimator {

	/** The design of a text on a target, or the smallest design's violations when none fits. */
	public record Estimate(DesignInputs inputs, Target target, Optional<DesignEstimate> design,
			List<String> violations, long nanos) {
	}

	/** What the optimiser found for an estimate. */
	public record Optimum(Estimate estimate, Optional<SplitOptimiser.Result> result, long nanos) {

		/** The optimiser's split where it is faster than the spec's, else empty. */
		public Optional<SplitOptimiser.Candidate> better() {
			return result.map(SplitOptimiser.Result::best).filter(best -> best.design().isPresent()
					&& estimate.design().map(d -> best.design().get().cycles() < d.cycles()).orElse(true)
					&& !best.split().equals(estimate.inputs().hardware().get().split()));
		}
	}

	private final HardwareAnalyzer hardware;
	private final DeviceLibrary devices;

	public DesignEstimator(HardwareAnalyzer hardware, DeviceLibrary devices) {
		this.hardware = hardware;
		this.devices = devices;
	}

	/** The boards a user may compare with (the spec's own part is offered besides): the library's named boards. */
	public List<String> boards() {
		List<String> boards = new ArrayList<>();
		for (String name : devices.names()) {
			devices.resolve(name).flatMap(Part::board).filter(name::equals).ifPresent(boards::add);
		}
		return boards;
	}

	/**
	 * The target of the inputs on {@code board} (empty: the spec's own): the spec's clock brought into the board's
	 * sustainable range and the spec's budgets, as the report compares devices.
	 */
	public Target target(HardwareAnalyzer.HardwareInputs inputs, Optional<String> board) {
		Optional<Part> part = board.flatMap(devices::resolve);
		if (part.isEmpty() || part.get().equals(inputs.target().part())) {
			return inputs.target();
		}
		return ReportTargets.of(Optional.of(inputs.target()), List.of(part.get()), devices).get(0);
	}

	/** The fastest design of an estimable text; on {@code board} if one is given. */
	public Estimate estimate(DesignInputs inputs, Optional<String> board) {
		long start = System.nanoTime();
		HardwareAnalyzer.HardwareInputs model = inputs.hardware().orElseThrow(
				() -> new IllegalArgumentException("no estimate: " + inputs.unavailable()));
		Target target = target(model, board);
		Optional<DesignEstimate> design = hardware.design(model.workload(), target);
		List<String> violations = design.isPresent() ? List.of()
				: DeviceStudy.smallestDesign(model.workload(), target).violations();
		return new Estimate(inputs, target, design, violations, System.nanoTime() - start);
	}

	/** The optimiser's split for an estimate's workload and target. */
	public Optimum optimise(Estimate estimate) {
		long start = System.nanoTime();
		Optional<SplitOptimiser.Result> result = estimate.inputs().hardware().get().defaultSplitLayers().isEmpty()
				? Optional.empty()
				: hardware.optimum(estimate.inputs().hardware().get(), estimate.target());
		return new Optimum(estimate, result, System.nanoTime() - start);
	}
}
