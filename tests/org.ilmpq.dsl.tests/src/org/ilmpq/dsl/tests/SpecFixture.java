package org.ilmpq.dsl.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.validation.ValidatorFailures;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Parses specs given inline and lists what validation says about them, one line per issue, in document order:
 * {@code "error 12:5 split-sum: the shares of a split add up to 100 %, these to 95 %"}, so that a test can spell
 * out the complete, exact outcome.
 */
public class SpecFixture {

	private static final String ISSUE_CODE_PREFIX = "org.ilmpq.";

	/** Where an inline spec is: among the examples. */
	private static final URI INLINE = URI.createFileURI(repository().resolve("examples/inline.ilmpq").toString());

	@Inject
	private ParseHelper<Spec> parser;

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private IResourceValidator validator;

	@Inject
	private SpecAnalyzer analyzer;

	@Inject
	private ValidatorFailures failures;

	/**
	 * A spec of network {@code n} whose quantization section gives every layer {@code fixed 8}, then
	 * {@code body} from line 5 on: a test about {@code body} then sees only what {@code body} does wrong.
	 */
	public static String network(String body) {
		return """
				network n
				quantization {
				    split fixed 8
				}
				""" + body;
	}

	/**
	 * The spec of {@code text}, as if it were a file of {@code examples/}: it may import the examples' libraries
	 * ({@code import "resnet-blocks.ilmpq"}), so that an example read as text parses as its file does.
	 */
	public Spec parse(String text) {
		try {
			return parser.parse(text, INLINE, resourceSets.get());
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Every issue the checks that run while typing find, in document order, as "severity line:column code:
	 * message". The hardware checks, which search over designs, run on save: see {@link #issuesOnSave(String)}.
	 */
	public List<String> issues(String text) {
		return issues(parse(text));
	}

	public List<String> issues(Spec spec) {
		return describe(checked(validator.validate(spec.eResource(), CheckMode.FAST_ONLY, CancelIndicator.NullImpl)));
	}

	/** Every issue of every check, the hardware ones included: what saving in the editor or the command line finds. */
	public List<String> issuesOnSave(String text) {
		return describe(validate(parse(text).eResource()));
	}

	/** Every issue of every check of the spec file {@code file}, loaded as the command line loads it. */
	public List<String> issuesOnSave(Path file) {
		return describe(validate(load(file).eResource()));
	}

	/** The spec file {@code file}, in a resource set of its own (where its imports are loaded on demand). */
	public Spec load(Path file) {
		return (Spec) resourceSets.get().getResource(URI.createFileURI(file.toAbsolutePath().toString()), true)
				.getContents().get(0);
	}

	private static List<String> describe(List<Issue> issues) {
		return issues.stream()
				.sorted(Comparator.comparing(Issue::getLineNumber).thenComparing(Issue::getColumn)
						.thenComparing(Issue::getMessage))
				.map(SpecFixture::describe).toList();
	}

	/** The errors while typing only, in the same form. */
	public List<String> errors(String text) {
		return issues(text).stream().filter(line -> line.startsWith("error")).toList();
	}

	public SpecAnalysis analyze(String text) {
		return analyzer.analyze(parse(text));
	}

	public List<Issue> validate(Resource resource) {
		return checked(validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl));
	}

	/** The issues, unless a check threw while finding them: that is a bug, and fails the test that met it. */
	private List<Issue> checked(List<Issue> issues) {
		List<ValidatorFailures.Failure> thrown = failures.takeAll();
		if (!thrown.isEmpty()) {
			throw new AssertionError(thrown.get(0).describe(), thrown.get(0).exception());
		}
		return issues;
	}

	/** A file of the repository, e.g. {@code examples/resnet18-xc7z020.ilmpq}. */
	public static String read(String path) {
		try {
			return Files.readString(repository().resolve(path), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The repository root: the build passes it as a system property; from an IDE, the working directory's. */
	public static Path repository() {
		String configured = System.getProperty("ilmpq.repository");
		if (configured != null) {
			return Path.of(configured);
		}
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("cannot find the repository: set -Dilmpq.repository");
		}
		return dir;
	}

	static String describe(Issue issue) {
		String code = issue.getCode() == null ? "" : issue.getCode();
		if (code.startsWith(ISSUE_CODE_PREFIX)) {
			code = code.substring(ISSUE_CODE_PREFIX.length());
		} else if (code.equals(Diagnostic.SYNTAX_DIAGNOSTIC)) {
			code = "syntax";
		} else if (code.equals(Diagnostic.LINKING_DIAGNOSTIC)) {
			code = "linking";
		}
		return issue.getSeverity().name().toLowerCase() + " " + issue.getLineNumber() + ":" + issue.getColumn() + " "
				+ code + ": " + issue.getMessage();
	}
}
