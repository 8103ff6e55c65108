package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * The learning rate of train --schedule and --warmup, batch by batch: the factor of the peak rate at each batch of
 * a run of 4 epochs of 2 batches.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class LearningRateScheduleTest {

	@Inject
	private SpecFixture fixture;

	@TempDir
	Path directory;

	private Path quant;

	@BeforeEach
	void generate() {
		quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
	}

	/** The factors of batches 0 to 7 under a schedule and a warm-up, rounded to 4 places. */
	private String factors(String schedule, int warmupEpochs) {
		SystemPython.script(quant, "factors.py", """
				import sys
				import ilmpq_train
				at = ilmpq_train.learning_rate_factor(ilmpq_train.parse_schedule(sys.argv[1]), int(sys.argv[2]), 4, 2)
				print(" ".join("%.4f" % at(batch) for batch in range(8)))
				""");
		return SystemPython.run(quant, 60, "factors.py", schedule, Integer.toString(warmupEpochs)).strip();
	}

	@Test
	void cosineFallsFromThePeakTowardsZeroOverTheRun() {
		assertEquals("1.0000 0.9619 0.8536 0.6913 0.5000 0.3087 0.1464 0.0381", factors("cosine", 0));
	}

	@Test
	void aWarmUpRisesLinearlyThenTheCosineTakesTheRestOfTheRun() {
		assertEquals("0.5000 1.0000 1.0000 0.9330 0.7500 0.5000 0.2500 0.0670", factors("cosine", 1));
	}

	@Test
	void aStepScheduleMultipliesAtTheEpochsNamed() {
		assertEquals("1.0000 1.0000 0.5000 0.5000 0.5000 0.5000 0.2500 0.2500", factors("step:1,3:0.5", 0));
	}

	@Test
	void aStepScheduleDividesByTenUnlessToldOtherwise() {
		assertEquals("1.0000 1.0000 1.0000 1.0000 0.1000 0.1000 0.1000 0.1000", factors("step:2", 0));
	}

	@Test
	void constantKeepsThePeak() {
		assertEquals("1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000", factors("constant", 0));
	}
}
