package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.dsl.IlmpqStandaloneSetup;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Spec;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.inject.Injector;

/**
 * {@code ilmpq import}, run in-process on models that Debian's torch and torchvision export
 * ({@code python/export_models.py}): torchvision's ResNet-18, ResNet-50, MobileNetV2 and VGG-16 become specs of the
 * hand-written examples' MACs and parameters; a network of every operator the importer maps imports at opset 13 and
 * 9 alike; the float weights, loaded by the generated script, compute what PyTorch computed; what cannot be
 * imported is refused at its node and writes nothing.
 */
class ImportCommandTest {

	private static final String PYTHON = System.getProperty("ilmpq.python", "/usr/bin/python3");

	@TempDir
	static Path models;

	@TempDir
	Path dir;

	private static Injector injector;

	@BeforeAll
	static void exportModels() throws IOException, InterruptedException {
		python(repository().resolve("tests/org.ilmpq.cli.tests/python/export_models.py").toString(),
				models.toString());
		injector = new IlmpqStandaloneSetup().createInjectorAndDoEMFRegistration();
	}

	private static Path repository() {
		return Path.of(System.getProperty("ilmpq.repository", "../..")).toAbsolutePath().normalize();
	}

	/** Runs Debian's python3 on {@code arguments}; returns its output, which must end in success. */
	private static String python(String... arguments) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(PYTHON);
		builder.command().addAll(List.of(arguments));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(process.waitFor(10, TimeUnit.MINUTES), output);
		assertEquals(0, process.exitValue(), output);
		return output;
	}

	private NetworkAnalysis analysis(Path spec) {
		XtextResourceSet resources = injector.getInstance(XtextResourceSet.class);
		Spec parsed = (Spec) resources.getResource(URI.createFileURI(spec.toAbsolutePath().toString()), true)
				.getContents().get(0);
		return injector.getInstance(SpecAnalyzer.class).analyze(parsed).network();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@ParameterizedTest
	@CsvSource({ "resnet18, resnet18-xc7z020, 2, 80", "resnet50, resnet50-xc7z045, 2, 80",
			"mobilenetv2, mobilenetv2-xc7z020, 1, 80", "vgg16, vgg16-xc7z045, 0, 60" })
	void aTorchvisionModelImportsAsTheHandWrittenExampleCountsIt(String model, String example, int blocks, int lines) {
		Path spec = dir.resolve(model + ".ilmpq");
		CommandLineRun run = ilmpq("import", models.resolve(model + ".onnx").toString(), "-o", spec.toString());
		assertEquals(0, run.exitCode(), run.err());
		NetworkAnalysis imported = analysis(spec);
		NetworkAnalysis handWritten = analysis(repository().resolve("examples/" + example + ".ilmpq"));
		assertEquals(List.of(), imported.problems());
		assertEquals(handWritten.totalMacs(), imported.totalMacs(), "MACs");
		assertEquals(handWritten.totalParameters(), imported.totalParameters(), "parameters");
		String text = read(spec);
		assertEquals(blocks, Pattern.compile("(?m)^block ").matcher(text).results().count(), text);
		assertTrue(text.lines().count() <= lines, text);
		assertTrue(run.err().startsWith("ilmpq: wrote " + spec + ": "), run.err());
	}

	@Test
	void theImportedResNet18WritesEachStructureOnceAsABlock() {
		Path spec = dir.resolve("resnet18.ilmpq");
		assertEquals(0, ilmpq("import", models.resolve("resnet18.onnx").toString(), "-o", spec.toString()).exitCode());
		String text = read(spec);
		assertTrue(text.contains("""
				// The structure of layer1.0, layer1.1, layer2.1, layer3.1 and layer4.1.
				block BlockA(tensor x, int channels) {
				    conv1 = conv(x, out=channels, kernel=3, padding=1, bias=false)
				    bn1 = batchnorm(conv1)
				    relu_ = relu(bn1)
				    conv2 = conv(relu_, out=channels, kernel=3, padding=1, bias=false)
				    bn2 = batchnorm(conv2)
				    sum = add(bn2, x)
				    relu_1 = relu(sum)
				    output relu_1
				}
				"""), text);
		assertTrue(text.contains("""
				layer1_0 = BlockA(maxpool_, channels=64)
				layer1_1 = BlockA(layer1_0, channels=64)
				layer2_0 = BlockB(layer1_1, channels=128)
				layer2_1 = BlockA(layer2_0, channels=128)
				"""), text);
		// where it came from, and where to change the target and split
		Matcher header = Pattern.compile("// resnet18, imported from resnet18.onnx by ilmpq import .*\n"
				+ "// ONNX IR version 7, opset 13, produced by pytorch [0-9.]+; SHA-256 [0-9a-f]{64}\n").matcher(text);
		assertTrue(header.lookingAt(), text);
		assertTrue(text.contains("target PYNQ-Z2 clock 100 MHz"), text);
		assertTrue(text.contains("    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8\n"), text);
	}

	@Test
	void everyOperatorTheImporterMapsImportsAlikeAtOpset13And9() {
		Path at13 = dir.resolve("every_op.ilmpq");
		Path at9 = dir.resolve("every_op_9.ilmpq");
		assertEquals(0, ilmpq("import", models.resolve("every_op.onnx").toString(), "-o", at13.toString()).exitCode());
		CommandLineRun run = ilmpq("import", models.resolve("every_op_9.onnx").toString(), "-o", at9.toString(),
				"--name", "every_op");
		assertEquals(0, run.exitCode(), run.err());
		String text = read(at13);
		// Conv (strides, dilation, groups, depthwise, bias), BatchNormalization, Relu, Clip as ReLU6, Add, Concat,
		// MaxPool (ceil_mode without effect), AveragePool with its padding (a Pad before it), GlobalAveragePool,
		// Flatten, Reshape (N, -1), Gemm, MatMul + Add, Dropout
		assertTrue(text.endsWith("""
				stem = conv(image, out=16, kernel=3, stride=2, padding=1, bias=false)
				stem_bn = batchnorm(stem)
				act = relu(stem_bn)
				grouped = conv(act, out=32, kernel=3, padding=2, dilation=2, groups=4)
				depthwise_ = conv(grouped, kernel=3, padding=1, groups=depthwise, bias=false)
				depthwise_bn = batchnorm(depthwise_)
				act_1 = relu6(depthwise_bn)
				branch = conv(act, out=32, kernel=1)
				sum = add(act_1, branch)
				cat = concat(sum, branch)
				pool = maxpool(cat, kernel=2)
				average = avgpool(pool, kernel=3, stride=1, padding=1)
				mix = conv(average, out=32, kernel=1, bias=false)
				act_2 = relu(mix)
				gap = globalavgpool(act_2)
				flat = flatten(gap)
				flat_2 = flatten(act_2)
				head = linear(flat_2, out=64)
				act_3 = relu(head)
				fc = linear(act_3, out=10)
				gap_head = linear(flat, out=10)
				sum_2 = add(fc, gap_head)
				output sum_2
				"""), text);
		// the same spec but for the header's file, opset and checksum
		assertEquals(text.lines().skip(2).toList(), read(at9).lines().skip(2).toList());
	}

	@ParameterizedTest
	@ValueSource(strings = { "resnet18", "every_op" })
	void theGeneratedScriptComputesWhatPyTorchComputedFromTheImportedWeights(String model)
			throws IOException, InterruptedException {
		Path spec = dir.resolve(model + ".ilmpq");
		Path weights = dir.resolve("weights");
		CommandLineRun run = ilmpq("import", models.resolve(model + ".onnx").toString(), "-o", spec.toString(),
				"--weights", weights.toString());
		assertEquals(0, run.exitCode(), run.err());
		Path checkpoint = weights.resolve(model + "-float.npz");
		assertTrue(run.err().contains("ilmpq: wrote " + checkpoint + ": the float weights"), run.err());
		Path generated = dir.resolve("generated");
		assertEquals(0, ilmpq("generate", spec.toString(), "-o", generated.toString()).exitCode());
		String output = python(repository().resolve("tests/org.ilmpq.cli.tests/python/float_outputs.py").toString(),
				generated.resolve("quant").toString(), model, checkpoint.toString(),
				models.resolve(model + ".onnx.input.npy").toString(), models.resolve(model + ".onnx.output.npy").toString());
		Matcher difference = Pattern.compile("largest absolute difference (\\S+)").matcher(output);
		assertTrue(difference.find(), output);
		assertTrue(Double.parseDouble(difference.group(1)) < 1e-4, output);
	}

	@Test
	void anUnsupportedOperatorIsAnErrorAtItsNodeAndNothingIsWritten() throws IOException {
		Path spec = CommandLineRun.write(dir, "mobilenetv3.ilmpq", "// written before\n");
		CommandLineRun run = ilmpq("import", models.resolve("mobilenetv3.onnx").toString(), "-o", spec.toString());
		assertEquals(1, run.exitCode(), run.err());
		String model = models.resolve("mobilenetv3.onnx").toString();
		assertTrue(run.err().startsWith("ilmpq: " + model + ": node '/features/features.0/features.0.2/HardSwish' "
				+ "(HardSwish, inputs: /features/features.0/features.0.1/BatchNormalization_output_0) is not supported: "
				+ "operator HardSwish.\n"
				+ "  path from the input: input 'input' -> Conv '/features/features.0/features.0.0/Conv' -> "
				+ "BatchNormalization '/features/features.0/features.0.1/BatchNormalization' -> "
				+ "HardSwish '/features/features.0/features.0.2/HardSwish'\n"
				+ "  supported: Conv, BatchNormalization, Relu, Clip (0, 6), MaxPool, AveragePool, "), run.err());
		assertTrue(run.err().endsWith("ilmpq: nothing written to " + spec + "\n"), run.err());
		assertEquals("// written before\n", read(spec));
	}

	@Test
	void aPoolWhoseCeilModeChangesItsOutputIsRefused() {
		Path spec = dir.resolve("pool.ilmpq");
		CommandLineRun run = ilmpq("import", models.resolve("pool_ceil.onnx").toString(), "-o", spec.toString());
		assertEquals(1, run.exitCode(), run.err());
		assertTrue(run.err().contains("node '/1/MaxPool' (MaxPool, inputs: /0/Conv_output_0) is not supported: "
				+ "ceil_mode 1, which gives 8 x 8 outputs where the language's pools (rounding down) give 7 x 7.\n"),
				run.err());
		assertFalse(Files.exists(spec));
	}

	@Test
	void aSymbolicInputShapeAsksForInputShape() {
		Path spec = dir.resolve("dynamic.ilmpq");
		String model = models.resolve("every_op_dynamic.onnx").toString();
		CommandLineRun run = ilmpq("import", model, "-o", spec.toString());
		assertEquals(1, run.exitCode(), run.err());
		assertEquals("ilmpq: " + model + ": input 'input' has the symbolic shape (N, 3, height, width): give its size "
				+ "with --input-shape C,H,W\nilmpq: nothing written to " + spec + "\n", run.err());
		run = ilmpq("import", model, "-o", spec.toString(), "--input-shape", "3,32,32");
		assertEquals(0, run.exitCode(), run.err());
		assertTrue(read(spec).contains("\ninput image: 3 x 32 x 32\n"));
	}

	@Test
	void aTruncatedModelIsAOneLineErrorAndExitCode2() throws IOException {
		byte[] model = Files.readAllBytes(models.resolve("every_op.onnx"));
		Path truncated = dir.resolve("truncated.onnx");
		Files.write(truncated, java.util.Arrays.copyOf(model, model.length / 2));
		CommandLineRun run = ilmpq("import", truncated.toString(), "-o", dir.resolve("t.ilmpq").toString());
		assertEquals(2, run.exitCode(), run.err());
		assertEquals(1, run.err().lines().count(), run.err());
		assertTrue(run.err().startsWith("ilmpq: " + truncated + ": not an ONNX model ("), run.err());
		assertFalse(Files.exists(dir.resolve("t.ilmpq")));
	}

	@Test
	void aFileThatIsNoModelIsAOneLineErrorAndExitCode2() throws IOException {
		Path text = CommandLineRun.write(dir, "notes.onnx", "network resnet18\n");
		CommandLineRun run = ilmpq("import", text.toString(), "-o", dir.resolve("t.ilmpq").toString());
		assertEquals(2, run.exitCode(), run.err());
		assertEquals(1, run.err().lines().count(), run.err());
		assertTrue(run.err().startsWith("ilmpq: " + text + ": not an ONNX model ("), run.err());
	}

	@Test
	void anUnknownBoardIsTheValidatorsErrorAndNothingIsWritten() {
		Path spec = dir.resolve("every_op.ilmpq");
		CommandLineRun run = ilmpq("import", models.resolve("every_op.onnx").toString(), "-o", spec.toString(),
				"--target", "NO-SUCH-BOARD");
		assertEquals(1, run.exitCode(), run.err());
		assertTrue(run.out().contains("NO-SUCH-BOARD"), run.out());
		assertTrue(run.err().endsWith("ilmpq: nothing written to " + spec + ": it has errors\n"), run.err());
		assertFalse(Files.exists(spec));
	}
}
