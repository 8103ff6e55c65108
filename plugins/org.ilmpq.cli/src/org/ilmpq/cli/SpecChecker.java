package org.ilmpq.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.scoping.LibraryImports;
import org.ilmpq.dsl.validation.ValidatorFailures;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Reads a spec file and runs the full validation on it, exactly as the editor does, and on the libraries it imports.
 * Each file gets a resource set of its own, so files see only what they import.
 */
public class SpecChecker {

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private IResourceValidator validator;

	@Inject
	private ValidatorFailures failures;

	@Inject
	private LibraryImports imports;

	public SpecCheck check(String file) {
		Path path = Path.of(file);
		byte[] bytes;
		try {
			if (Files.isDirectory(path)) {
				return SpecCheck.unreadable(file, "is a directory, not a spec file");
			}
			bytes = Files.readAllBytes(path);
			StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes));
		} catch (NoSuchFileException e) {
			return SpecCheck.unreadable(file, "no such file");
		} catch (AccessDeniedException e) {
			return SpecCheck.unreadable(file, "permission denied");
		} catch (CharacterCodingException e) {
			return SpecCheck.unreadable(file, "is not UTF-8 text");
		} catch (IOException e) {
			return SpecCheck.unreadable(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
		}
		return check(file, bytes);
	}

	/**
	 * Validates a spec's text that is not on disk yet (what {@code ilmpq import} would write to {@code file}), as if
	 * it were that file.
	 */
	public SpecCheck checkText(String file, String text) {
		return check(file, text.getBytes(StandardCharsets.UTF_8));
	}

	private SpecCheck check(String file, byte[] bytes) {
		Path path = Path.of(file);
		XtextResourceSet resourceSet = resourceSets.get();
		Resource resource = resourceSet.createResource(URI.createFileURI(path.toAbsolutePath().toString()));
		try {
			resource.load(new ByteArrayInputStream(bytes), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} catch (IOException e) {
			return SpecCheck.unreadable(file, e.getMessage());
		}
		failures.takeAll(); // what an earlier file left
		List<Diagnostic> diagnostics = new ArrayList<>(diagnostics(file, resource));
		// the libraries it imports, at any depth, each under its own path: a network is no better than its blocks
		for (Resource library : imports.importedLibraries(resource)) {
			diagnostics.addAll(diagnostics(pathAsGiven(file, library.getURI()), library));
		}
		List<String> internalErrors = failures.takeAll().stream().map(ValidatorFailures.Failure::describe).toList();
		Optional<Spec> spec = resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Spec)
				? Optional.empty()
				: Optional.of((Spec) resource.getContents().get(0));
		return new SpecCheck(file, diagnostics, spec, Optional.empty(), internalErrors);
	}

	private List<Diagnostic> diagnostics(String file, Resource resource) {
		List<Issue> issues = validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl);
		return issues.stream().map(issue -> Diagnostic.of(file, issue))
				.sorted(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column)
						.thenComparing(Diagnostic::message))
				.toList();
	}

	/** A library's path as the user would write it: relative to the working directory when the spec's path is. */
	private static String pathAsGiven(String file, URI library) {
		if (!library.isFile()) {
			return library.toString();
		}
		Path path = Path.of(library.toFileString());
		if (Path.of(file).isAbsolute()) {
			return path.toString();
		}
		try {
			return Path.of("").toAbsolutePath().relativize(path).toString();
		} catch (IllegalArgumentException otherRoot) {
			return path.toString();
		}
	}
}
