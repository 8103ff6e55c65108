package org.ilmpq.dsl.lowering;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.emf.ecore.EObject;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.device.Resource;
import org.ilmpq.dsl.ilmpq.Budget;
import org.ilmpq.dsl.ilmpq.Target;

/**
 * Lowers the target of a spec; an unknown device lowers to no target (validation reports it), and so does a clock
 * or budget the core does not take (refused: reported by validation too).
 */
final class TargetLowering {

	private TargetLowering() {
	}

	static Optional<org.ilmpq.core.device.Target> target(Optional<Target> target, DeviceLibrary devices,
			Consumer<EObject> refused) {
		if (target.isEmpty() || target.get().getDevice() == null) {
			return Optional.empty();
		}
		Optional<Part> part = devices.resolve(target.get().getDevice());
		if (part.isEmpty()) {
			return Optional.empty();
		}
		BigDecimal clock = target.get().getClock() != null ? target.get().getClock()
				: org.ilmpq.core.device.Target.DEFAULT_CLOCK_MHZ;
		if (!org.ilmpq.core.device.Target.isClock(clock)) {
			refused.accept(target.get());
			return Optional.empty();
		}
		Map<Resource, BigDecimal> budgets = new EnumMap<>(Resource.class);
		for (Budget budget : target.get().getBudgets()) {
			if (budget.getResource() != null && budget.getPercent() != null) {
				if (!org.ilmpq.core.device.Target.isBudget(budget.getPercent())) {
					refused.accept(budget);
					return Optional.empty();
				}
				budgets.putIfAbsent(resource(budget.getResource()), budget.getPercent());
			}
		}
		return Optional.of(new org.ilmpq.core.device.Target(part.get(), clock, budgets));
	}

	static Resource resource(org.ilmpq.dsl.ilmpq.Resource resource) {
		return switch (resource) {
		case DSP -> Resource.DSP;
		case LUT -> Resource.LUT;
		case FF -> Resource.FF;
		case BRAM -> Resource.BRAM;
		};
	}
}
