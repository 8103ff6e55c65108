package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** The spec against its target's resources: checks that run on save, as they search over designs. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class HardwareValidationTest {

	@Inject
	private SpecFixture fixture;

	private static String network(String target, String split) {
		return "network n\n" + target + "\nquantization {\n    split " + split + "\n}\n" + """
				input x: 64 x 56 x 56
				c1 = conv(x, out=64, kernel=3, padding=1, bias=false)
				c2 = conv(c1, out=64, kernel=3, padding=1, bias=false)
				output c2
				""";
	}

	@Test
	void aBudgetNoAcceleratorFitsIsAnErrorOnTheTargetWithItsNumbers() {
		// 1 % of 220 DSPs is 2: one row of each fixed-point engine over 4 lanes needs 8, and the output stage, four
		// lanes of two requantizers, 8 more: the widest accumulator holds 576 x 143 x 127 (c1's fan-in, its 8-bit
		// pixels taken in two 4-bit passes, the largest 8-bit weight) in 25 bits, so each requantization takes one
		// DSP48E1 (25-bit A)
		assertEquals(List.of("error 2:8 over-budget: no accelerator for this network fits PYNQ-Z2 (xc7z020clg400-1) "
				+ "within the budget: even one row per engine needs DSP 16 > 220 x 1 % budget"),
				fixture.issuesOnSave(network("target PYNQ-Z2 budget dsp 1 %", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void blockRamOverflowIsCaughtBeforeSynthesis() {
		// the smallest design (4 lanes, one row per engine) needs 46 RAMB18: 8 the shell's, 32 the two output tile
		// buffers' (16 banks each, as a 4-bit word holds 16 codes), the rest its accumulators and input tiles
		// (docs/hardware-model.md, section 5); 2 % of the XC7Z020's 280 is 5
		assertEquals(List.of("error 2:8 over-budget: no accelerator for this network fits PYNQ-Z2 (xc7z020clg400-1) "
				+ "within the budget: even one row per engine needs BRAM18 46 > 280 x 2 % budget"),
				fixture.issuesOnSave(network("target PYNQ-Z2 budget bram 2 %", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void aSplitThatFitsTheTargetHasNoHardwareIssue() {
		assertEquals(List.of(), fixture.issuesOnSave(network("target PYNQ-Z2", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void anEngineMostlyIdleIsAWarningWhenAnotherSplitIsClearlyFaster() {
		// 15 % of the LUTs leave room for a small power-of-two engine only: 60 % of the rows on it take many row
		// steps, in most of which the 8-bit engine's row is done and it waits; the engines run in lockstep, so moving
		// the rows to the DSP slices (0 % pot 4, 95 % fixed 4) takes fewer steps
		assertEquals(List.of("warning 4:11 idle-engine: on PYNQ-Z2 (xc7z020clg400-1) the fixed 8 engine computes 8 % of "
				+ "the time and waits the rest; the split 0 % pot 4, 95 % fixed 4, 5 % fixed 8 would take 71.37 ms instead "
				+ "of 132.42 ms"), fixture.issuesOnSave(network("target PYNQ-Z2 budget lut 15 %",
						"60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}


	@Test
	void theHardwareChecksDoNotRunWhileTyping() {
		assertEquals(List.of(), fixture.issues(network("target PYNQ-Z2 budget dsp 1 %",
				"60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}
}
