package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

	/** Runs {@code python3 ARGS} with these variables in its environment; returns its output when it exits 0. */
	static String run(Path folder, int timeoutSeconds, Map<String, String> environment, String... args) {
		return run(folder, timeoutSeconds, true, environment, args);
	}

	/** Runs {@code python3 ARGS} in a folder, expecting it to fail; returns its output. */
	static String runFailing(Path folder, int timeoutSeconds, String... args) {
		return run(folder, timeoutSeconds, false, args);
	}

	private static String run(Path folder, int timeoutSeconds, boolean succeeds, String... args) {
		return run(folder, timeoutSeconds, succeeds, Map.of(), args);
	}

	private static String run(Path folder, int timeoutSeconds, boolean succeeds, Map<String, String> environment,
			String... args) {
		List<String> command = new ArrayList<>();
		command.add(EXECUTABLE);
		command.addAll(List.of(args));
		ExternalCommand.Result result = ExternalCommand.run(folder, timeoutSeconds, "install Debian's python3, "
				+ "python3-torch, python3-sklearn, python3-pyflakes, dataset-fashion-mnist", command, environment);
		if ((result.exitCode() == 0) != succeeds) {
			fail(String.join(" ", command) + (environment.isEmpty() ? "" : " with " + environment) + " exited "
					+ result.exitCode() + ":\n" + result.output());
		}
		return result.output();
	}

	/** Runs {@code python3 ARGS} with these variables in its environment, expecting it to fail; returns its output. */
	static String runFailing(Path folder, int timeoutSeconds, Map<String, String> environment, String... args) {
		return run(folder, timeoutSeconds, false, environment, args);
	}

	/**
	 * Runs {@code python3 ARGS} as the {@code processes} ranks of a distributed run on this machine, started as
	 * torchrun starts them: one process per rank with RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR,
	 * MASTER_PORT and OMP_NUM_THREADS=1 in its environment. Returns each rank's output once all have exited 0.
	 */
	static List<String> runRanks(Path folder, int timeoutSeconds, int processes, String... args) {
		int port = freePort();
		// a thread per rank: the ranks wait for each other, so a shared pool smaller than the world would hang
		ExecutorService threads = Executors.newFixedThreadPool(processes);
		List<CompletableFuture<String>> ranks = new ArrayList<>();
		for (int rank = 0; rank < processes; rank++) {
			Map<String, String> environment = Map.of("RANK", Integer.toString(rank), "WORLD_SIZE",
					Integer.toString(processes), "LOCAL_RANK", Integer.toString(rank), "LOCAL_WORLD_SIZE",
					Integer.toString(processes), "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port),
					"OMP_NUM_THREADS", "1");
			ranks.add(CompletableFuture.supplyAsync(() -> run(folder, timeoutSeconds, true, environment, args),
					threads));
		}
		try {
			return ranks.stream().map(CompletableFuture::join).toList();
		} catch (CompletionException e) {
			if (e.getCause() instanceof AssertionError failure) {
				throw failure;
			}
			throw e;
		} finally {
			threads.shutdown();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		} catch (IOException e) {
			return fail(e.toString());
		}
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
