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
}
