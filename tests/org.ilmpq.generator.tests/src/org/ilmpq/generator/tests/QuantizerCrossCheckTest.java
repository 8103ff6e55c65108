package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.quant.RowAssignment;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.core.quant.RowQuantizer;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.WeightQuantizer;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The generated script's quantizers and row assignment against the Java reference (org.ilmpq.core.quant), on
 * seeded random weights and on the values where a quantizer decides (level midpoints, rounding ties, zeros, an
 * all-zero row): the same code for every weight under every scheme and width, the same scheme for every row.
 * Python runs under Debian's python3-torch.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizerCrossCheckTest {

	private static final int ROWS = 40;
	private static final int FAN_IN = 72;
	private static final int SAMPLES = 16;

	/** Quantizes weights.bin under each scheme of argv and assigns rows as ILMPQLinear does. */
	private static final String DRIVER = """
			import sys

			import numpy as np
			import torch

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant as q  # noqa: E402

			rows, fan_in = int(sys.argv[2]), int(sys.argv[3])
			weights = torch.from_numpy(np.fromfile("weights.bin", dtype="<f4").reshape(rows, fan_in).copy())
			inputs = torch.from_numpy(np.fromfile("inputs.bin", dtype="<f8").reshape(-1, fan_in).copy())
			t = weights / q.row_alpha(weights)
			for kind, bits in (s.split(":") for s in sys.argv[4].split(",")):
			    codes = q.Scheme(kind, int(bits)).codes(t)
			    print("codes", kind, bits, " ".join(str(int(c)) for c in codes.flatten().tolist()))
			for measure in ("weight-error", "output-error"):
			    spec = {"name": "fc", "split": [("pot", 4, 20), ("fixed", 4, 10), ("fixed", 8, 10)], "sensitive": 2,
			            "variance_order": [0, 1], "probe": ("fixed", 4), "input_bits": 4, "input_signed": False}
			    layer = q.ILMPQLinear(spec, fan_in, rows)
			    with torch.no_grad():
			        layer.weight.copy_(weights)
			    layer.assign_rows(inputs, measure)
			    print("assignment", measure, " ".join(str(int(s)) for s in layer.row_scheme.tolist()))
			    codes, steps, _ = q.quantize_rows(layer.weight, layer.schemes, layer.row_scheme)
			    print("rows", measure, " ".join(str(int(c)) for c in codes.flatten().tolist()))
			    print("steps", measure, " ".join(float(s).hex() for s in steps.flatten().tolist()))
			""";

	private static final RowPlan PLAN = new RowPlan(List.of(Scheme.pot(4), Scheme.fixed(4), Scheme.fixed(8)),
			List.of(20L, 10L, 10L), OptionalInt.of(2), List.of(0, 1), Scheme.fixed(4));

	@Inject
	private SpecFixture fixture;

	private float[][] weights;
	private double[][] inputs;
	private final Map<String, String> python = new HashMap<>();

	@BeforeAll
	void runPython(@TempDir Path directory) throws IOException {
		weights = weights();
		inputs = inputs();
		Path quant = GeneratedScript.write(fixture, PyTorchScriptGeneratorTest.RESNET_BLOCK, "block.ilmpq", directory);
		ByteBuffer w = ByteBuffer.allocate(ROWS * FAN_IN * 4).order(ByteOrder.LITTLE_ENDIAN);
		Arrays.stream(weights).forEach(row -> { for (float v : row) w.putFloat(v); });
		Files.write(directory.resolve("weights.bin"), w.array());
		ByteBuffer x = ByteBuffer.allocate(SAMPLES * FAN_IN * 8).order(ByteOrder.LITTLE_ENDIAN);
		Arrays.stream(inputs).forEach(row -> { for (double v : row) x.putDouble(v); });
		Files.write(directory.resolve("inputs.bin"), x.array());
		List<String> schemes = new ArrayList<>();
		for (SchemeKind kind : SchemeKind.values()) {
			for (int bits = kind.minBits(); bits <= kind.maxBits(); bits++) {
				schemes.add(kind.keyword() + ":" + bits);
			}
		}
		String output = SystemPython.run(directory, 120, SystemPython.script(directory, "driver.py", DRIVER).toString(),
				quant.toString(), Integer.toString(ROWS), Integer.toString(FAN_IN), String.join(",", schemes));
		for (String line : output.split("\n")) {
			// "codes KIND BITS ..." and "assignment|rows|steps MEASURE ..."
			String[] words = line.split(" ", line.startsWith("codes ") ? 4 : 3);
			if (words.length >= 3) {
				python.put(String.join(" ", Arrays.copyOf(words, words.length - 1)), words[words.length - 1]);
			}
		}
	}

	/**
	 * Rows of different scale and shape (uniform, Gaussian, heavy-tailed, sparse), an all-zero row, and rows that
	 * hold exactly the values where a grid decides: the midpoints of the power-of-two levels, fixed-point ties.
	 */
	private static float[][] weights() {
		Random random = new Random(20211101);
		float[][] w = new float[ROWS][FAN_IN];
		for (int r = 0; r < ROWS; r++) {
			// rows of one order of magnitude, so that neither measure is decided by the scale alone, and tiny ones
			float scale = (float) ((0.5 + random.nextDouble()) * (r % 5 == 4 ? 1e-3 : 1));
			for (int k = 0; k < FAN_IN; k++) {
				double v = switch (r % 4) {
				case 0 -> random.nextDouble() * 2 - 1;
				case 1 -> random.nextGaussian();
				case 2 -> random.nextGaussian() * Math.abs(random.nextGaussian());
				default -> random.nextInt(4) == 0 ? random.nextGaussian() : 0;
				};
				w[r][k] = (float) (v * scale);
			}
		}
		Arrays.fill(w[ROWS - 1], 0f);
		float[] decisive = { 1f, 0.75f, -0.375f, 0.1875f, 3f / 128, 1f / 128, -1f / 64, 0.5f, -2.5f / 7, 0.5f / 127,
				0.625f, -0.3125f, 1.5f / 7, 9f / 16, 5f / 16 };
		for (int r = ROWS - 4; r < ROWS - 1; r++) {
			for (int k = 0; k < FAN_IN; k++) {
				w[r][k] = decisive[k % decisive.length] * (k % 2 == 0 ? 1 : -1) * (r - ROWS + 5);
			}
		}
		return w;
	}

	/** ReLU outputs on the first third of the inputs, zero on the rest: the output error sees a third of a row. */
	private static double[][] inputs() {
		Random random = new Random(7);
		double[][] x = new double[SAMPLES][FAN_IN];
		for (double[] sample : x) {
			for (int k = 0; k < FAN_IN / 3; k++) {
				sample[k] = Math.max(0, random.nextGaussian());
			}
		}
		return x;
	}

	@Test
	void everySchemeAndWidthGivesTheJavaCodes() {
		for (SchemeKind kind : SchemeKind.values()) {
			for (int bits = kind.minBits(); bits <= kind.maxBits(); bits++) {
				WeightQuantizer quantizer = WeightQuantizer.of(new Scheme(kind, bits));
				StringBuilder java = new StringBuilder();
				for (float[] row : weights) {
					float alpha = RowQuantizer.alpha(row);
					for (float w : row) {
						java.append(java.isEmpty() ? "" : " ").append(quantizer.code(w / alpha));
					}
				}
				assertEquals(java.toString(), python.get("codes " + kind.keyword() + " " + bits), quantizer.toString());
			}
		}
	}

	@Test
	void theRowAssignmentByWeightErrorIsTheJavaOne() {
		int[] java = RowAssignment.assign(RowAssignment.weightError(weights, Scheme.fixed(4)),
				RowAssignment.normalizedVariance(weights), PLAN);
		assertArrayEquals(java, ints(python.get("assignment weight-error")));
	}

	@Test
	void theRowAssignmentByOutputErrorIsTheJavaOne() {
		int[] java = RowAssignment.assign(RowAssignment.outputError(weights, Scheme.fixed(4), inputs),
				RowAssignment.normalizedVariance(weights), PLAN);
		assertArrayEquals(java, ints(python.get("assignment output-error")));
	}

	@Test
	void theMeasuresDisagreeOnTheseWeightsSoBothAreReallyChecked() {
		assertEquals(false, python.get("assignment weight-error").equals(python.get("assignment output-error")));
	}

	@Test
	void eachAssignedRowHasTheJavaCodesAndStep() {
		for (String measure : List.of("weight-error", "output-error")) {
			int[] assignment = ints(python.get("assignment " + measure));
			RowQuantizer.QuantizedRows java = RowQuantizer.quantize(weights, PLAN.schemes(), assignment);
			assertArrayEquals(Arrays.stream(java.codes()).flatMapToInt(Arrays::stream).toArray(),
					ints(python.get("rows " + measure)), measure);
			String[] steps = python.get("steps " + measure).split(" ");
			for (int r = 0; r < ROWS; r++) {
				assertEquals(java.steps()[r], (float) Double.parseDouble(hex(steps[r])), measure + " row " + r);
			}
		}
	}

	private static int[] ints(String text) {
		return Arrays.stream(text.split(" ")).mapToInt(Integer::parseInt).toArray();
	}

	/** Python's float.hex() (0x1.8p-3) as Java's Double.parseDouble reads it (0x1.8p-3 too, but no "0x0p+0"). */
	private static String hex(String python) {
		return python.replace("0x0.0p+0", "0x0p0");
	}
}
