package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The generated script's export derives the accelerator's integers as the Java definition does
 * (org.ilmpq.core.integer.IntegerArithmetic): row multipliers and shifts, biases, operand multipliers and pool
 * reciprocals, for seeded reals over their whole range and the values where the rounding decides. Python runs under
 * Debian's python3.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class IntegerArithmeticCrossCheckTest {

	/** Reads "kind value..." lines of hexadecimal floats and prints what ilmpq_quant derives from each. */
	private static final String DRIVER = """
			import sys

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant as q  # noqa: E402

			for line in open(sys.argv[2]):
			    kind, *values = line.split()
			    if kind == "row":
			        print("%d %d" % q.row_multiplier(*(float.fromhex(v) for v in values)))
			    elif kind == "bias":
			        print("%d" % q.bias_of(*(float.fromhex(v) for v in values))[0])
			    elif kind == "operand":
			        print("%d" % q.operand_multiplier(*(float.fromhex(v) for v in values)))
			    else:
			        print("%d %d" % q.reciprocal(int(values[0])))
			""";

	@Inject
	private SpecFixture fixture;

	@Test
	void theScriptDerivesTheJavaIntegersFromTheSameReals(@TempDir Path directory) throws IOException {
		Random random = new Random(2111_00155L);
		List<String> lines = new ArrayList<>();
		List<String> java = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			// steps over many orders of magnitude, as trained layers have them
			double weightStep = Math.scalb(1 + random.nextDouble(), -random.nextInt(12));
			double inputStep = Math.scalb(1 + random.nextDouble(), -random.nextInt(10));
			double outputStep = Math.scalb(1 + random.nextDouble(), -random.nextInt(8) + 2);
			lines.add("row " + hex(weightStep) + " " + hex(inputStep) + " " + hex(outputStep));
			IntegerArithmetic.Multiplier m = IntegerArithmetic.rowMultiplier(weightStep, inputStep, outputStep);
			java.add(m.mantissa() + " " + m.shift());
			double bias = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(12));
			lines.add("bias " + hex(bias) + " " + hex(outputStep));
			java.add(Long.toString(IntegerArithmetic.bias(bias, outputStep)));
			double operandStep = outputStep * Math.scalb(1 + random.nextDouble(), random.nextInt(10) - 6);
			lines.add("operand " + hex(operandStep) + " " + hex(outputStep));
			java.add(Integer.toString(IntegerArithmetic.operandMultiplier(operandStep, outputStep)));
		}
		// ties of rounding: factors of exactly half a unit at the shift found
		for (double factor : new double[] { 98_303.5, 131_071.5, 65_536.5, 0.5, 1.5 }) {
			lines.add("row " + hex(factor / 65_536) + " " + hex(1.0) + " " + hex(1.0));
			IntegerArithmetic.Multiplier m = IntegerArithmetic.Multiplier.of(factor);
			java.add(m.mantissa() + " " + m.shift());
		}
		for (long count : new long[] { 1, 2, 3, 4, 9, 25, 49, 196, 3136, 12_544 }) {
			lines.add("pool " + count);
			IntegerArithmetic.Reciprocal r = IntegerArithmetic.Reciprocal.of(count);
			java.add(r.mantissa() + " " + r.shift());
		}
		Path quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
		Path values = Files.write(directory.resolve("values.txt"), lines);
		String python = SystemPython.run(directory, 120, SystemPython.script(directory, "driver.py", DRIVER).toString(),
				quant.toString(), values.toString());
		assertEquals(String.join("\n", java) + "\n", python);
	}

	private static String hex(double value) {
		// Java writes 0x1.0p0; Python's float.fromhex reads it too
		return Double.toHexString(value);
	}
}
