package org.ilmpq.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.AnnotationModel;
import org.ilmpq.dsl.ui.bridge.IssueAnnotation;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.ReconciledViews;
import org.ilmpq.dsl.ui.bridge.XtextLanguage;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;

import com.google.inject.Injector;

/**
 * Times what the workbench editor does after a one-character edit of examples/resnet50-xc7z045.ilmpq, with the
 * editor's own classes (the bridge's reconciling strategy on a JFace document and annotation model, no display):
 * reparse the text, run the fast checks, replace the problem annotations, and compute what the editor then shows
 * (outline symbols, semantic highlights, folding ranges). Target: under 50 ms median, warm.
 * <p>
 * The edits alternate, as typing does, between a valid and an invalid text: a blank typed after a comma and taken
 * away, and the last digit of the split's first share changed (65 to 66 %: an error, the shares add up to 101 %) and
 * back.
 */
public final class RevalidationBenchmark {

	public static void main(String[] args) throws IOException {
		EditorBenchmarkRun run = EditorBenchmarkRun.of(args, 200, 200);
		Path spec = run.spec();
		String text = run.text();
		int runs = run.runs();
		int warmup = run.warmup();
		XtextLanguage language = new HeadlessLanguage();
		Injector injector = language.injector();

		int blank = text.indexOf(", ") + 1;
		java.util.regex.Matcher firstShare = java.util.regex.Pattern.compile("split (\\d+) %").matcher(text);
		if (blank <= 0 || !firstShare.find()) {
			throw new IllegalStateException(spec + " has no ', ' or no split to edit");
		}
		int share = firstShare.end(1) - 1;
		char digit = text.charAt(share);
		char other = digit == '9' ? '8' : (char) (digit + 1);
		Document document = new Document(text);
		AnnotationModel annotations = new AnnotationModel();
		ParsedDocument parsed = new ParsedDocument(injector, URI.createURI("bench.ilmpq"));
		XtextReconcilingStrategy strategy = new XtextReconcilingStrategy(language, parsed, () -> annotations);
		ReconciledViews views = new ReconciledViews(language);
		ReconciledViews.Views[] shown = new ReconciledViews.Views[1];
		// what IlmpqEditor computes after each validation, before it hands it to the UI thread
		strategy.addListener((state, monitor) -> shown[0] = views.compute(state, monitor::isCanceled));
		strategy.setDocument(document);
		strategy.setProgressMonitor(new NullProgressMonitor());

		long start = System.nanoTime();
		strategy.initialReconcile();
		System.out.printf("first validation of the opened file (cold JVM): %.0f ms, %d problems%n",
				(System.nanoTime() - start) / 1e6, problems(annotations));

		String[] edits = { "blank", "share" };
		for (String edit : edits) {
			List<Double> times = new ArrayList<>();
			int problemsWhenInvalid = -1;
			for (int i = 0; i < warmup + runs; i++) {
				boolean forward = i % 2 == 0;
				try {
					if (edit.equals("blank")) {
						document.replace(blank, forward ? 0 : 1, forward ? " " : "");
					} else {
						document.replace(share, 1, String.valueOf(forward ? other : digit));
					}
				} catch (org.eclipse.jface.text.BadLocationException e) {
					throw new IllegalStateException(e);
				}
				long t0 = System.nanoTime();
				strategy.reconcile();
				long t1 = System.nanoTime();
				if (i >= warmup) {
					times.add((t1 - t0) / 1e6);
				}
				if (forward && edit.equals("share")) {
					problemsWhenInvalid = problems(annotations);
				}
			}
			if (!document.get().equals(text)) {
				throw new IllegalStateException("the edits did not cancel out");
			}
			if (edit.equals("share") && problemsWhenInvalid != 1) {
				throw new IllegalStateException("the invalid split gave " + problemsWhenInvalid + " problems, not 1");
			}
			System.out.println("one-character edit (" + (edit.equals("blank") ? "a blank typed and deleted"
					: "a share's last digit changed and back, every other text with an error") + "): "
					+ EditorBenchmarkRun.summary(times) + " (target: median under 50 ms)");
		}
		System.out.printf("each validation also gave the editor %d outline roots, %d semantic highlights, %d folds%n",
				shown[0].symbols().size(), shown[0].highlights().size(), shown[0].folds().size());
	}

	private static int problems(AnnotationModel annotations) {
		int count = 0;
		for (Iterator<Annotation> it = annotations.getAnnotationIterator(); it.hasNext();) {
			if (it.next() instanceof IssueAnnotation) {
				count++;
			}
		}
		return count;
	}
}
