package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Debian's system Python, which has Debian's python3-torch, python3-sklearn and python3-pyflakes (.ci/run
 * installs them; -Dilmpq.python names another interpreter). A test that needs it fails, naming the packages,
 * where it is missing: the generated script is only known to work where it ran.
 */
final class SystemPython {

	static final String EXECUTABLE = System.getProperty("ilmpq.python", "/usr/bin/python3");

	private SystemPython() {
	}

	/** Runs {@code python3 ARGS} in a folder; returns its output (stdout and stderr) when it exits 0, else fails. */
	static String run(Path folder, int timeoutSeconds, String... args) {
		return run(folder, timeoutSeconds, true, args);
	}

	/** Runs {@code python3 ARGS} in a folder, expecting it to fail; returns its output. */
	static String runFailing(Path folder, int timeoutSeconds, String... args) {
		return run(folder, timeoutSeconds, false, args);
	}

	private static String run(Path folder, int timeoutSeconds, boolean succeeds, String... args) {
		List<String> command = new ArrayList<>();
		command.add(EXECUTABLE);
		command.addAll(List.of(args));
		ExternalCommand.Result result = ExternalCommand.run(folder, timeoutSeconds, "install Debian's python3, "
				+ "python3-torch, python3-sklearn, python3-pyflakes, dataset-fashion-mnist", command);
		if ((result.exitCode() == 0) != succeeds) {
			fail(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
		}
		return result.output();
	}

	/** Writes a Python script into a folder and returns its path. */
	static Path script(Path folder, String name, String text) {
		try {
			return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
		} catch (IOException e) {
			return fail(e.toString());
		}
	}
}
