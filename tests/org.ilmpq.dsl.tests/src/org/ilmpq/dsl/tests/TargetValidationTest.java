package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.device.Resource;
import org.ilmpq.core.device.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** The target: a known part or board, a clock it is rated for, budgets that are percentages. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class TargetValidationTest {

	@Inject
	private SpecFixture fixture;

	private static String network(String target) {
		return "network n\n" + target + """

				quantization {
				    split fixed 8
				}
				input x: 3 x 8 x 8
				a = conv(x, out=4, kernel=3)
				output a
				""";
	}

	@Test
	void aBoardNameSelectsItsPart() {
		Target target = fixture.analyze(network("target pynq-z2")).lowered().spec().target().orElseThrow();
		assertEquals("xc7z020clg400-1", target.part().number());
		assertEquals("-1", target.part().speedGrade());
		assertEquals("XC7Z020", target.part().device().name());
		assertEquals(new BigDecimal("100"), target.clockMhz());
	}

	@Test
	void aPartNumberWithClockAndBudgets() {
		Target target = fixture.analyze(network("target xc7z045ffg900-2 clock 200 MHz budget dsp 80 %, lut 70.5 %"))
				.lowered().spec().target().orElseThrow();
		assertEquals("XC7Z045", target.part().device().name());
		assertEquals(new BigDecimal("200"), target.clockMhz());
		assertEquals(new BigDecimal("80"), target.budgetPercent(Resource.DSP));
		assertEquals(new BigDecimal("70.5"), target.budgetPercent(Resource.LUT));
		assertEquals(new BigDecimal("100"), target.budgetPercent(Resource.BRAM));
	}

	@Test
	void anUnknownDeviceIsReportedWithTheNearestKnownName() {
		assertEquals(List.of("error 2:8 unknown-device: unknown device 'xc7z020clg400-4'. Did you mean "
				+ "'xc7z020clg400-1'? Name a board (PYNQ-Z2, ZedBoard, ZC706, Ultra96-V2, ZCU102) or a part number "
				+ "(xc7z020clg400-1, xc7z045ffg900-2, xczu3eg-sbva484-1-i, xczu9eg-ffvb1156-2-e, ...), or add a device "
				+ "file to the folder ILMPQ_DEVICES names (docs/devices.md)"),
				fixture.issues(network("target xc7z020clg400-4")));
	}

	@Test
	void aDeviceWithoutPackageAndSpeedGradeIsNotAPart() {
		assertEquals(List.of("error 2:8 unknown-device: 'xc7z020' names a device, not a part: add the package and "
				+ "speed grade, one of xc7z020clg400-1, xc7z020clg400-2, xc7z020clg400-3, xc7z020clg484-1, "
				+ "xc7z020clg484-2, xc7z020clg484-3"), fixture.issues(network("target xc7z020")));
	}

	@Test
	void aClockAboveWhatThePartIsRatedForIsAWarning() {
		assertEquals(List.of("warning 2:22 clock-range: clock 500 MHz is above the 464 MHz that xc7z020clg400-1 "
				+ "(speed grade -1) is rated for: the maximum frequency of its global clock buffers"),
				fixture.issues(network("target PYNQ-Z2 clock 500 MHz")));
	}

	@Test
	void aClockAboveWhatHlsDesignsReachOnTheFamilyIsAWarning() {
		assertEquals(List.of("warning 2:22 clock-range: clock 180 MHz is above the 100-150 MHz that HLS accelerators on "
				+ "XC7Z020 reach in practice: expect timing to fail"), fixture.issues(network("target PYNQ-Z2 clock 180 MHz")));
	}

	@Test
	void theClockIsPositive() {
		assertEquals(List.of("error 2:20 clock-range: the clock must be above 0 MHz"),
				fixture.issues(network("target ZC706 clock 0 MHz")));
	}

	@Test
	void aBudgetIsAPercentageOfTheDevice() {
		assertEquals(List.of("error 2:25 budget-range: a budget is a share of the device above 0 % and at most "
				+ "100 %, not 120 %"), fixture.issues(network("target ZC706 budget dsp 120 %")));
	}

	@Test
	void eachResourceIsBudgetedOnce() {
		assertEquals(List.of("error 2:31 duplicate-setting: the dsp budget is already given"),
				fixture.issues(network("target ZC706 budget dsp 50 %, dsp 60 %")));
	}

	@Test
	void aSpecHasOneTarget() {
		assertEquals(List.of("error 3:1 duplicate-section: a spec has one target, and it is already given on line 2"),
				fixture.issues(network("target ZC706\ntarget PYNQ-Z2")));
	}
}
