package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

	/**
	 * Quantizes NAME-weights.bin under each scheme of argv and assigns rows as ILMPQLinear does, with the split
	 * of argv (kind:bits:rows,...; the last scheme takes the sensitive rows); prints the assignment, the figures it
	 * kept and each row's weight error under its scheme (what export writes to rows.txt).
	 */
	private static final String DRIVER = """
			import sys

			import numpy as np
			import torch

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant as q  # noqa: E402

			name, rows, fan_in = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
			weights = torch.from_numpy(np.fromfile(name + "-weights.bin", dtype="<f4").reshape(rows, fan_in).copy())
			inputs = torch.from_numpy(np.fromfile(name + "-inputs.bin", dtype="<f8").reshape(-1, fan_in).copy())
			t = weights / q.row_alpha(weights)
			for kind, bits in (s.split(":") for s in sys.argv[5].split(",")):
			    codes = q.Scheme(kind, int(bits)).codes(t)
			    print("codes", kind, bits, " ".join(str(int(c)) for c in codes.flatten().tolist()))
			split = [(kind, int(bits), int(count)) for kind, bits, count in (s.split(":") for s in sys.argv[6].split(","))]
			for measure in ("weight-error", "output-error"):
			    spec = {"name": "fc", "split": split, "sensitive": 2, "variance_order": [0, 1], "probe": ("fixed", 4),
			            "input_bits": 4, "input_signed": False}
			    layer = q.ILMPQLinear(spec, fan_in, rows)
			    with torch.no_grad():
			        layer.weight.copy_(weights)
			    layer.assign_rows(inputs, measure)
			    print("assignment", measure, " ".join(str(int(s)) for s in layer.row_scheme.tolist()))
			    codes, steps, _ = q.quantize_rows(layer.weight, layer.schemes, layer.row_scheme)
			    print("rows", measure, " ".join(str(int(c)) for c in codes.flatten().tolist()))
			    print("steps", measure, " ".join(float(s).hex() for s in steps.flatten().tolist()))
			    for name, values in (("sensitivity", layer.assigned_sensitivity.tolist()),
			                         ("variance", layer.assigned_variance.tolist()), ("errors", layer.row_errors())):
			        print(name, measure, " ".join(float(v).hex() for v in values))
			""";

	private static final RowPlan PLAN = plan(20, 10, 10);

	/** 32 rows of a 512-channel 3x3 convolution's fan-in, each odd row a permutation of the row before it. */
	private static final int PERMUTED_ROWS = 32;
	private static final int PERMUTED_FAN_IN = 4608;
	private static final RowPlan PERMUTED_PLAN = plan(16, 10, 6);

	private static RowPlan plan(long pot, long fixed4, long fixed8) {
		return new RowPlan(List.of(Scheme.pot(4), Scheme.fixed(4), Scheme.fixed(8)), List.of(pot, fixed4, fixed8),
				OptionalInt.of(2), List.of(0, 1), Scheme.fixed(4));
	}

	@Inject
	private SpecFixture fixture;

	private float[][] weights;
	private double[][] inputs;
	private float[][] permuted;
	private final Map<String, String> python = new HashMap<>();
	private final Map<String, String> permutedPython = new HashMap<>();

	@BeforeAll
	void runPython(@TempDir Path directory) throws IOException {
		weights = weights();
		inputs = inputs();
		permuted = permutedCopies();
		Path quant = GeneratedScript.write(fixture, PyTorchScriptGeneratorTest.RESNET_BLOCK, "block.ilmpq", directory);
		Path driver = SystemPython.script(directory, "driver.py", DRIVER);
		List<String> schemes = new ArrayList<>();
		for (SchemeKind kind : SchemeKind.values()) {
			for (int bits = kind.minBits(); bits <= kind.maxBits(); bits++) {
				schemes.add(kind.keyword() + ":" + bits);
			}
		}
		write(directory, "random", weights, inputs);
		read(python, SystemPython.run(directory, 120, driver.toString(), quant.toString(), "random",
				Integer.toString(ROWS), Integer.toString(FAN_IN), String.join(",", schemes), "pot:4:20,fixed:4:10,fixed:8:10"));
		write(directory, "permuted", permuted, new double[1][PERMUTED_FAN_IN]);
		read(permutedPython, SystemPython.run(directory, 300, driver.toString(), quant.toString(), "permuted",
				Integer.toString(PERMUTED_ROWS), Integer.toString(PERMUTED_FAN_IN), "fixed:4", "pot:4:16,fixed:4:10,fixed:8:6"));
	}

	private static void write(Path directory, String name, float[][] weights, double[][] inputs) throws IOException {
		ByteBuffer w = ByteBuffer.allocate(weights.length * weights[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
		Arrays.stream(weights).forEach(row -> { for (float v : row) w.putFloat(v); });
		Files.write(directory.resolve(name + "-weights.bin"), w.array());
		ByteBuffer x = ByteBuffer.allocate(inputs.length * inputs[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
		Arrays.stream(inputs).forEach(row -> { for (double v : row) x.putDouble(v); });
		Files.write(directory.resolve(name + "-inputs.bin"), x.array());
	}

	/** "codes KIND BITS ..." and "assignment|rows|steps MEASURE ...", keyed by all but the values. */
	private static void read(Map<String, String> into, String output) {
		for (String line : output.split("\n")) {
			String[] words = line.split(" ", line.startsWith("codes ") ? 4 : 3);
			if (words.length >= 3) {
				into.put(String.join(" ", Arrays.copyOf(words, words.length - 1)), words[words.length - 1]);
			}
		}
	}

	/** Pairs of rows that are permutations of each other: their variance and weight error tie exactly. */
	private static float[][] permutedCopies() {
		Random random = new Random(4608);
		float[][] w = new float[PERMUTED_ROWS][PERMUTED_FAN_IN];
		for (int r = 0; r < PERMUTED_ROWS; r += 2) {
			for (int k = 0; k < PERMUTED_FAN_IN; k++) {
				w[r][k] = (float) (random.nextGaussian() * (1 + r % 3));
			}
			List<Float> shuffled = new ArrayList<>();
			for (float v : w[r]) {
				shuffled.add(v);
			}
			java.util.Collections.shuffle(shuffled, random);
			for (int k = 0; k < PERMUTED_FAN_IN; k++) {
				w[r + 1][k] = shuffled.get(k);
			}
		}
		return w;
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
		assertNotEquals(python.get("assignment weight-error"), python.get("assignment output-error"));
	}

	@Test
	void rowsThatArePermutationsOfEachOtherTieExactlyInBothAndTheLowerRowWins() {
		int[] java = RowAssignment.assign(RowAssignment.weightError(permuted, Scheme.fixed(4)),
				RowAssignment.normalizedVariance(permuted), PERMUTED_PLAN);
		assertArrayEquals(java, ints(permutedPython.get("assignment weight-error")));
		double[] variance = RowAssignment.normalizedVariance(permuted);
		for (int r = 0; r < PERMUTED_ROWS; r += 2) {
			assertEquals(variance[r], variance[r + 1], "rows " + r + " and " + (r + 1));
		}
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
				assertEquals(java.steps()[r], (float) Double.parseDouble(steps[r]), measure + " row " + r);
			}
		}
	}

	/** The figures the assignment keeps for rows.txt are the ones Java's RowAssignment ranks by. */
	@Test
	void theKeptSensitivityAndVarianceAreTheJavaOnes() {
		double[] variance = RowAssignment.normalizedVariance(weights);
		assertArrayEquals(variance, doubles(python.get("variance weight-error")));
		assertArrayEquals(variance, doubles(python.get("variance output-error")));
		assertArrayEquals(RowAssignment.weightError(weights, Scheme.fixed(4)),
				doubles(python.get("sensitivity weight-error")));
		double[] outputError = RowAssignment.outputError(weights, Scheme.fixed(4), inputs);
		double[] kept = doubles(python.get("sensitivity output-error"));
		for (int r = 0; r < ROWS; r++) {
			// summed in another order by PyTorch's kernels (RowAssignment.outputError)
			assertEquals(outputError[r], kept[r], outputError[r] * 1e-9, "row " + r);
		}
	}

	@Test
	void eachRowsErrorUnderItsSchemeIsTheJavaWeightError() {
		for (String measure : List.of("weight-error", "output-error")) {
			int[] assignment = ints(python.get("assignment " + measure));
			double[] errors = doubles(python.get("errors " + measure));
			for (int r = 0; r < ROWS; r++) {
				Scheme scheme = PLAN.schemes().get(assignment[r]);
				assertEquals(RowAssignment.weightError(new float[][] { weights[r] }, scheme)[0], errors[r],
						measure + " row " + r + " " + scheme);
			}
		}
	}

	private static double[] doubles(String text) {
		return Arrays.stream(text.split(" ")).mapToDouble(Double::parseDouble).toArray();
	}

	private static int[] ints(String text) {
		return Arrays.stream(text.split(" ")).mapToInt(Integer::parseInt).toArray();
	}
}
