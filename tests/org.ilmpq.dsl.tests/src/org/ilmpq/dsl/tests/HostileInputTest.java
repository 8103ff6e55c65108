package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.parser.NestingLimitedParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/**
 * Specs a user can write by mistake that once crashed a check, hung it or overflowed a stack: each is one clear
 * diagnostic now, found in bounded time (the timeouts are hang guards, far above the milliseconds these take).
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class HostileInputTest {

	/** Far above what any of these takes: a check that runs into it hangs. */
	private static final Duration HANG = Duration.ofSeconds(30);

	@Inject
	private SpecFixture fixture;

	private static String targeted(String quantization) {
		return """
				network n
				target PYNQ-Z2
				quantization {
				""" + quantization + """
				}
				input x: 3 x 8 x 8
				a = conv(x, out=16, kernel=3)
				output a
				""";
	}

	private List<String> onSave(String spec) {
		return assertTimeoutPreemptively(HANG, () -> fixture.issuesOnSave(spec));
	}

	@Test
	void activationsOfZeroBitsAreOneErrorAndTheHardwareIsNotCosted() {
		assertEquals(List.of("error 5:23 bit-width: fixed takes 2 to 16 bits, not 0"),
				onSave(targeted("    split fixed 8\n    activations fixed 0\n")));
	}

	@Test
	void aBudgetBeyondAnyNumberIsOneError() {
		String spec = targeted("    split fixed 8\n").replace("target PYNQ-Z2",
				"target PYNQ-Z2 budget dsp 999999999999999999999 %");
		assertEquals(List.of("error 2:27 budget-range: a budget is a share of the device above 0 % and at most 100 %, "
				+ "not 999999999999999999999 %"), onSave(spec));
	}

	@Test
	void aPowerOfTwoOfTwentyBitsIsOneErrorAndNoShifterIsCosted() {
		// the shifter of a 20-bit power of two would shift by 2^19 - 2: its cost once took exponential time
		assertEquals(List.of("error 4:15 bit-width: pot takes 2 to 5 bits, not 20 (a sign and an exponent: at 6 bits it "
				+ "would shift by up to 30)"), onSave(targeted("    split pot 20\n")));
	}

	@Test
	void aClockBeyondAnyFpgaIsOneError() {
		String spec = targeted("    split fixed 8\n").replace("target PYNQ-Z2", "target PYNQ-Z2 clock 99999999999 MHz");
		assertEquals(List.of("error 2:22 clock-range: a clock of 99999999999 MHz is beyond any FPGA: the clock is at "
				+ "most 100000 MHz"), onSave(spec));
	}

	@Test
	void layersOfTheMostChannelsAreOverBudgetNotAnOverflow() {
		// ResNet-18 whose layer3 has 2^24 channels, the most a layer may have (found by the fuzzer): its DRAM time
		// once overflowed bytes x cycles
		String spec = SpecFixture.read("examples/resnet18-xc7z045.ilmpq")
				.replace("layer3_0 = DownsampleBlock(layer2_1, channels=256)",
						"layer3_0 = DownsampleBlock(layer2_1, channels=16777216)")
				.replace("layer3_1 = BasicBlock(layer3_0, channels=256)",
						"layer3_1 = BasicBlock(layer3_0, channels=16777216)");
		List<String> issues = onSave(spec);
		assertEquals(1, issues.size(), issues.toString());
		assertTrue(issues.get(0).startsWith("error 7:8 over-budget: no accelerator for this network fits ZC706"),
				issues.get(0));
	}

	@Test
	void parenthesesNestedPastTheLimitAreOneSyntaxErrorAtTheFirstTooDeep() {
		int depth = 2_000;
		String spec = SpecFixture.network("input x: 3 x 8 x 8\na = conv(x, out=" + "(".repeat(depth) + "4"
				+ ")".repeat(depth) + ", kernel=3)\noutput a\n");
		// the call's parenthesis is the first level: the too deep one is the 64th of the expression's
		int column = "a = conv(x, out=".length() + NestingLimitedParser.MAX_NESTING;
		assertEquals(List.of("error 6:" + column + " nesting: parentheses nest more than "
				+ NestingLimitedParser.MAX_NESTING + " deep"), onSave(spec));
	}

	@Test
	void parenthesesAtTheLimitAreFine() {
		int depth = NestingLimitedParser.MAX_NESTING - 1; // and the call's
		String spec = SpecFixture.network("input x: 3 x 8 x 8\na = conv(x, out=" + "(".repeat(depth) + "4"
				+ ")".repeat(depth) + ", kernel=3)\noutput a\n");
		assertEquals(List.of(), onSave(spec));
		assertEquals(4, fixture.analyze(spec).network().shapeOf("a").orElseThrow().channels());
	}

	@Test
	void aSumOfAThousandOperatorsEvaluates() {
		String spec = SpecFixture.network("input x: 3 x 8 x 8\na = conv(x, out=4"
				+ " + 0".repeat(NestingLimitedParser.MAX_OPERATORS) + ", kernel=3)\noutput a\n");
		assertEquals(List.of(), onSave(spec));
		assertEquals(4, fixture.analyze(spec).network().shapeOf("a").orElseThrow().channels());
	}

	@Test
	void aSumOfOneHundredThousandTermsIsOneSyntaxErrorAtTheOperatorPastTheLimit() {
		// a tree 100,000 levels deep: its evaluation once overflowed the stack at 8,000, Xtext's node model at more
		String spec = SpecFixture.network("input x: 3 x 8 x 8\na = conv(x, out=4" + " + 0".repeat(100_000)
				+ ", kernel=3)\noutput a\n");
		int column = "a = conv(x, out=4".length() + 4 * NestingLimitedParser.MAX_OPERATORS + 2;
		assertEquals(List.of("error 6:" + column + " nesting: an expression has more than 1,000 operators"),
				onSave(spec));
	}

	@Test
	void blocksThatDoubleTwentyTimesAreRefusedBeforeExpanding() {
		StringBuilder spec = new StringBuilder(SpecFixture.network("input x: 3 x 8 x 8\n"));
		spec.append("block b0(tensor t) {\n    r = relu(t)\n    output r\n}\n");
		for (int i = 1; i <= 20; i++) {
			spec.append("block b" + i + "(tensor t) {\n    a = b" + (i - 1) + "(t)\n    c = b" + (i - 1)
					+ "(a)\n    output c\n}\n");
		}
		spec.append("top = b20(x)\noutput top\n");
		assertEquals(List.of("error 110:1 expansion-limit: block instance 'top' would make the network more than 50,000 "
				+ "layers, the most a network may have (block b20 expands to more than that: b20 calls b19 2 times, "
				+ "b19 calls b18 2 times, b18 calls b17 2 times, b17 calls b16 2 times, ...)"), onSave(spec.toString()));
	}

	@Test
	void aNameOfThirtyThousandCharactersGetsNoSuggestionAndNoHang() {
		String name = "n".repeat(30_000);
		StringBuilder body = new StringBuilder("input x: 3 x 8 x 8\n" + name + " = relu(x)\n");
		for (int i = 0; i < 20; i++) {
			body.append("r" + i + " = relu(" + name.substring(1) + "m)\n");
		}
		body.append("output " + name + "\n");
		List<String> errors = assertTimeoutPreemptively(HANG, () -> fixture.errors(SpecFixture.network(body.toString())));
		assertEquals(20, errors.size());
		// the name is quoted cut short, with no "did you mean"
		assertTrue(errors.get(0).startsWith("error 7:11 linking: unknown tensor 'nnnn"), errors.get(0));
		assertTrue(errors.get(0).contains("[... "), errors.get(0));
		assertTrue(errors.get(0).length() < 1_100, errors.get(0));
	}

	@Test
	void aByteOrderMarkAtTheStartIsBlank() {
		assertEquals(List.of(), onSave("\uFEFF" + SpecFixture.network("input x: 3 x 8 x 8\noutput x\n")));
	}

	@Test
	void lineCommentsEndAtALoneCarriageReturn() {
		String spec = SpecFixture.network("// the input\ninput x: 3 x 8 x 8 // an image\noutput x\n").replace('\n', '\r');
		assertEquals(List.of(), onSave(spec));
	}

	@Test
	void controlCharactersInTheSpecAreEscapedInMessages() {
		List<String> errors = fixture.errors(SpecFixture.network("input x: 3 x 8 x 8\na = relu(x\u0000\u2028)\noutput a\n"));
		assertTrue(errors.stream().anyMatch(e -> e.contains("'\\u0000'")), errors.toString());
		assertTrue(errors.stream().noneMatch(e -> e.chars().anyMatch(c -> c < 0x20 || c == 0x2028)), errors.toString());
	}
}
