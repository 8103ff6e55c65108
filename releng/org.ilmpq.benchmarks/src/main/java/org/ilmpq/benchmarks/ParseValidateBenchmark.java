package org.ilmpq.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.diagnostics.Severity;
import org.ilmpq.dsl.IlmpqStandaloneSetup;

import com.google.inject.Injector;

/**
 * Times what the editor and {@code ilmpq validate} do with a spec: parse it into a fresh resource set and run
 * the full validation (linking, every check, lowering, shape inference). Two inputs:
 * <ul>
 * <li>examples/resnet50-xc7z045.ilmpq, warm: after warm-up runs, the median of repeated runs (target: 100 ms);</li>
 * <li>a generated chain of conv / batchnorm / relu layers (10,000 by default), run by run from the first, with
 * the peak heap of each run (targets: 3 s, 1 GiB).</li>
 * </ul>
 * Every run must find the spec free of errors, so that the figures time the real path.
 */
public final class ParseValidateBenchmark {

	private final Injector injector = new IlmpqStandaloneSetup().createInjectorAndDoEMFRegistration();
	private final IResourceValidator validator = injector.getInstance(IResourceValidator.class);

	public static void main(String[] args) throws IOException {
		Path repository = Path.of(".");
		int runs = 20;
		int warmup = 20;
		int layers = 10_000;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--repository" -> repository = Path.of(args[++i]);
			case "--runs" -> runs = Integer.parseInt(args[++i]);
			case "--warmup" -> warmup = Integer.parseInt(args[++i]);
			case "--layers" -> layers = Integer.parseInt(args[++i]);
			default -> throw new IllegalArgumentException("unknown argument " + args[i]);
			}
		}
		ParseValidateBenchmark benchmark = new ParseValidateBenchmark();
		System.out.printf("java %s, %d processors, max heap %d MiB%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

		String resnet50 = Files.readString(repository.resolve("examples/resnet50-xc7z045.ilmpq"));
		for (int i = 0; i < warmup; i++) {
			benchmark.parseAndValidate(resnet50);
		}
		List<Double> warm = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			warm.add(benchmark.timed(resnet50).millis);
		}
		report("resnet50, warm (" + warmup + " warm-up runs)", warm);

		String chain = chain(layers);
		List<Double> chainTimes = new ArrayList<>();
		long peak = 0;
		for (int i = 0; i < Math.max(3, runs / 4); i++) {
			Measurement m = benchmark.timed(chain);
			chainTimes.add(m.millis);
			peak = Math.max(peak, m.peakHeap);
		}
		System.out.printf("  first run of the %,d-layer chain (cold for this input): %.0f ms%n", layers,
				chainTimes.get(0));
		report(String.format("%,d-layer chain", layers), chainTimes);
		System.out.printf("  peak heap during a %,d-layer run: %d MiB%n", layers, peak >> 20);
	}

	/** A chain of {@code layers} layers: conv, batchnorm, relu, conv, ... on a 16 x 32 x 32 input. */
	static String chain(int layers) {
		StringBuilder spec = new StringBuilder("""
				network chain

				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}

				input x: 16 x 32 x 32
				""");
		String previous = "x";
		for (int i = 0; i < layers; i++) {
			String name = "l" + i;
			String op = switch (i % 3) {
			case 0 -> "conv(" + previous + ", out=16, kernel=3, padding=1, bias=false)";
			case 1 -> "batchnorm(" + previous + ")";
			default -> "relu(" + previous + ")";
			};
			spec.append(name).append(" = ").append(op).append('\n');
			previous = name;
		}
		return spec.append("output ").append(previous).append('\n').toString();
	}

	record Measurement(double millis, long peakHeap) {
	}

	Measurement timed(String spec) {
		List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
				.filter(p -> p.getType() == MemoryType.HEAP).toList();
		System.gc();
		heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
		long start = System.nanoTime();
		parseAndValidate(spec);
		double millis = (System.nanoTime() - start) / 1e6;
		long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
		return new Measurement(millis, peak);
	}

	void parseAndValidate(String spec) {
		XtextResourceSet resourceSet = injector.getInstance(XtextResourceSet.class);
		Resource resource = resourceSet.createResource(URI.createURI("benchmark.ilmpq"));
		try {
			resource.load(new ByteArrayInputStream(spec.getBytes(StandardCharsets.UTF_8)),
					Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		List<Issue> issues = validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl);
		if (issues.stream().anyMatch(issue -> issue.getSeverity() == Severity.ERROR)) {
			throw new IllegalStateException("the benchmark input has errors: " + issues);
		}
	}

	private static void report(String what, List<Double> millis) {
		List<Double> sorted = new ArrayList<>(millis);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		System.out.printf("%s: median %.1f ms, min %.1f ms, max %.1f ms over %d runs%n", what, median, sorted.get(0),
				sorted.get(n - 1), n);
	}
}
