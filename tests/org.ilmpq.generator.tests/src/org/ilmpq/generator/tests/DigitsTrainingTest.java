package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.export.CodeTensor;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.ReferenceInference;
import org.ilmpq.core.export.RowAssignmentExport;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.SensitivityMeasure;
import org.ilmpq.core.quant.WeightQuantizer;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The quick run of the flow, on scikit-learn's digits (examples/digits-cnn.ilmpq): train with the spec's split,
 * export, and read the export as a C++ reader would (docs/export-format.md): every layer has the spec's rows per
 * scheme, every code lies in its scheme's range, the integer pipeline computes what the fake-quantized model does,
 * and the Java reference computes the golden data from the export alone, bit for bit, and so does the C simulation
 * of the HLS design generated with the export's weights, moving the words the hardware model counts; rows.txt gives
 * every row the scheme weights.txt gives it, with the figures the row assignment measured.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigitsTrainingTest {

	@Inject
	private SpecFixture fixture;

	private SpecAnalysis analysis;
	private double accuracy;
	private String exportOutput;
	private Path export;
	private List<String> weights;
	private List<String> golden;

	@BeforeAll
	void trainAndExport(@TempDir Path directory) throws IOException {
		String spec = SpecFixture.read("examples/digits-cnn.ilmpq");
		analysis = fixture.analyze(spec);
		Path quant = GeneratedScript.write(fixture, spec, "digits-cnn.ilmpq", directory);
		accuracy = TrainingRuns.train(quant, "digits_cnn", TrainingRuns.data("digits.py"), "spec", 300, "--epochs",
				"15");
		exportOutput = SystemPython.run(quant, 300, "digits_cnn.py", "export", "--checkpoint", "spec.pt", "--data",
				TrainingRuns.data("digits.py"), "-o", "export");
		export = quant.resolve("export");
		weights = Files.readAllLines(export.resolve("weights.txt"));
		golden = Files.readAllLines(export.resolve("golden.txt"));
	}

	@Test
	void theQuantizedNetworkLearnsTheDigits() {
		System.out.printf("digits_cnn, ILMPQ split, 15 epochs: %.2f %% on the 360 test digits%n", accuracy);
		assertTrue(accuracy >= 90, accuracy + " %");
	}

	@Test
	void theExportStartsWithItsFormatVersionAndTheNetwork() {
		assertEquals(List.of("ilmpq-export 2", "network digits_cnn", "producer ILMPQ Workbench (test) from digits-cnn.ilmpq",
				"fraction-bits 16"), weights.subList(0, 4));
		assertEquals(weights.subList(0, 3), golden.subList(0, 3));
	}

	@Test
	void theExportListsTheTableOfEverySchemeItUses() {
		assertEquals(List.of("scheme fixed 4 denominator 7 magnitudes 0 1 2 3 4 5 6 7",
				"scheme fixed 8 denominator 127 magnitudes " + range(128),
				"scheme pot 4 denominator 64 magnitudes 0 1 2 4 8 16 32 64"),
				weights.stream().filter(l -> l.startsWith("scheme ")).toList());
	}

	@Test
	void everyLayerHasTheSpecsRowsPerSchemeAndCodesInRange() {
		Map<String, Map<Scheme, Integer>> rows = new LinkedHashMap<>();
		String layer = null;
		for (String line : weights) {
			String[] words = line.split(" ");
			if (words[0].equals("layer")) {
				layer = words[1];
				rows.put(layer, new LinkedHashMap<>());
			} else if (words[0].equals("row")) {
				Scheme scheme = new Scheme(SchemeKind.valueOf(words[2].toUpperCase(java.util.Locale.ROOT)),
						Integer.parseInt(words[3]));
				rows.get(layer).merge(scheme, 1, Integer::sum);
				int maxCode = WeightQuantizer.of(scheme).maxCode();
				int[] codes = Arrays.stream(words, 11, words.length).mapToInt(Integer::parseInt).toArray();
				assertTrue(Arrays.stream(codes).allMatch(c -> Math.abs(c) <= maxCode), line);
				assertEquals(List.of("multiplier", "shift", "bias", "codes"), List.of(words[4], words[6], words[8],
						words[10]), line);
			}
		}
		Map<String, Map<Scheme, Integer>> expected = new LinkedHashMap<>();
		for (LayerFacts facts : analysis.network().layers()) {
			if (facts.allocation().isPresent()) {
				RowPlan plan = RowPlan.of(facts.allocation().get());
				Map<Scheme, Integer> perScheme = new LinkedHashMap<>();
				for (int i = 0; i < plan.schemes().size(); i++) {
					if (plan.rows().get(i) > 0) {
						perScheme.put(plan.schemes().get(i), Math.toIntExact(plan.rows().get(i)));
					}
				}
				expected.put(facts.name(), perScheme);
			}
		}
		assertEquals(expected.keySet(), rows.keySet());
		expected.forEach((name, perScheme) -> assertEquals(perScheme, rows.get(name), name));
	}

	@Test
	void theRowAssignmentExportGivesEachSchemeTheSpecsRowsWithTheFiguresOfTheAssignment() throws IOException {
		RowAssignmentExport assignment = RowAssignmentExport.read(export.resolve("rows.txt"));
		QuantizedNetworkExport exported = QuantizedNetworkExport.read(export.resolve("weights.txt"));
		assertEquals(List.of(exported.network(), exported.producer(), SensitivityMeasure.OUTPUT_ERROR),
				List.of(assignment.network(), assignment.producer(), assignment.measure()));
		assertEquals(exported.layers().stream().map(l -> l.name()).toList(),
				assignment.layers().stream().map(RowAssignmentExport.Layer::name).toList());
		for (LayerFacts facts : analysis.network().layers()) {
			if (facts.allocation().isPresent()) {
				RowPlan plan = RowPlan.of(facts.allocation().get());
				RowAssignmentExport.Layer layer = assignment.layer(facts.name()).orElseThrow();
				assertEquals(List.of(plan.schemes(), plan.probe()), List.of(layer.schemes(), layer.probe()), facts.name());
				assertEquals(plan.rows(), layer.summary().stream().map(s -> (long) s.rows()).toList(), facts.name());
				assertEquals(exported.layer(facts.name()).orElseThrow().rows().stream().map(r -> r.scheme()).toList(),
						layer.rows().stream().map(RowAssignmentExport.Row::scheme).toList(), facts.name());
				// trained from a spec checkpoint: the assignment ran at epoch 0, so every figure is known
				assertTrue(layer.rows().stream().allMatch(r -> r.sensitivity().isPresent() && r.variance().isPresent()
						&& r.error().isPresent()), facts.name());
			}
		}
	}

	@Test
	void theGoldenDataHasTheCodesOfEveryStoredTensorAndNamesTheOutput() {
		List<String> records = golden.subList(3, golden.size()).stream()
				.map(l -> String.join(" ", Arrays.copyOf(l.split(" "), l.startsWith("codes") ? 3 : 2))).toList();
		assertEquals(List.of("codes digit 1x8x8", "codes relu1 16x8x8", "codes relu2 32x8x8", "codes pool2 32x4x4",
				"codes relu3 64x4x4", "codes pool 64", "codes fc 10", "output fc"), records);
	}

	@Test
	void theIntegerPipelineComputesWhatTheFakeQuantizedModelDoes() {
		// on the sample: the output codes, rounded from the fake-quantized model's outputs; on the 360 test digits:
		// the accuracy, within one digit of 360
		Matcher sample = Pattern.compile("(\\d+) of 10 output codes differ").matcher(exportOutput);
		assertTrue(sample.find(), exportOutput);
		assertTrue(Integer.parseInt(sample.group(1)) <= 1, exportOutput);
		Matcher accuracy = Pattern.compile("fake-quantized ([0-9.]+) %, integer pipeline ([0-9.]+) %")
				.matcher(exportOutput);
		assertTrue(accuracy.find(), exportOutput);
		assertEquals(Double.parseDouble(accuracy.group(1)), Double.parseDouble(accuracy.group(2)), 100.0 / 360 + 1e-9,
				exportOutput);
	}

	@Test
	void everyRowHasOneCodePerWeight() {
		// conv: in / groups x 3 x 3; linear: in
		Map<String, Integer> fanIn = Map.of("conv1", 9, "conv2", 144, "conv3", 288, "fc", 64);
		String layer = null;
		for (String line : weights) {
			String[] words = line.split(" ");
			if (words[0].equals("layer")) {
				layer = words[1];
			} else if (words[0].equals("row")) {
				assertEquals(fanIn.get(layer), words.length - 11, layer + " " + words[1]);
			}
		}
	}

	@Test
	void theJavaReferenceComputesTheGoldenDataFromTheExportAlone() throws IOException {
		QuantizedNetworkExport exported = QuantizedNetworkExport.read(export.resolve("weights.txt"));
		GoldenData data = GoldenData.read(export.resolve("golden.txt"));
		Map<String, CodeTensor> java = new ReferenceInference(IntegerNetwork.of(analysis.network(), 4), exported)
				.run(data.codes().get("digit"));
		assertEquals(List.copyOf(data.codes().keySet()), List.copyOf(java.keySet()));
		data.codes().forEach((tensor, codes) -> assertEquals(-1, codes.firstDifference(java.get(tensor)), tensor));
	}

	@Test
	void theHlsDesignsCSimulationComputesTheScriptsGoldenDataBitForBit(@TempDir Path directory) {
		String spec = SpecFixture.read("examples/digits-cnn.ilmpq");
		Path project = HlsProject.write(HlsProject.generate(fixture, spec, "digits-cnn.ilmpq",
				new HlsProjectGenerator.Weights.Exported(export)), directory);
		String output = HlsProject.passes(project);
		assertEquals("PASS: digits_cnn matches golden.txt bit for bit: 7 stored tensors (4746 codes)\n", output);
		HlsProject.assertNetworkNearTheReport(fixture, spec,
				HlsProject.assertTrafficAndCyclesAreTheModels(fixture, spec, project));
	}

	private static String range(int count) {
		List<String> numbers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			numbers.add(Integer.toString(i));
		}
		return String.join(" ", numbers);
	}
}
