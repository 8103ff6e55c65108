package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.export.CodeTensor;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.ReferenceInference;
import org.ilmpq.core.export.RowAssignmentExport;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.inject.Inject;

/**
 * The generated Python under Debian's python3: it compiles, pyflakes finds nothing, the network it builds has the
 * spec's parameter count, and the quantized network runs forward to the spec's output shape.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class GeneratedPythonTest {

	/** Imports a generated network module, counts its parameters and, when asked, runs it quantized. */
	private static final String CHECK_NETWORK = """
			import importlib
			import sys

			import torch

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant  # noqa: E402

			module = importlib.import_module(sys.argv[2])
			model = getattr(module, sys.argv[3])()
			print("parameters", sum(p.numel() for p in model.parameters()))
			if sys.argv[4] == "forward":
			    ilmpq_quant.quantize_model(model, module.SPEC)
			    x = torch.randn((2,) + tuple(module.SPEC["input_shape"]))
			    model.train()
			    model(x).sum().backward()
			    model.eval()
			    print("output", "x".join(str(d) for d in model(x).shape[1:]))
			""";

	/** Layer names that are Python keywords, builtins the module uses, or attributes of nn.Module. */
	private static final String AWKWARD_NAMES = """
			network class
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			block Pair(tensor self) {
			    lambda = conv(self, out=8, kernel=3, padding=1)
			    torch = relu(lambda)
			    output torch
			}
			input print: 3 x 12 x 12
			forward = conv(print, out=8, kernel=3, padding=1)
			training = batchnorm(forward)
			F = relu(training)
			None = Pair(F)
			def = add(None, F)
			nn = globalavgpool(def)
			sys = flatten(nn)
			ilmpq_train = linear(sys, out=4)
			output ilmpq_train
			""";

	@Inject
	private SpecFixture fixture;

	static Stream<String> examples() throws IOException {
		try (Stream<Path> files = Files.list(SpecFixture.repository().resolve("examples"))) {
			return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ilmpq")).sorted().toList()
					.stream();
		}
	}

	@ParameterizedTest
	@MethodSource("examples")
	void everyExampleGivesPythonThatCompilesPassesPyflakesAndHasTheSpecsParameters(String example,
			@TempDir Path directory) {
		String spec = SpecFixture.read("examples/" + example);
		Path quant = GeneratedScript.write(fixture, spec, example, directory);
		assertCleanPython(quant);
		SpecAnalysis analysis = fixture.analyze(spec);
		String module = moduleName(quant);
		String output = SystemPython.run(quant, 300, check(quant).toString(), quant.toString(), module,
				className(quant, module), "construct");
		assertTrue(output.contains("parameters " + analysis.network().totalParameters() + "\n"), output);
	}

	@Test
	void theDigitsNetworkRunsQuantizedForwardAndBackward(@TempDir Path directory) {
		assertRunsQuantized(SpecFixture.read("examples/digits-cnn.ilmpq"), directory);
	}

	@Test
	void theResnetBlockRunsQuantizedForwardAndBackward(@TempDir Path directory) {
		assertRunsQuantized(PyTorchScriptGeneratorTest.RESNET_BLOCK, directory);
	}

	@Test
	void namesThatArePythonKeywordsOrBuiltinsStillGiveWorkingPython(@TempDir Path directory) throws IOException {
		Path quant = assertRunsQuantized(AWKWARD_NAMES, directory);
		String module = Files.readString(quant.resolve("class_.py"));
		assertTrue(module.contains("class Class(nn.Module):"), module);
		assertTrue(module.contains("self.forward_ = nn.Conv2d(3, 8, kernel_size=3, padding=1)"), module);
		assertTrue(module.contains("def forward(self, print_):"), module);
		assertTrue(module.contains("None_lambda = self.None_lambda(F_)"), module); // block instance None, layer lambda
	}

	/**
	 * Attaches the ResNet-18 spec to torchvision's resnet18(): its weights are quantized, but it computes its own
	 * forward, without the activation quantizers of the tensors the accelerator stores, so its export is refused;
	 * and tries a wrong mapping.
	 */
	private static final String ATTACH_TORCHVISION = """
			import re
			import sys

			import torch
			import torchvision

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant  # noqa: E402
			import resnet18  # noqa: E402


			def torchvision_name(name):
			    # layer2_0.downsample_bn -> layer2.0.downsample.1
			    name = re.sub(r"^layer(\\d)_(\\d)\\.", r"layer\\1.\\2.", name)
			    return re.sub(r"downsample(_bn)?$", lambda m: "downsample." + ("1" if m.group(1) else "0"), name)


			layers = resnet18.SPEC["layers"]
			mapping = {layer["name"]: torchvision_name(layer["name"]) for layer in layers}
			mapping.update({layer["batchnorm"]: torchvision_name(layer["batchnorm"]) for layer in layers if layer["batchnorm"]})
			model = torchvision.models.resnet18()
			ilmpq_quant.quantize_model(model, resnet18.SPEC, mapping)
			print("replaced", sum(isinstance(m, ilmpq_quant.RowQuantized) for m in model.modules()))
			model.train()
			model(torch.randn(2, 3, 224, 224))
			model.eval()
			try:
			    ilmpq_quant.write_export(model, resnet18.SPEC, torch.randn(1, 3, 224, 224), "export", mapping)
			except ValueError as error:
			    print("export refused:", error)
			wrong = dict(mapping, fc="layer4.0.conv2")
			untouched = torchvision.models.resnet18()
			try:
			    ilmpq_quant.quantize_model(untouched, resnet18.SPEC, wrong)
			except ValueError as error:
			    print("refused:", error)
			print("untouched", sum(isinstance(m, ilmpq_quant.RowQuantized) for m in untouched.modules()))
			""";

	@Test
	void theResnet18SpecAttachesToTorchvisionsResnet18(@TempDir Path directory) {
		Path quant = GeneratedScript.write(fixture, SpecFixture.read("examples/resnet18-xc7z020.ilmpq"),
				"resnet18-xc7z020.ilmpq", directory);
		String output = SystemPython.run(quant, 300,
				SystemPython.script(directory, "attach.py", ATTACH_TORCHVISION).toString(), quant.toString());
		assertEquals("replaced 21\nexport refused: the model has no activation quantizers: build it from the network "
				+ "module the spec generated (quantize_model sets them up)\nrefused: spec layer 'fc' is a linear layer, but "
				+ "module 'layer4.0.conv2' is Conv2d\nuntouched 0\n", output);
	}

	/**
	 * Exports a quantized model of a spec without training (one batch sets the activation scales); prints how many
	 * output codes of the integer pipeline differ from the fake-quantized model's, or the refusal.
	 */
	private static final String EXPORT = """
			import importlib
			import sys

			import torch

			sys.path.insert(0, sys.argv[1])
			import ilmpq_quant  # noqa: E402

			torch.manual_seed(0)
			module = importlib.import_module(sys.argv[2])
			model = getattr(module, sys.argv[3])()
			ilmpq_quant.quantize_model(model, module.SPEC)
			model.train()
			model(torch.randn((8,) + tuple(module.SPEC["input_shape"])))
			model.eval()
			sample = torch.randn((1,) + tuple(module.SPEC["input_shape"]))
			with torch.no_grad():
			    fake = model(sample).double()
			try:
			    network, codes = ilmpq_quant.write_export(model, module.SPEC, sample, "export")
			    output = codes[module.SPEC["output"]].reshape(fake.shape)
			    rounded = torch.round(fake / network.steps[module.SPEC["output"]]).long()
			    print("output codes that differ by more than one:", int(((output - rounded).abs() > 1).sum()))
			except ValueError as error:
			    print("refused:", error)
			""";

	@Test
	void aPooledAverageOfCodesRoundsHalfUpAsTheAcceleratorDoes(@TempDir Path directory) {
		// unsigned 4-bit codes of step 1; windows of 2 codes summing to 5, 7 and 4: means 2.5, 3.5 and 2. The
		// accelerator takes the sum times the window's fixed-point reciprocal, half up: 3, 4, 2 (torch.round: 2, 4, 2)
		Path quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
		SystemPython.script(quant, "tie.py", """
				import torch
				import ilmpq_quant

				quantizer = ilmpq_quant.ActivationQuantizer(4, False)
				quantizer.scale.fill_(15.0)
				print(quantizer.mean(torch.tensor([2.5, 3.5, 2.0]), 2).tolist())
				""");
		assertEquals("[3.0, 4.0, 2.0]\n", SystemPython.run(quant, 60, "tie.py"));
	}

	@Test
	void aBatchNormAfterALinearLayerIsFoldedIntoIt(@TempDir Path directory) {
		assertEquals("output codes that differ by more than one: 0\n", export("""
				network mlp
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 32
				fc1 = linear(x, out=24)
				bn = batchnorm(fc1)
				act = relu(bn)
				fc2 = linear(act, out=10)
				output fc2
				""", directory));
	}

	@Test
	void aBatchNormThatFollowsNoWeightLayerAloneIsRefusedByTheExport(@TempDir Path directory) {
		assertEquals("refused: batchnorm bn does not alone follow a conv or linear layer, so it cannot be folded into "
				+ "one\n", export("""
				network residual
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 8 x 6 x 6
				c = conv(x, out=8, kernel=3, padding=1)
				sum = add(c, x)
				bn = batchnorm(sum)
				output bn
				""", directory));
	}

	/**
	 * Every operation between quantized layers, and a depthwise, a strided, a dilated and a 1 x 1 convolution: the
	 * export of the script, read and run by the Java integer reference (org.ilmpq.core.export), gives the script's
	 * golden codes of every stored tensor bit for bit.
	 */
	@Test
	void theJavaReferenceComputesTheScriptsGoldenDataFromTheExportAlone(@TempDir Path directory) throws IOException {
		assertJavaReferenceReproducesTheGoldenData("""
				network branches
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 3 x 12 x 12
				stem = conv(x, out=8, kernel=3, stride=2, padding=1)
				bn = batchnorm(stem)
				act = relu6(bn)
				dw = conv(act, groups=depthwise, kernel=3, padding=1)
				dwbn = batchnorm(dw)
				dwact = relu(dwbn)
				pw = conv(dwact, out=8, kernel=1, bias=false)
				sum = add(pw, act)
				left = maxpool(sum, kernel=3, stride=2, padding=1)
				right = avgpool(sum, kernel=3, stride=2, padding=1)
				both = concat(left, right)
				tail = conv(both, out=12, kernel=3, padding=2, dilation=2)
				pool = globalavgpool(tail)
				fc = linear(pool, out=5)
				output fc
				""", List.of("stem", "dw", "pw", "tail", "fc"), directory);
	}

	/** A global pool at the output: its codes are the output's. */
	@Test
	void theJavaReferenceComputesAGlobalPoolAtTheOutputBitForBit(@TempDir Path directory) throws IOException {
		assertJavaReferenceReproducesTheGoldenData("""
				network pooled
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 3 x 9 x 9
				c = conv(x, out=16, kernel=3)
				bn = batchnorm(c)
				pool = globalavgpool(bn)
				output pool
				""", List.of("c"), directory);
	}

	private void assertJavaReferenceReproducesTheGoldenData(String spec, List<String> layers, Path directory)
			throws IOException {
		assertEquals("output codes that differ by more than one: 0\n", export(spec, directory));
		Path folder = directory.resolve("quant/export");
		QuantizedNetworkExport exported = QuantizedNetworkExport.read(folder.resolve("weights.txt"));
		GoldenData golden = GoldenData.read(folder.resolve("golden.txt"));
		assertEquals(layers, exported.layers().stream().map(l -> l.name()).toList());
		// no row assignment ran: rows.txt has the rows' schemes and their errors, the assignment's figures unknown
		RowAssignmentExport assignment = RowAssignmentExport.read(folder.resolve("rows.txt"));
		assertEquals(layers, assignment.layers().stream().map(RowAssignmentExport.Layer::name).toList());
		for (RowAssignmentExport.Layer layer : assignment.layers()) {
			assertEquals(exported.layer(layer.name()).orElseThrow().rows().stream().map(r -> r.scheme()).toList(),
					layer.rows().stream().map(RowAssignmentExport.Row::scheme).toList(), layer.name());
			assertTrue(layer.rows().stream().allMatch(r -> r.sensitivity().isEmpty() && r.variance().isEmpty()
					&& r.error().isPresent()), layer.name());
		}
		IntegerNetwork program = IntegerNetwork.of(fixture.analyze(spec).network(), 4);
		Map<String, CodeTensor> java = new ReferenceInference(program, exported)
				.run(golden.codes().get(program.inputs().get(0)));
		assertEquals(List.copyOf(golden.codes().keySet()), List.copyOf(java.keySet()));
		golden.codes().forEach((tensor, codes) -> assertEquals(-1, codes.firstDifference(java.get(tensor)), tensor));
	}

	private String export(String spec, Path directory) {
		Path quant = GeneratedScript.write(fixture, spec, "spec.ilmpq", directory);
		String module = moduleName(quant);
		return SystemPython.run(quant, 120, SystemPython.script(directory, "export.py", EXPORT).toString(),
				quant.toString(), module, className(quant, module));
	}

	private Path assertRunsQuantized(String spec, Path directory) {
		Path quant = GeneratedScript.write(fixture, spec, "spec.ilmpq", directory);
		assertCleanPython(quant);
		SpecAnalysis analysis = fixture.analyze(spec);
		String module = moduleName(quant);
		String output = SystemPython.run(quant, 300, check(quant).toString(), quant.toString(), module,
				className(quant, module), "forward");
		TensorShape shape = analysis.network().shapeOf(analysis.network().network().output()).orElseThrow();
		String expected = shape.isFlat() ? Long.toString(shape.channels())
				: shape.channels() + "x" + shape.height() + "x" + shape.width();
		assertTrue(output.contains("output " + expected + "\n"), output);
		return quant;
	}

	private static void assertCleanPython(Path quant) {
		List<String> files = List.of("ilmpq_quant.py", "ilmpq_train.py", "ilmpq_distributed.py", "ilmpq_progress.py",
				moduleName(quant) + ".py");
		SystemPython.run(quant, 120, Stream.concat(Stream.of("-m", "py_compile"), files.stream()).toArray(String[]::new));
		String pyflakes = SystemPython.run(quant, 120,
				Stream.concat(Stream.of("-m", "pyflakes"), files.stream()).toArray(String[]::new));
		assertEquals("", pyflakes);
	}

	private static Path check(Path quant) {
		return SystemPython.script(quant.getParent(), "check_network.py", CHECK_NETWORK);
	}

	/** The network module: the one file of quant/ that is not the runtime. */
	private static String moduleName(Path quant) {
		try (Stream<Path> files = Files.list(quant)) {
			return files.map(p -> p.getFileName().toString())
					.filter(n -> n.endsWith(".py") && !n.startsWith("ilmpq_"))
					.findFirst().orElseThrow().replaceFirst("\\.py$", "");
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private static String className(Path quant, String module) {
		try {
			return Files.readAllLines(quant.resolve(module + ".py")).stream().filter(l -> l.startsWith("class "))
					.findFirst().orElseThrow().replaceAll("^class (\\w+)\\(.*$", "$1");
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
