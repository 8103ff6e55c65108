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

/** The generated script's command line on bad input: one line saying what is wrong, exit status 1, no traceback. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ScriptCommandLineTest {

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

	private String fails(String... args) {
		String[] command = new String[args.length + 1];
		command[0] = "digits_cnn.py";
		System.arraycopy(args, 0, command, 1, args.length);
		return SystemPython.runFailing(quant, 120, command);
	}

	@Test
	void aSchemeWidthTheSchemeDoesNotHaveIsRefused() {
		assertEquals("error: --quantization pot9: pot takes 2 to 5 bits\n",
				fails("train", "--quantization", "pot9", "--data", TrainingRuns.data("digits.py")));
	}

	@Test
	void aMissingDataFileIsNamed() {
		assertEquals("error: --data nowhere.py:datasets: no file nowhere.py\n",
				fails("train", "--data", "nowhere.py:datasets"));
	}

	@Test
	void aModuleThatCannotBeImportedIsNamed() {
		assertEquals("error: --data no_such_module:datasets: cannot import no_such_module: No module named "
				+ "'no_such_module'\n", fails("train", "--data", "no_such_module:datasets"));
	}

	@Test
	void aMissingCheckpointIsNamed() {
		assertEquals("error: no checkpoint missing.pt (train writes one)\n",
				fails("export", "--checkpoint", "missing.pt"));
	}

	@Test
	void aFileThatIsNoCheckpointIsRefused() {
		SystemPython.script(quant, "not-a-checkpoint.pt", "text");
		String output = fails("export", "--checkpoint", "not-a-checkpoint.pt");
		assertEquals(true, output.startsWith("error: not-a-checkpoint.pt is not an ILMPQ checkpoint: "), output);
		assertEquals(1, output.lines().count(), output);
	}

	@Test
	void aBatchSizeBelowOneIsAUsageError() {
		String output = SystemPython.runFailing(quant, 120, "digits_cnn.py", "train", "--batch-size", "0");
		assertEquals(true, output.endsWith("argument --batch-size: must be at least 1, not 0\n"), output);
	}

	@Test
	void aResumedRunRefusesAnOptionThatWouldChangeTheRun() {
		SystemPython.run(quant, 120, "digits_cnn.py", "train", "--data", TrainingRuns.data("digits.py"), "--device",
				"cpu", "--epochs", "2", "--stop-after", "1");
		assertEquals("error: --resume digits_cnn.pt: --lr 0.1 (the run has 0.001); leave them out to continue the run, "
				+ "or start a new run\n", fails("train", "--resume", "digits_cnn.pt", "--lr", "0.1"));
	}

	@Test
	void aCheckpointWithoutTrainingStateCannotBeResumed() {
		SystemPython.run(quant, 120, "digits_cnn.py", "train", "--data", TrainingRuns.data("digits.py"), "--device",
				"cpu", "--epochs", "1");
		SystemPython.run(quant, 120, "digits_cnn.py", "calibrate", "--data", TrainingRuns.data("digits.py"), "--device",
				"cpu", "--checkpoint", "digits_cnn.pt");
		assertEquals("error: --resume digits_cnn.pt: the checkpoint has no training state (calibrate writes such "
				+ "checkpoints; train writes resumable ones)\n", fails("train", "--resume", "digits_cnn.pt"));
	}

	@Test
	void aWorldSizeWithoutTheRestOfTheLaunchersVariablesIsNamed() {
		assertEquals("error: WORLD_SIZE is 2 but RANK, MASTER_ADDR and MASTER_PORT are not set: start each process "
				+ "with RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT, as torchrun does, or use train "
				+ "--nproc N\n", SystemPython.runFailing(quant, 120, java.util.Map.of("WORLD_SIZE", "2"),
						"digits_cnn.py", "train", "--data", TrainingRuns.data("digits.py")));
	}

	@Test
	void aGlobalBatchTheProcessesCannotShareIsRefusedOnce() {
		assertEquals("error: --batch-size 63 is the global batch, shared by 2 processes: give a multiple of 2\n",
				fails("train", "--data", TrainingRuns.data("digits.py"), "--nproc", "2", "--batch-size", "63"));
	}

	@Test
	void mixedPrecisionNeedsCuda() {
		assertEquals("error: --amp: automatic mixed precision needs a CUDA device, not cpu\n",
				fails("train", "--data", TrainingRuns.data("digits.py"), "--device", "cpu", "--amp"));
	}

	@Test
	void aStepScheduleNeedsIncreasingEpochs() {
		assertEquals("error: --schedule step:60,30: expected cosine, constant or step:EPOCH,EPOCH...[:FACTOR] with "
				+ "increasing epochs, such as step:30,60,80:0.1\n",
				fails("train", "--data", TrainingRuns.data("digits.py"), "--schedule", "step:60,30"));
	}
}
