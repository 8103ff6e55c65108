package org.ilmpq.dsl.scoping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.xtext.EcoreUtil2;
import org.ilmpq.dsl.ilmpq.Import;
import org.ilmpq.dsl.ilmpq.Spec;

import com.google.inject.Singleton;

/**
 * Where the {@code import "blocks.ilmpq"} of a spec lead: the path resolved against the importing file (as
 * {@code #include "..."} is), in the importing file's resource set, so that the command line, the language server
 * and the editor all find the same file. Used by scoping ({@link LibraryGlobalScopeProvider}) and by validation,
 * which must agree on what an import names.
 */
@Singleton
public class LibraryImports {

	private static final Pattern WINDOWS_DRIVE = Pattern.compile("[A-Za-z]:/");

	/**
	 * The URI {@code path} names from {@code resource}: a path relative to the importing file, an absolute path
	 * ({@code /lib/blocks.ilmpq}, {@code C:\\lib\\blocks.ilmpq}), or a {@code file:} or {@code platform:} URI. Empty
	 * for anything else: a spec never makes the workbench open a connection ({@code http:}) or an archive.
	 */
	public Optional<URI> resolve(Resource resource, String path) {
		try {
			String slashed = path.replace('\\', '/');
			if (WINDOWS_DRIVE.matcher(slashed).lookingAt()) {
				return Optional.of(URI.createFileURI(slashed));
			}
			URI uri = URI.createURI(slashed);
			if (uri.scheme() != null && !uri.isFile() && !uri.isPlatform()) {
				return Optional.empty();
			}
			URI base = resource.getURI();
			if (uri.isRelative() && base != null && base.isHierarchical() && !base.isRelative()) {
				uri = uri.resolve(base);
			}
			return Optional.of(uri);
		} catch (IllegalArgumentException notAUri) {
			return Optional.empty();
		}
	}

	/** Whether the file exists (or is loaded already, as an editor's unsaved library is). */
	public boolean exists(Resource context, URI uri) {
		return context.getResourceSet() != null && EcoreUtil2.isValidUri(context, uri);
	}

	/** One spelling per file, so that {@code ./a.ilmpq} and {@code a.ilmpq} are one import. */
	public URI normalize(Resource context, URI uri) {
		ResourceSet resourceSet = context.getResourceSet();
		return resourceSet == null ? uri : resourceSet.getURIConverter().normalize(uri);
	}

	/** The spec of the file {@code uri}, loaded into {@code context}'s resource set; empty if it holds none. */
	public Optional<Spec> load(Resource context, URI uri) {
		ResourceSet resourceSet = context.getResourceSet();
		if (resourceSet == null) {
			return Optional.empty();
		}
		try {
			Resource resource = resourceSet.getResource(uri, true);
			return resource == null || resource.getContents().isEmpty()
					|| !(resource.getContents().get(0) instanceof Spec spec) ? Optional.empty() : Optional.of(spec);
		} catch (RuntimeException unreadable) {
			// EMF wraps the IOException of a directory, an unreadable file, a foreign scheme
			return Optional.empty();
		}
	}

	/**
	 * The existing {@code .ilmpq} file {@code anImport} names, normalized; empty for any other import (a missing
	 * file, another kind of file, no URI at all), which {@link org.ilmpq.dsl.validation.ImportValidator} reports.
	 */
	public Optional<URI> file(Import anImport) {
		Resource resource = anImport.eResource();
		String path = anImport.getImportURI();
		if (resource == null || path == null || !path.endsWith(".ilmpq")) {
			return Optional.empty();
		}
		return resolve(resource, path).filter(uri -> exists(resource, uri)).map(uri -> normalize(resource, uri));
	}

	/** The files that the spec {@code resource} imports and that exist, normalized, in the order written. */
	public List<URI> importedUris(Resource resource) {
		if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Spec spec)) {
			return List.of();
		}
		return spec.getImports().stream().map(this::file).flatMap(Optional::stream).distinct().toList();
	}

	/** The files that the file {@code of} imports, loading it into {@code context}'s resource set. */
	public List<URI> importedUris(Resource context, URI of) {
		return load(context, of).map(spec -> importedUris(spec.eResource())).orElse(List.of());
	}

	/**
	 * The libraries {@code resource} imports, directly or through other libraries, each once, in the order first
	 * met. An import of a missing file or of a network is left out: the importer's validation reports it.
	 */
	public List<Resource> importedLibraries(Resource resource) {
		List<Resource> libraries = new ArrayList<>();
		Set<URI> seen = new HashSet<>(Set.of(normalize(resource, resource.getURI())));
		Deque<Resource> pending = new ArrayDeque<>(List.of(resource));
		while (!pending.isEmpty()) {
			for (URI uri : importedUris(pending.poll())) {
				Optional<Spec> library = seen.add(uri) ? load(resource, uri) : Optional.empty();
				if (library.isPresent() && library.get().isLibrary()) {
					libraries.add(library.get().eResource());
					pending.add(library.get().eResource());
				}
			}
		}
		return libraries;
	}

	/** A file URI as a path, anything else as the URI. */
	public static String describe(URI uri) {
		return uri.isFile() ? uri.toFileString() : uri.toString();
	}
}
