package org.ilmpq.generator.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.device.Resource;
import org.ilmpq.core.device.Target;

/**
 * The targets a report covers. Asked-for devices get the spec's clock and budgets; without any, the spec's own
 * target and, for comparison, a PYNQ-Z2 (XC7Z020) and a ZC706 (XC7Z045), the devices ILMPQ reports on. A
 * device other than the spec's runs at the spec's clock brought into the device's sustainable range.
 */
public final class ReportTargets {

	/** The comparison boards of a report that names no device. */
	public static final List<String> COMPARISON = List.of("PYNQ-Z2", "ZC706");

	private ReportTargets() {
	}

	public static List<Target> of(Optional<Target> specTarget, List<Part> asked, DeviceLibrary devices) {
		BigDecimal clock = specTarget.map(Target::clockMhz).orElse(Target.DEFAULT_CLOCK_MHZ);
		Map<Resource, BigDecimal> budgets = specTarget.map(Target::budgets).orElse(Map.of());
		List<Target> targets = new ArrayList<>();
		if (asked.isEmpty()) {
			specTarget.ifPresent(targets::add);
			for (String board : COMPARISON) {
				Part part = devices.resolve(board).orElseThrow();
				if (targets.stream().noneMatch(t -> t.part().device().equals(part.device()))) {
					targets.add(new Target(part, clampedClock(clock, part.device()), budgets));
				}
			}
		} else {
			Set<String> named = new HashSet<>();
			for (Part part : asked) {
				if (!named.add(ReportFiles.deviceName(part))) {
					continue; // asked twice (PYNQ-Z2 and pynq-z2): one report
				}
				boolean specs = specTarget.map(t -> t.part().equals(part)).orElse(false);
				targets.add(specs ? specTarget.get() : new Target(part, clampedClock(clock, part.device()), budgets));
			}
		}
		return targets;
	}

	static BigDecimal clampedClock(BigDecimal clock, Device device) {
		BigDecimal low = BigDecimal.valueOf(device.sustainableClockMhz().low());
		BigDecimal high = BigDecimal.valueOf(device.sustainableClockMhz().high());
		return clock.max(low).min(high);
	}
}
