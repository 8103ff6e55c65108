package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.core.export.CodeTensor;
import org.ilmpq.core.export.ExportWriter;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.ReferenceInference;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The generated HLS projects compile with g++ -std=c++17 -Wall -Wextra -Werror (their Makefile) and their C
 * simulation reproduces, bit for bit, the golden data the Java integer reference computed for seeded weights: the
 * codes of every stored tensor. Layers alone and whole networks; what the trained network's export gives is in
 * {@link DigitsTrainingTest} and {@link FashionMnistTrainingTest}. The counting simulation of the large networks
 * moves, word for word, what the hardware model counts, and takes the cycles it gives them.
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
		assertEquals("PASS: conv3x3 matches golden.txt bit for bit: 3 stored tensors (126000 codes)\n", output);
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
		assertTrue(output.startsWith("PASS: every_kind matches golden.txt bit for bit: 13 stored tensors"), output);
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
		assertTrue(result.output().startsWith("PASS: resnet18 matches golden.txt bit for bit: 24 stored tensors"),
				result.output());
		System.out.printf("resnet18 HLS project: generated (seeded weights, Java reference) in %.1f s, compiled in "
				+ "%.1f s, C simulation of one image %.1f s%n", (generated - start) / 1e9, (built - generated) / 1e9,
				(simulated - built) / 1e9);
	}

	@Test
	void resnet18OnBothBoardsMovesTheWordsAndTakesTheCyclesTheHardwareModelCounts() {
		for (String example : new String[] { "resnet18-xc7z020", "resnet18-xc7z045" }) {
			String spec = SpecFixture.read("examples/" + example + ".ilmpq");
			HlsProject.assertNetworkNearTheReport(fixture, spec, HlsProject.assertTrafficAndCyclesAreTheModels(fixture,
					spec, HlsProject.write(fixture, spec, directory.resolve(example))));
		}
	}

	@Test
	void mobileNetV2MatchesTheReferenceAndMovesTheWordsAndTakesTheCyclesTheHardwareModelCounts() {
		String spec = SpecFixture.read("examples/mobilenetv2-xc7z020.ilmpq");
		HlsProject.assertNetworkNearTheReport(fixture, spec,
				HlsProject.assertTrafficAndCyclesAreTheModels(fixture, spec, HlsProject.write(fixture, spec, directory)));
	}

	@Test
	void theAccumulatorsHoldTheLargestSumsAndNoMore() throws IOException {
		// every weight the largest code of its scheme, every input code 127: the accumulators of the centre pixels
		// reach fan-in x 127 x largest weight, which their width holds; one bit less and the simulation fails
		String spec = "network extreme\n" + HEADER + """
				input x: 40 x 5 x 5
				c = conv(x, out=40, kernel=3, padding=1)
				output c
				""";
		Path project = HlsProject.write(fixture, spec, directory);
		Path weights = project.resolve("firmware/weights/weights.txt");
		Files.writeString(weights, largestCodes(Files.readString(weights)));
		QuantizedNetworkExport export = QuantizedNetworkExport.read(weights);
		int[] saturated = new int[40 * 5 * 5];
		Arrays.fill(saturated, 127);
		Map<String, CodeTensor> codes = new ReferenceInference(IntegerNetwork.of(fixture.analyze(spec).network(), 4),
				export).run(new CodeTensor(40, 5, 5, saturated));
		Files.writeString(project.resolve("firmware/weights/golden.txt"),
				ExportWriter.golden(new GoldenData("extreme", codes, "c"), export.producer()));
		HlsProject.passes(project);

		Path engines = project.resolve("firmware/engines.h");
		String header = Files.readString(engines);
		Matcher width = Pattern.compile("(struct pot4_config \\{[^}]*typedef int_t<)(\\d+)(> acc_t;)").matcher(header);
		assertTrue(width.find(), header);
		Files.writeString(engines, width.replaceFirst("$1" + (Integer.parseInt(width.group(2)) - 1) + "$3"));
		HlsProject.build(project);
		ExternalCommand.Result narrower = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(1, narrower.exitCode(), narrower.output());
		assertTrue(narrower.output().startsWith("FAIL: tensor c (written by c), code at index"), narrower.output());
	}

	@Test
	void aGoldenCodeThatDiffersIsReportedWithItsTensorStepAndIndex() throws IOException {
		Path project = HlsProject.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), directory);
		HlsProject.passes(project);
		Path golden = project.resolve("firmware/weights/golden.txt");
		List<String> lines = Files.readAllLines(golden, StandardCharsets.US_ASCII);
		String expected = null;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("codes relu2 ")) {
				String[] words = lines.get(i).split(" ");
				expected = Integer.toString(Integer.parseInt(words[3 + 40]) + 1);
				words[3 + 40] = expected;
				lines.set(i, String.join(" ", words));
			}
		}
		Files.write(golden, lines, StandardCharsets.US_ASCII);
		ExternalCommand.Result result = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(1, result.exitCode(), result.output());
		assertTrue(result.output().startsWith("FAIL: tensor relu2 (written by conv2), code at index 40 (channel 0, y 5, "
				+ "x 0): expected " + expected + ", computed "), result.output());
	}

	@Test
	void anExportOfAnotherSplitIsRefusedNamingTheLayerAndTheRows() throws IOException {
		Path project = HlsProject.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), directory);
		HlsProject.build(project);
		Path weights = project.resolve("firmware/weights/weights.txt");
		// one pot 4 row of conv2 becomes fixed 4: the split the design was generated for no longer holds
		String text = Files.readString(weights);
		int conv2 = text.indexOf("layer conv2 ");
		int pot = text.indexOf(" pot 4 multiplier ", conv2);
		Files.writeString(weights,
				text.substring(0, pot) + " fixed 4 multiplier " + text.substring(pot + " pot 4 multiplier ".length()));
		ExternalCommand.Result result = HlsProject.simulate(project, project.resolve("firmware/weights"));
		assertEquals(2, result.exitCode(), result.output());
		assertTrue(result.output().contains("layer conv2: the export has 18 pot 4 rows, the spec's split 19"),
				result.output());
	}

	/** Every row's codes the largest of its scheme. */
	private static String largestCodes(String weights) {
		StringBuilder text = new StringBuilder();
		for (String line : weights.split("\n")) {
			String[] words = line.split(" ");
			if (line.startsWith("row ")) {
				int largest = (1 << (Integer.parseInt(words[3]) - 1)) - 1;
				for (int i = 11; i < words.length; i++) {
					words[i] = Integer.toString(largest);
				}
			}
			text.append(String.join(" ", words)).append('\n');
		}
		return text.toString();
	}
}
