package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the generated script's {@code train} command and reads the accuracy it reports. */
final class TrainingRuns {

	private static final Pattern ACCURACY = Pattern.compile("\"accuracy\": ([0-9.]+)");

	private TrainingRuns() {
	}

	/**
	 * Trains with one quantization ({@code float}, {@code spec}, {@code fixed4}, ...) and returns the test accuracy
	 * in percent; the checkpoint is {@code <quantization>.pt} beside the script.
	 */
	static double train(Path quant, String module, String data, String quantization, int timeoutSeconds,
			String... options) {
		Path result = quant.resolve(quantization + ".json");
		List<String> args = new ArrayList<>(List.of(module + ".py", "train", "--data", data, "--quantization",
				quantization, "--seed", "0", "--device", "cpu", "--checkpoint", quantization + ".pt", "--result",
				result.toString()));
		args.addAll(List.of(options));
		SystemPython.run(quant, timeoutSeconds, args.toArray(String[]::new));
		try {
			Matcher matcher = ACCURACY.matcher(Files.readString(result));
			assertTrue(matcher.find(), result.toString());
			return Double.parseDouble(matcher.group(1));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A data loader of examples/data, as --data takes it. */
	static String data(String file) {
		return org.ilmpq.dsl.tests.SpecFixture.repository().resolve("examples/data").resolve(file) + ":datasets";
	}
}
