package org.ilmpq.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.source.AnnotationModel;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.XtextLanguage;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.design.DesignEstimator;
import org.ilmpq.dsl.ui.design.DesignInputs;

import com.google.inject.Injector;

/**
 * Times what the workbench's Design view does after a keystroke in examples/resnet50-xc7z045.ilmpq, with the
 * view's own classes and no display: after the editor's validation (the reconciling strategy, timed too), the
 * view's listener takes the model's inputs from the validated resource ({@link DesignInputs}), then its job searches
 * the design ({@link DesignEstimator#estimate}: what the view shows first) and the optimiser's split
 * ({@link DesignEstimator#optimise}: shown when it arrives). Target: inputs + design under 300 ms median, warm.
 * <p>
 * Each edit changes conv1's output channels to a value not seen before (64, 65, 66, ...), so that every design is a
 * new search: the model remembers its last eight answers, and an edit that leaves the workload as it was (a comment,
 * a name) costs no search at all, which would flatter the figure.
 */
public final class DesignViewBenchmark {

	public static void main(String[] args) throws IOException, BadLocationException {
		EditorBenchmarkRun run = EditorBenchmarkRun.of(args, 30, 10);
		Path spec = run.spec();
		String text = run.text();
		int runs = run.runs();
		int warmup = run.warmup();
		XtextLanguage language = new HeadlessLanguage();
		Injector injector = language.injector();
		String channels = "conv1 = conv(image, out=";
		int at = text.indexOf(channels);
		if (at < 0) {
			throw new IllegalStateException(spec + " has no '" + channels + "'");
		}
		int start = at + channels.length();
		int end = text.indexOf(',', start);

		Document document = new Document(text);
		ParsedDocument parsed = new ParsedDocument(injector, URI.createURI("bench.ilmpq"));
		XtextReconcilingStrategy strategy = new XtextReconcilingStrategy(language, parsed, AnnotationModel::new);
		DesignInputs[] inputs = new DesignInputs[1];
		long[] inputNanos = new long[1];
		// what DesignView's listener does on the reconciler's thread
		strategy.addListener((state, monitor) -> {
			long t0 = System.nanoTime();
			inputs[0] = DesignInputs.of(state, injector);
			inputNanos[0] = System.nanoTime() - t0;
		});
		strategy.setDocument(document);
		strategy.setProgressMonitor(new NullProgressMonitor());
		DesignEstimator estimator = new DesignEstimator(injector.getInstance(HardwareAnalyzer.class),
				injector.getInstance(DeviceLibrary.class));

		List<Double> validation = new ArrayList<>();
		List<Double> taking = new ArrayList<>();
		List<Double> design = new ArrayList<>();
		List<Double> update = new ArrayList<>();
		List<Double> optimiser = new ArrayList<>();
		String fps = "";
		for (int i = 0; i < warmup + runs; i++) {
			String value = String.valueOf(64 + i);
			document.replace(start, end - start, value);
			end = start + value.length();
			long t0 = System.nanoTime();
			strategy.reconcile();
			long t1 = System.nanoTime();
			if (inputs[0] == null || inputs[0].hardware().isEmpty()) {
				throw new IllegalStateException("no estimate for out=" + value + ": "
						+ (inputs[0] == null ? "no validation" : inputs[0].unavailable()));
			}
			DesignEstimator.Estimate estimate = estimator.estimate(inputs[0], Optional.empty());
			long t2 = System.nanoTime();
			DesignEstimator.Optimum optimum = estimator.optimise(estimate);
			long t3 = System.nanoTime();
			if (i >= warmup) {
				validation.add((t1 - t0) / 1e6);
				taking.add(inputNanos[0] / 1e6);
				design.add((t2 - t1) / 1e6);
				update.add((inputNanos[0] + t2 - t1) / 1e6);
				optimiser.add((t3 - t2) / 1e6);
			}
			fps = String.format(java.util.Locale.ROOT, "%.1f fps with %s channels, optimiser %s", estimate.design()
					.orElseThrow().fps(), value, optimum.better().map(b -> "prefers " + b.split()).orElse("agrees"));
		}
		System.out.println("the editor's validation (fast checks): " + EditorBenchmarkRun.summary(validation));
		System.out.println("the view's inputs, taken in the validation's listener: "
				+ EditorBenchmarkRun.summary(taking));
		System.out.println("the design search in the view's job: " + EditorBenchmarkRun.summary(design));
		System.out.println("the view's update after the validation: inputs + design: "
				+ EditorBenchmarkRun.summary(update) + " (target: median under 300 ms)");
		System.out.println("the optimiser's split, shown after the design: "
				+ EditorBenchmarkRun.summary(optimiser));
		System.out.println("last edit: " + fps);
	}
}
