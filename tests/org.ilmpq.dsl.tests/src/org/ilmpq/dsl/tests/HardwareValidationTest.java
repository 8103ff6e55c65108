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
		// 1 % of 220 DSPs is 2: one row of each fixed-point engine over 4 lanes needs 8, and a 4-lane output stage 8
		// more: its accumulators are 26 bits (c1 reads 8-bit pixels in two passes into fixed 8 rows: 12 bits of
		// product, 10 of fan-in, 4 of the second pass), so each lane's requantization takes two DSP48E1 (25-bit A)
		assertEquals(List.of("error 2:8 over-budget: no accelerator for this network fits PYNQ-Z2 (xc7z020clg400-1) "
				+ "within the budget: even one row per engine needs DSP 16 > 220 x 1 % budget"),
				fixture.issuesOnSave(network("target PYNQ-Z2 budget dsp 1 %", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void blockRamOverflowIsCaughtBeforeSynthesis() {
		// the smallest design (4 lanes, one row per engine) needs 32 RAMB18: 8 the shell's, 16 the output tile
		// buffer's (16 banks, as a 4-bit word holds 16 codes, each 64 x 7 x 7 / 8 deep for c2's 8-bit output)
		// (docs/hardware-model.md, section 5); 2 % of the XC7Z020's 280 is 5
		assertEquals(List.of("error 2:8 over-budget: no accelerator for this network fits PYNQ-Z2 (xc7z020clg400-1) "
				+ "within the budget: even one row per engine needs BRAM18 32 > 280 x 2 % budget"),
				fixture.issuesOnSave(network("target PYNQ-Z2 budget bram 2 %", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void aSplitThatFitsTheTargetHasNoHardwareIssue() {
		assertEquals(List.of(), fixture.issuesOnSave(network("target PYNQ-Z2", "60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}

	@Test
	void anEngineMostlyIdleIsAWarningWhenAnotherSplitIsClearlyFaster() {
		// in a depthwise layer every row is a step of its own, whatever an engine's size: the layer takes as many
		// steps as its largest share has rows, 39 of 64 at 60 % pot 4, while the 8-bit engine has 3; 45 % pot 4,
		// 50 % fixed 4 balances the shares (29 and 32 steps). (x is a network input, read as 8-bit pixels in two
		// passes of the 4-bit engines.)
		assertEquals(List.of("warning 4:11 idle-engine: on PYNQ-Z2 (xc7z020clg400-1) the fixed 8 engine computes 9 % of "
				+ "the time and waits the rest; the split 45 % pot 4, 50 % fixed 4, 5 % fixed 8 would take 18.48 ms instead "
				+ "of 22.43 ms"), fixture.issuesOnSave("""
				network n
				target PYNQ-Z2
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 64 x 56 x 56
				dw = conv(x, kernel=3, padding=1, groups=depthwise, bias=false)
				pw = conv(dw, out=128, kernel=1, bias=false)
				output pw
				"""));
	}

	@Test
	void theHardwareChecksDoNotRunWhileTyping() {
		assertEquals(List.of(), fixture.issues(network("target PYNQ-Z2 budget dsp 1 %",
				"60 % pot 4, 35 % fixed 4, 5 % fixed 8")));
	}
}
