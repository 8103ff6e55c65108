package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
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
 * The evidence that the generated script implements the method, and that the accelerator computes what it
 * trained: examples/fashion-cnn.ilmpq trained on Fashion-MNIST (Debian's dataset-fashion-mnist) four times with the
 * same seed, schedule and 20,000 training images: float, every row fixed 4, every row pot 4, and the spec's ILMPQ
 * split (60 % pot 4, 35 % fixed 4, 5 % fixed 8; 4-bit activations in the three quantized runs). ILMPQ stays within
 * 1.5 points of float on the 10,000 test images; its export's integer pipeline within 0.3 points of the
 * fake-quantized model; and the HLS design computes the export's golden data bit for bit. About five minutes on
 * two cores.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FashionMnistTrainingTest {

	/** The schedule of every run: Adam, cosine decay from 2e-3 over 4 epochs of 20,000 images in batches of 128. */
	private static final String[] SCHEDULE = { "--epochs", "4", "--batch-size", "128", "--lr", "2e-3",
			"--train-subset", "20000" };

	private static final Pattern ACCURACIES = Pattern.compile(
			"\"fake_quantized_accuracy\": ([0-9.]+),\\s*\"integer_accuracy\": ([0-9.]+)");

	@Inject
	private SpecFixture fixture;

	private final Map<String, Double> accuracy = new LinkedHashMap<>();
	private Path export;

	@BeforeAll
	void trainFourTimesAndExport(@TempDir Path directory) throws IOException {
		Path quant = GeneratedScript.write(fixture, SpecFixture.read("examples/fashion-cnn.ilmpq"), "fashion-cnn.ilmpq",
				directory);
		for (String quantization : new String[] { "float", "fixed4", "pot4", "spec" }) {
			accuracy.put(quantization, TrainingRuns.train(quant, "fashion_cnn", TrainingRuns.data("fashion_mnist.py"),
					quantization, 900, SCHEDULE));
		}
		SystemPython.run(quant, 600, "fashion_cnn.py", "export", "--checkpoint", "spec.pt", "--data",
				TrainingRuns.data("fashion_mnist.py"), "-o", "export", "--result", "export.json");
		Matcher exported = ACCURACIES.matcher(Files.readString(quant.resolve("export.json")));
		assertTrue(exported.find(), Files.readString(quant.resolve("export.json")));
		assertEquals(accuracy.get("spec"), Double.parseDouble(exported.group(1)), 1e-9);
		accuracy.put("integer", Double.parseDouble(exported.group(2)));
		export = quant.resolve("export");
		StringBuilder table = new StringBuilder("Fashion-MNIST, fashion_cnn, 4 epochs on 20,000 images, seed 0:\n");
		accuracy.forEach((run, value) -> table.append(String.format(Locale.ROOT, "  %-16s %6.2f %%%n",
				run.equals("spec") ? "ILMPQ" : run.equals("integer") ? "ILMPQ integer" : run, value)));
		System.out.print(table);
	}

	@Test
	void theIlmpqSplitStaysWithinOneAndAHalfPointsOfFloat() {
		assertTrue(accuracy.get("spec") >= accuracy.get("float") - 1.5, accuracy.toString());
	}

	@Test
	void theIntegerPipelineIsWithinThreeTenthsOfAPointOfTheFakeQuantizedModel() {
		assertEquals(accuracy.get("spec"), accuracy.get("integer"), 0.3, accuracy.toString());
	}

	@Test
	void theHlsDesignComputesTheTrainedExportBitForBitAndMovesTheWordsTheModelCounts(@TempDir Path directory) {
		String spec = SpecFixture.read("examples/fashion-cnn.ilmpq");
		Path project = HlsProject.write(HlsProject.generate(fixture, spec, "fashion-cnn.ilmpq",
				new HlsProjectGenerator.Weights.Exported(export)), directory);
		assertTrue(HlsProject.passes(project).startsWith("PASS: fashion_cnn matches golden.txt bit for bit: 8 stored "
				+ "tensors"));
		HlsProject.assertTrafficAndCyclesAreTheModels(fixture, spec, project);
	}
}
