package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.core.export.ExportWriter;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.ReferenceInference;
import org.ilmpq.core.export.Tensor;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The generated HLS projects compile with g++ -std=c++17 -Wall -Wextra -Werror (their Makefile) and their C
 * simulation reproduces, bit for bit, the golden data the Java reference computed for seeded weights: every weight
 * layer's input codes and the output. Layers alone and whole networks; what the trained network's export gives is
 * in {@link DigitsTrainingTest}.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class HlsSimulationTest {

	/** The target and split every single-layer spec shares: three engines, 8-bit network inputs in two passes. */
	private static final String HEADER = """
			target PYNQ-Z2 clock 100 MHz
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			    activations fixed 4
			}
			""";

	@Inject
	private SpecFixture fixture;

	@TempDir
	Path directory;

	@Test
	void aConv3x3OverSeveralTilesLaneGroupsAndRowStepsMatchesTheReference() {
		// 30 x 30 outputs: full and partial tiles; 20 channels: two lane groups; 100 rows: several row steps
		String output = HlsProject.passes(HlsProject.write(fixture, "network conv3x3\n" + HEADER + """
				input x: 20 x 30 x 30
				r = relu(x)
				c = conv(r, out=100, kernel=3, padding=1)
				output c
				""", directory));
		assertTrue(output.startsWith("PASS: conv3x3 matches golden.txt bit for bit: the input codes of 1 layers "
				+ "(18000 values) and 90000 outputs"), output);
	}

	@Test
	void aConvOfTheNetworkInputTakesItsEightBitPixelsInTwoPasses() {
		HlsProject.passes(HlsProject.write(fixture, "network pixels\n" + HEADER + """
				input image: 3 x 17 x 17
				c = conv(image, out=24, kernel=5, stride=2, padding=2)
				output c
				""", directory));
	}

	@Test
	void aConv1x1WithStride2MatchesTheReference() {
		HlsProject.passes(HlsProject.write(fixture, "network pointwise\n" + HEADER + """
				input x: 48 x 15 x 15
				r = relu(x)
				c = conv(r, out=64, kernel=1, stride=2)
				output c
				""", directory));
	}

	@Test
	void aDepthwiseConvMatchesTheReference() {
		HlsProject.passes(HlsProject.write(fixture, "network depthwise\n" + HEADER + """
				input x: 32 x 12 x 12
				r = relu(x)
				c = conv(r, kernel=3, padding=1, groups=depthwise)
				output c
				""", directory));
	}

	@Test
	void aGroupedDilatedConvMatchesTheReference() {
		HlsProject.passes(HlsProject.write(fixture, "network grouped\n" + HEADER + """
				input x: 24 x 16 x 16
				r = relu(x)
				c = conv(r, out=36, kernel=3, padding=2, dilation=2, groups=4)
				output c
				""", directory));
	}

	@Test
	void aLinearLayerMatchesTheReference() {
		HlsProject.passes(HlsProject.write(fixture, "network dense\n" + HEADER + """
				input v: 300
				r = relu(v)
				f = linear(r, out=50)
				output f
				""", directory));
	}

	@Test
	void aNetworkWithEveryLayerKindMatchesTheReference() {
		String output = HlsProject.passes(HlsProject.write(fixture, HlsProjectGeneratorTest.EVERY_KIND, directory));
		assertTrue(output.startsWith("PASS: every_kind matches golden.txt bit for bit: the input codes of 6 layers"),
				output);
	}

	@Test
	void layersNamedLikeCppKeywordsOrNotIdentifiersGiveValidCpp() {
		HlsProject.passes(HlsProject.write(fixture, "network int\n" + HEADER + """
				input x: 4 x 6 x 6
				class = conv(x, out=8, kernel=3, padding=1)
				NAN = relu(class)
				main = conv(NAN, out=8, kernel=1)
				weight_layer = relu(main)
				output weight_layer
				""", directory));
	}

	@Test
	void networksAndLayersNamedLikeTheRuntimeOrItsFilesGiveValidCpp() {
		Path project = HlsProject.write(fixture, "network engines\n" + HEADER + """
				input x: 4 x 6 x 6
				pool_layer = conv(x, out=8, kernel=3, padding=1)
				row_index_t = relu(pool_layer)
				design = maxpool(row_index_t, kernel=2)
				weights = conv(design, out=8, kernel=1)
				output weights
				""", directory);
		assertEquals("engines_network", project.getFileName().toString());
		HlsProject.passes(project);
	}

	@Test
	void anSp2EngineMatchesTheReference() {
		// SP2 5: the largest magnitude (8) is not the largest code's (2): the widths must hold the former
		HlsProject.passes(HlsProject.write(fixture, """
				network sp2
				target PYNQ-Z2 clock 100 MHz
				quantization {
				    split 60 % sp2 5, 40 % fixed 4
				    activations fixed 4
				}
				input x: 16 x 8 x 8
				r = relu(x)
				c = conv(r, out=32, kernel=3, padding=1)
				output c
				""", directory));
	}

	@Test
	void anOutputBehindAFoldedBatchNormAndAFlattenIsWrittenToTheOutputPort() {
		HlsProject.passes(HlsProject.write(fixture, "network tail\n" + HEADER + """
				input x: 8 x 4 x 4
				r = relu(x)
				c = conv(r, out=6, kernel=3)
				b = batchnorm(c)
				f = flatten(b)
				output f
				""", directory));
	}

	@Test
	void theDigitsNetworkMatchesTheReference() {
		HlsProject.passes(HlsProject.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), directory));
	}

	@Test
	void resnet18CompilesAndItsSimulationOfOneImageMatchesTheReference() {
		long start = System.nanoTime();
		Path project = HlsProject.write(fixture, SpecFixture.read("examples/resnet18-xc7z020.ilmpq"), directory);
		long generated = System.nanoTime();
		HlsProject.build(project);
		long built = System.nanoTime();
		ExternalCommand.Result result = HlsProject.simulate(project, project.resolve("firmware/weights"));
		long simulated = System.nanoTime();
		assertEquals(0, result.exitCode(), result.output());
		assertTrue(result.output().startsWith("PASS: resnet18 matches golden.txt bit for bit: the input codes of 21 "
				+ "layers"), result.output());
		System.out.printf("resnet18 HLS project: generated (seeded weights, Java reference) in %.1f s, compiled in "
				+ "%.1f s, C simulation of one image %.1f s%n", (generated - start) / 1e9, (built - generated) / 1e9,
				(simulated - built) / 1e9);
	}

	@Test
	void theAccumulatorsHoldTheLargestSumsAndNoMore() throws IOException {
		// every weight the largest code of its scheme, every input saturated at the largest code: the accumulators
		// of the centre pixels reach fan-in x largest input x largest weight, which their width holds; one bit less
		// and the simulation fails
		String spec = "network extreme\n" + HEADER + """
				input x: 40 x 5 x 5
				r = relu(x)
				c = conv(r, out=40, kernel=3, padding=1)
				output c
				""";
		Path project = HlsProject.write(fixture, spec, directory);
		Path weights = project.resolve("firmware/weights/weights.txt");
		Files.writeString(weights, largestCodes(Files.readString(weights)));
		Path golden = project.resolve("firmware/weights/golden.txt");
		GoldenData sample = GoldenData.read(golden);
		double[] positive = sample.sample().values().clone();
		for (int i = 0; i < positive.length; i++) {
			positive[i] = Math.abs(positive[i]) + 1;
		}
		Tensor saturated = new Tensor(sample.sample().channels(), sample.sample().height(), sample.sample().width(),
				positive);
		QuantizedNetworkExport export = QuantizedNetworkExport.read(weights);
		ReferenceInference.Result reference = new ReferenceInference(fixture.analyze(spec).network(), export)
				.run(saturated);
		// the layer reads the network input through a ReLU: 8-bit unsigned codes, in two 4-bit passes
		assertEquals(255.0, reference.inputCodes().get("c").values()[0]);
		Files.writeString(golden, ExportWriter.golden(new GoldenData("extreme", saturated, reference.inputCodes(),
				reference.output()), export.producer()));
		HlsProject.passes(project);

		Path engines = project.resolve("firmware/engines.h");
		String header = Files.readString(engines);
		Matcher width = Pattern.compile("typedef int_t<(\\d+)> pot4_acc_t;").matcher(header);
		assertTrue(width.find(), header);
		Files.writeString(engines, width.replaceFirst("typedef int_t<" + (Integer.parseInt(width.group(1)) - 1)
				+ "> pot4_acc_t;"));
		HlsProject.build(project);
		ExternalCommand.Result narrower = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(1, narrower.exitCode(), narrower.output());
		assertTrue(narrower.output().startsWith("FAIL: output at index"), narrower.output());
	}

	@Test
	void aGoldenValueThatDiffersIsReportedWithItsLayerAndIndex() throws IOException {
		Path project = HlsProject.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), directory);
		HlsProject.passes(project);
		Path golden = project.resolve("firmware/weights/golden.txt");
		List<String> lines = Files.readAllLines(golden, StandardCharsets.US_ASCII);
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("input-codes conv3 ")) {
				String[] words = lines.get(i).split(" ");
				words[3 + 40] = Integer.toString(Integer.parseInt(words[3 + 40]) + 1);
				lines.set(i, String.join(" ", words));
			}
		}
		Files.write(golden, lines, StandardCharsets.US_ASCII);
		ExternalCommand.Result result = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(1, result.exitCode(), result.output());
		assertTrue(result.output().startsWith("FAIL: layer conv3, input code at index 40 (channel 2, y 2, x 0): "
				+ "expected "), result.output());
	}

	@Test
	void anExportOfAnotherSplitIsRefusedNamingTheLayerAndTheRows() throws IOException {
		Path project = HlsProject.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), directory);
		HlsProject.build(project);
		Path weights = project.resolve("firmware/weights/weights.txt");
		// one pot 4 row of conv2 becomes fixed 4: the split the design was generated for no longer holds
		String text = Files.readString(weights);
		int conv2 = text.indexOf("layer conv2 ");
		int pot = text.indexOf(" pot 4 step ", conv2);
		Files.writeString(weights,
				text.substring(0, pot) + " fixed 4 step " + text.substring(pot + " pot 4 step ".length()));
		ExternalCommand.Result result = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(2, result.exitCode(), result.output());
		assertTrue(result.output().contains("layer conv2: the export has 18 pot 4 rows, the spec's split 19"),
				result.output());
	}

	/** Every row's codes the largest of its scheme; every layer's input scale so small that inputs saturate. */
	private static String largestCodes(String weights) {
		StringBuilder text = new StringBuilder();
		for (String line : weights.split("\n")) {
			String[] words = line.split(" ");
			if (line.startsWith("row ")) {
				int largest = (1 << (Integer.parseInt(words[3]) - 1)) - 1;
				for (int i = 9; i < words.length; i++) {
					words[i] = Integer.toString(largest);
				}
			} else if (line.startsWith("input ")) {
				words[4] = Double.toHexString(1e-9);
			}
			text.append(String.join(" ", words)).append('\n');
		}
		return text.toString();
	}
}
