package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.integer.IntegerNetwork.Production;
import org.ilmpq.core.model.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/**
 * A spec as the integer accelerator runs it (org.ilmpq.core.integer.IntegerNetwork): which layers become steps,
 * which tensors are stored as codes, in which format, and what the program cannot run.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class IntegerNetworkTest {

	private static final CodeFormat UNSIGNED_4 = new CodeFormat(4, false);
	private static final CodeFormat SIGNED_4 = new CodeFormat(4, true);
	private static final CodeFormat SIGNED_8 = new CodeFormat(8, true);

	@Inject
	private SpecFixture fixture;

	private IntegerNetwork program(String body) {
		return IntegerNetwork.of(fixture.analyze("""
				network n
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				    activations fixed 4
				}
				""" + body).network(), 4);
	}

	private static List<String> steps(IntegerNetwork program) {
		return program.steps().stream().map(step -> step.name() + " -> " + step.output()).toList();
	}

	@Test
	void aConvWithBatchNormAndReluIsOneStepStoringUnsignedCodes() {
		IntegerNetwork program = program("""
				input image: 3 x 8 x 8
				c = conv(image, out=16, kernel=3, padding=1)
				b = batchnorm(c)
				r = relu(b)
				f = conv(r, out=10, kernel=1)
				output f
				""");
		assertEquals(List.of("c -> r", "f -> f"), steps(program));
		IntegerNetwork.WeightStep c = program.weightSteps().get(0);
		assertEquals(List.of(Optional.of("b"), List.of("b", "r"), Optional.of(Operation.Activation.Function.RELU)),
				List.of(c.batchNorm(), c.fused(), c.activation()));
		assertEquals(List.of(SIGNED_8, UNSIGNED_4, SIGNED_8), List.of(program.format("image"), program.format("r"),
				program.format("f")));
	}

	@Test
	void aResidualAddIsFusedWhenItsOtherOperandIsStoredAndTheTensorBeforeItIsSigned() {
		// the downsample block of a ResNet: the shortcut runs first (it needs r alone), so its result is stored,
		// signed (no ReLU), and c2's output stage adds it
		IntegerNetwork program = program("""
				input x: 8 x 8 x 8
				r = relu(x)
				c1 = conv(r, out=16, kernel=3, stride=2, padding=1)
				r1 = relu(c1)
				c2 = conv(r1, out=16, kernel=3, padding=1)
				b2 = batchnorm(c2)
				down = conv(r, out=16, kernel=1, stride=2)
				bd = batchnorm(down)
				sum = add(b2, bd)
				out = relu(sum)
				p = globalavgpool(out)
				output p
				""");
		assertEquals(List.of("r -> r", "c1 -> r1", "down -> bd", "c2 -> out", "p -> p"), steps(program));
		IntegerNetwork.WeightStep c2 = program.weightSteps().get(2);
		assertEquals(Optional.of("bd"), c2.residual());
		assertEquals(List.of("b2", "sum", "out"), c2.fused());
		assertEquals(SIGNED_4, program.format("bd"));
		assertEquals(UNSIGNED_4, program.format("r"));
	}

	@Test
	void poolsShareTheirInputsGroupAndConcatsTheirOperands() {
		IntegerNetwork program = program("""
				input x: 8 x 8 x 8
				a = conv(x, out=8, kernel=3, padding=1)
				ra = relu(a)
				m = maxpool(ra, kernel=2)
				v = avgpool(ra, kernel=2)
				b = conv(x, out=8, kernel=3, stride=2, padding=1)
				j = concat(m, v, b)
				f = conv(j, out=4, kernel=1)
				output f
				""");
		assertEquals(List.of("ra", "ra", "ra", "ra"), List.of(program.tensor("ra").group(),
				program.tensor("m").group(), program.tensor("v").group(), program.tensor("b").group()));
		// b is not behind a ReLU: its group, the concat's, is signed
		assertEquals(List.of(SIGNED_4, SIGNED_4), List.of(program.format("m"), program.format("j")));
		assertEquals(List.of(Production.COPIED, Production.ROUNDED, Production.REQUANTIZED, Production.COPIED),
				List.of(program.tensor("m").production(), program.tensor("v").production(),
						program.tensor("b").production(), program.tensor("j").production()));
	}

	@Test
	void anAddOfThreeAndAReluOfTheirOwnRequantize() {
		IntegerNetwork program = program("""
				input x: 8 x 4 x 4
				a = conv(x, out=8, kernel=1)
				b = conv(x, out=8, kernel=1)
				s = add(a, b, x)
				r = relu(s)
				output r
				""");
		assertEquals(List.of("a -> a", "b -> b", "s -> s", "r -> r"), steps(program));
		assertEquals(List.of(SIGNED_4, new CodeFormat(8, false)), List.of(program.format("s"), program.format("r")));
	}

	@Test
	void aFlattenIsTheTensorItFlattens() {
		IntegerNetwork program = program("""
				input x: 16 x 3 x 3
				c = conv(x, out=16, kernel=3, padding=1)
				r = relu(c)
				f = flatten(r)
				l = linear(f, out=10)
				output l
				""");
		assertEquals("r", program.storedAs("f"));
		assertEquals("r", program.weightSteps().get(1).input());
		assertEquals(144, program.weightSteps().get(1).inputShape().channels());
	}

	@Test
	void whatAnIntegerAcceleratorCannotRunIsNamed() {
		// no quantization section: no layer has a split
		IntegerNetwork program = IntegerNetwork.of(fixture.analyze("""
				network n
				input x: 8 x 6 x 6
				c = conv(x, out=8, kernel=3, padding=1)
				s = add(c, x)
				bn = batchnorm(s)
				output bn
				""").network(), 4);
		assertEquals(List.of("layer c has no split: an integer accelerator runs quantized layers only",
				"batchnorm bn does not alone follow a conv or linear layer, so it cannot be folded into one"),
				program.limitations());
	}

	@Test
	void layersThatDoNotReachTheOutputAreLeftOut() {
		IntegerNetwork program = program("""
				input x: 8 x 6 x 6
				c = conv(x, out=8, kernel=3, padding=1)
				unused = conv(x, out=8, kernel=1)
				output c
				""");
		assertEquals(List.of("c -> c"), steps(program));
	}
}
