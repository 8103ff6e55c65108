package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.inject.Inject;

/**
 * The learning rate of train --schedule and --warmup, batch by batch: the factor of the peak rate at each of the 8
 * batches of a run of 4 epochs of 2 batches, rounded to 4 places.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearningRateScheduleTest {

	/** Prints the factors of batches 0 to 7 under the schedule argv[1] with argv[2] epochs of warm-up. */
	private static final String FACTORS = """
			import sys
			import ilmpq_train

			at = ilmpq_train.learning_rate_factor(ilmpq_train.parse_schedule(sys.argv[1]), int(sys.argv[2]), 4, 2)
			print(" ".join("%.4f" % at(batch) for batch in range(8)))
			""";

	@Inject
	private SpecFixture fixture;

	private Path quant;

	@BeforeAll
	void writeTheScriptAndTheProbe(@TempDir Path directory) {
		quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
		SystemPython.script(quant, "factors.py", FACTORS);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cosine falls from the peak towards zero over the run | cosine       | 0 | 1.0000 0.9619 0.8536 0.6913 0.5000 0.3087 0.1464 0.0381
			a warm-up rises linearly, then cosine takes the rest  | cosine       | 1 | 0.5000 1.0000 1.0000 0.9330 0.7500 0.5000 0.2500 0.0670
			step multiplies by its factor at the epochs named     | step:1,3:0.5 | 0 | 1.0000 1.0000 0.5000 0.5000 0.5000 0.5000 0.2500 0.2500
			step divides by ten unless told otherwise             | step:2       | 0 | 1.0000 1.0000 1.0000 1.0000 0.1000 0.1000 0.1000 0.1000
			constant keeps the peak                               | constant     | 0 | 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000
			""")
	void theLearningRateFollowsTheSchedule(String behaviour, String schedule, int warmupEpochs, String factors) {
		assertEquals(factors, SystemPython.run(quant, 60, "factors.py", schedule, Integer.toString(warmupEpochs))
				.strip());
	}
}
