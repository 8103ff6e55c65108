package org.ilmpq.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the workbench editor's benchmarks share: their arguments ({@code --repository DIR --runs N --warmup N}),
 * the spec they edit (examples/resnet50-xc7z045.ilmpq), the header line they print, and how they sum up times.
 */
record EditorBenchmarkRun(Path repository, int runs, int warmup, Path spec, String text) {

	/** The run {@code args} ask for, with these defaults; prints the machine and the spec. */
	static EditorBenchmarkRun of(String[] args, int defaultRuns, int defaultWarmup) throws IOException {
		Path repository = Path.of(".");
		int runs = defaultRuns;
		int warmup = defaultWarmup;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--repository" -> repository = Path.of(args[++i]);
			case "--runs" -> runs = Integer.parseInt(args[++i]);
			case "--warmup" -> warmup = Integer.parseInt(args[++i]);
			default -> throw new IllegalArgumentException("unknown argument " + args[i]);
			}
		}
		Path spec = repository.resolve("examples/resnet50-xc7z045.ilmpq");
		String text = Files.readString(spec, StandardCharsets.UTF_8);
		System.out.printf("java %s, %d processors; %s: %d lines%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), repository.relativize(spec), text.lines().count());
		return new EditorBenchmarkRun(repository, runs, warmup, spec, text);
	}

	/** Times in milliseconds as "median M ms, 90th percentile P ms, min A ms, max B ms over N runs". */
	static String summary(List<Double> millis) {
		List<Double> sorted = new ArrayList<>(millis);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return String.format(Locale.ROOT, "median %.1f ms, 90th percentile %.1f ms, min %.1f ms, max %.1f ms over %d runs",
				median, sorted.get((int) Math.floor(0.9 * (n - 1))), sorted.get(0), sorted.get(n - 1), n);
	}
}
