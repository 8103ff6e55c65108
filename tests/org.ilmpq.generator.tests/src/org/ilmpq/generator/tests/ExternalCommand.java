package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program the tests need (python3, make, g++) in a folder, with a time limit. */
final class ExternalCommand {

	/** How a command ended: its exit status and its output, stdout and stderr together. */
	record Result(int exitCode, String output) {
	}

	private ExternalCommand() {
	}

	/**
	 * Runs a command; fails the test when it cannot be started (naming what to install) or runs past the limit.
	 *
	 * @param missing what to install where the program is missing
	 */
	static Result run(Path folder, int timeoutSeconds, String missing, List<String> command) {
		return run(folder, timeoutSeconds, missing, command, Map.of());
	}

	/** Runs a command with these variables added to its environment. */
	static Result run(Path folder, int timeoutSeconds, String missing, List<String> command,
			Map<String, String> environment) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
			builder.environment().putAll(environment);
			Process process = builder.start();
			process.getOutputStream().close();
			// read while it runs, so that a full pipe cannot stall it
			StringBuilder output = new StringBuilder();
			Thread reader = new Thread(() -> {
				try {
					output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
				} catch (IOException e) {
					output.append(e);
				}
			});
			reader.start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				reader.join();
				fail(String.join(" ", command) + " ran longer than " + timeoutSeconds + " s:\n" + output);
			}
			reader.join();
			return new Result(process.exitValue(), output.toString());
		} catch (IOException e) {
			return fail("cannot run " + command.get(0) + " (" + missing + "; .ci/run installs it): " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return fail("interrupted");
		}
	}
}
