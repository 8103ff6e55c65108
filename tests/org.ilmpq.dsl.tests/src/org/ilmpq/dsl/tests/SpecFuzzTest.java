package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.LazyStringInputStream;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.dsl.validation.ValidatorFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * A seeded mutation fuzzer over every example ({@link SpecMutator}), on every core: the mutants are checked in turn
 * as the command line checks a file (a fresh resource, every check) and as an editor or the language server checks
 * a document it holds (the resource of the thread's previous mutant of the example, reparsed with the new text,
 * every check). Neither may let an exception escape,
 * have a check throw, take longer than {@link #HANG} or give a diagnostic without a position in the text, a message
 * or with characters a terminal would act on. {@code -Dilmpq.fuzz.mutants=N} and {@code -Dilmpq.fuzz.seed=S} set
 * the run (releng/org.ilmpq.benchmarks/fuzz.sh runs a million); a failure names the seed and the mutant's index.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class SpecFuzzTest {

	/** Far beyond what a check of any example takes (a second for ResNet-50's hardware search): a hang. */
	private static final long HANG = 20;

	private static final int MUTANTS = Integer.getInteger("ilmpq.fuzz.mutants", 10_000);
	private static final long SEED = Long.getLong("ilmpq.fuzz.seed", 20261206L);

	/** How often a run says how far it got, in mutants. */
	private static final int PROGRESS = 50_000;

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private IResourceValidator validator;

	@Inject
	private ValidatorFailures failures;

	@Test
	void noMutantOfAnExampleCrashesHangsOrGivesAMalformedDiagnostic() throws Exception {
		List<Path> examples;
		try (Stream<Path> files = Files.list(SpecFixture.repository().resolve("examples"))) {
			examples = files.filter(p -> p.toString().endsWith(".ilmpq")).sorted().toList();
		}
		assertTrue(examples.size() >= 7, examples.toString());
		List<String> originals = new ArrayList<>();
		for (Path example : examples) {
			originals.add(Files.readString(example));
		}
		int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
		Worker[] running = new Worker[workers];
		ExecutorService pool = Executors.newFixedThreadPool(workers);
		long start = System.nanoTime();
		try {
			List<Future<Void>> done = new ArrayList<>();
			for (int w = 0; w < workers; w++) {
				running[w] = new Worker(w, workers, examples, originals);
				done.add(pool.submit(running[w]));
			}
			for (Future<Void> worker : done) {
				while (true) {
					try {
						worker.get(1, TimeUnit.SECONDS);
						break;
					} catch (TimeoutException stillRunning) {
						for (Worker w : running) {
							w.assertNotHung();
						}
					} catch (ExecutionException e) {
						if (e.getCause() instanceof AssertionError failure) {
							throw failure;
						}
						throw e;
					}
				}
			}
		} finally {
			pool.shutdownNow();
		}
		long[] nanos = new long[examples.size()];
		int checked = 0;
		for (Worker w : running) {
			checked += w.checked;
			for (int e = 0; e < nanos.length; e++) {
				nanos[e] += w.nanos[e];
			}
		}
		System.out.printf("fuzz: %,d mutants of %d examples (seed %d) on %d threads, in turn as a file and as a "
				+ "document, in %.1f s%n", checked, examples.size(), SEED, workers, (System.nanoTime() - start) / 1e9);
		for (int e = 0; e < examples.size(); e++) {
			System.out.printf("fuzz:   %s: %.1f s%n", examples.get(e).getFileName(), nanos[e] / 1e9);
		}
		assertTrue(checked == MUTANTS, checked + " of " + MUTANTS);
	}

	/**
	 * One thread's share: mutants w, w + n, w + 2n, ... (n threads), each from its own seed, so that mutant i is the
	 * same whatever the threads; in turn checked as a file and as this thread's document of its example.
	 */
	private final class Worker implements Callable<Void> {
		private final int first;
		private final int step;
		private final List<Path> examples;
		private final List<String> originals;
		private final XtextResource[] documents;
		private final long[] nanos;
		private volatile long checking;
		private volatile long since;
		private volatile String text = "";
		private int checked;

		Worker(int first, int step, List<Path> examples, List<String> originals) {
			this.first = first;
			this.step = step;
			this.examples = examples;
			this.originals = originals;
			this.documents = new XtextResource[examples.size()];
			this.nanos = new long[examples.size()];
			this.checking = -1;
		}

		@Override
		public Void call() throws IOException {
			for (int i = first; i < MUTANTS; i += step) {
				int e = i % examples.size();
				String name = examples.get(e).getFileName().toString();
				String mutant = new SpecMutator(SEED * 1_000_003L + i).mutate(originals.get(e));
				boolean asFile = (i / step) % 2 == 0;
				text = mutant;
				since = System.nanoTime();
				checking = i;
				List<Issue> issues;
				try {
					issues = asFile ? checkAsFile(name, mutant) : checkAsDocument(documents, e, name, mutant);
				} catch (RuntimeException | IOException | StackOverflowError thrown) {
					throw new AssertionError(replay(i, name) + " threw:\n" + mutant, thrown);
				}
				assertWellFormed(issues, mutant, i, name, asFile ? "as a file" : "as a document");
				nanos[e] += System.nanoTime() - since;
				checking = -1;
				checked++;
				if (first == 0 && (i / step) % (PROGRESS / step) == 0 && i > 0) {
					// a long run says how far it got, in case it is stopped
					System.out.printf("fuzz: about %,d of %,d mutants checked%n", i, MUTANTS);
				}
			}
			return null;
		}

		void assertNotHung() {
			long index = checking;
			if (index >= 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(HANG)) {
				fail(replay(index, examples.get((int) (index % examples.size())).getFileName().toString())
						+ " was still being checked after " + HANG + " s:\n" + text);
			}
		}
	}

	private List<Issue> checkAsFile(String name, String text) throws IOException {
		XtextResourceSet resourceSet = resourceSets.get();
		XtextResource resource = (XtextResource) resourceSet.createResource(besideTheExamples(name));
		resource.load(new LazyStringInputStream(text), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		return validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl);
	}

	/** A mutant is where its example is, so that its imports reach the examples' libraries as the example's do. */
	private static URI besideTheExamples(String name) {
		return URI.createFileURI(SpecFixture.repository().resolve("examples").resolve(name).toString());
	}

	/** What an editor does on a change: the resource it holds takes the document's new text. */
	private List<Issue> checkAsDocument(XtextResource[] documents, int example, String name, String text)
			throws IOException {
		if (documents[example] == null) {
			documents[example] = (XtextResource) resourceSets.get().createResource(besideTheExamples(name));
			documents[example].load(new LazyStringInputStream(text), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} else {
			documents[example].reparse(text);
		}
		return validator.validate(documents[example], CheckMode.ALL, CancelIndicator.NullImpl);
	}

	private void assertWellFormed(List<Issue> issues, String text, int index, String name, String how) {
		List<ValidatorFailures.Failure> thrown = failures.takeAll();
		if (!thrown.isEmpty()) {
			throw new AssertionError(replay(index, name) + " checked " + how + ": " + thrown.get(0).describe() + "\n"
					+ text, thrown.get(0).exception());
		}
		for (Issue issue : issues) {
			String problem = null;
			if (issue.getSeverity() == null || issue.getMessage() == null || issue.getMessage().isEmpty()) {
				problem = "no severity or message";
			} else if (issue.getLineNumber() == null || issue.getLineNumber() < 1 || issue.getColumn() == null
					|| issue.getColumn() < 1) {
				problem = "no position";
			} else if (issue.getOffset() == null || issue.getOffset() < 0 || issue.getLength() == null
					|| issue.getOffset() + issue.getLength() > text.length()) {
				problem = "a range outside the text";
			} else if (issue.getMessage().chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
				problem = "a message with control characters";
			}
			if (problem != null) {
				fail(replay(index, name) + " checked " + how + " gave " + problem + ": " + issue + "\n" + text);
			}
		}
	}

	private static String replay(long index, String name) {
		return "mutant " + index + " of " + name + " (seed " + SEED + ")";
	}
}
