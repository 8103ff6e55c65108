package org.ilmpq.dsl.validation;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import org.eclipse.xtext.validation.Check;
import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.dsl.ilmpq.Budget;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Resource;
import org.ilmpq.dsl.ilmpq.Target;

import com.google.inject.Inject;

/**
 * The target names a part or a board the device library knows, at a clock the part is rated for, with budgets
 * that are percentages of the device.
 */
public class TargetValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;
	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	@Inject
	private DeviceLibrary devices;

	@Check
	public void deviceIsKnown(Target target) {
		String name = target.getDevice();
		if (name == null || devices.resolve(name).isPresent()) {
			return;
		}
		Optional<Device> die = devices.device(name);
		if (die.isPresent()) {
			error("'" + name + "' names a device, not a part: add the package and speed grade, one of "
					+ String.join(", ", die.get().partNumbers()), target, ILMPQ.getTarget_Device(),
					IssueCodes.UNKNOWN_DEVICE);
			return;
		}
		String suggestion = devices.suggest(name).map(s -> " Did you mean '" + s + "'?").orElse("");
		String boards = devices.devices().stream().flatMap(d -> d.boards().keySet().stream().sorted())
				.collect(Collectors.joining(", "));
		String examples = devices.devices().stream().map(d -> d.boards().values().stream().sorted().findFirst()
				.orElse(d.partNumbers().get(0))).collect(Collectors.joining(", "));
		error("unknown device '" + name + "'." + suggestion + " Name a board (" + boards + ") or a part number ("
				+ examples + ", ...), or add a device file to the folder " + DeviceLibrary.DEVICES_VARIABLE
				+ " names (docs/devices.md)", target, ILMPQ.getTarget_Device(), IssueCodes.UNKNOWN_DEVICE);
	}

	@Check
	public void clockSuitsThePart(Target target) {
		BigDecimal clock = target.getClock();
		if (clock == null) {
			return;
		}
		if (clock.signum() <= 0) {
			error("the clock must be above 0 MHz", target, ILMPQ.getTarget_Clock(), IssueCodes.CLOCK_RANGE);
			return;
		}
		if (!org.ilmpq.core.device.Target.isClock(clock)) {
			error("a clock of " + clock.toPlainString() + " MHz is beyond any FPGA: the clock is at most "
					+ org.ilmpq.core.device.Target.MAX_CLOCK_MHZ + " MHz", target, ILMPQ.getTarget_Clock(),
					IssueCodes.CLOCK_RANGE);
			return;
		}
		Optional<Part> part = target.getDevice() == null ? Optional.empty() : devices.resolve(target.getDevice());
		if (part.isEmpty()) {
			return;
		}
		OptionalLong max = part.get().device().maxClockMhz(part.get().speedGrade());
		Device.ClockRange sustainable = part.get().device().sustainableClockMhz();
		if (max.isPresent() && clock.compareTo(BigDecimal.valueOf(max.getAsLong())) > 0) {
			warning("clock " + clock.toPlainString() + " MHz is above the " + max.getAsLong() + " MHz that "
					+ part.get().number() + " (speed grade " + part.get().speedGrade()
					+ ") is rated for: the maximum frequency of its global clock buffers", target,
					ILMPQ.getTarget_Clock(), IssueCodes.CLOCK_RANGE);
		} else if (clock.compareTo(BigDecimal.valueOf(sustainable.high())) > 0) {
			warning("clock " + clock.toPlainString() + " MHz is above the " + sustainable + " that HLS accelerators on "
					+ part.get().device().name() + " reach in practice: expect timing to fail", target,
					ILMPQ.getTarget_Clock(), IssueCodes.CLOCK_RANGE);
		}
	}

	@Check
	public void budgetsArePercentages(Target target) {
		Map<Resource, Budget> seen = new EnumMap<>(Resource.class);
		for (Budget budget : target.getBudgets()) {
			if (budget.getPercent() != null
					&& (budget.getPercent().signum() <= 0 || budget.getPercent().compareTo(HUNDRED) > 0)) {
				error("a budget is a share of the device above 0 % and at most 100 %, not "
						+ budget.getPercent().toPlainString() + " %", budget, ILMPQ.getBudget_Percent(),
						IssueCodes.BUDGET_RANGE);
			}
			if (budget.getResource() != null) {
				Budget first = seen.putIfAbsent(budget.getResource(), budget);
				if (first != null) {
					error("the " + budget.getResource().getLiteral() + " budget is already given", budget,
							ILMPQ.getBudget_Resource(), IssueCodes.DUPLICATE_SETTING);
				}
			}
		}
	}
}
