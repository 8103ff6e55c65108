package org.ilmpq.dsl.scoping;

import java.util.LinkedHashSet;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;

import com.google.inject.Inject;

/**
 * What a spec sees beyond its own file: the blocks of the libraries it imports, and nothing else. Xtext's
 * {@link ImportUriGlobalScopeProvider} does the work (the index first, loading a file on demand where it has none,
 * as on the command line); only which files are imported is decided here, by {@link LibraryImports}: the spec's
 * own imports, not those of its libraries (a library's blocks see what it imports; a network sees what it imports),
 * and an import that names no file is left out rather than thrown on ({@link org.ilmpq.dsl.validation.ImportValidator}
 * reports it).
 */
public class LibraryGlobalScopeProvider extends ImportUriGlobalScopeProvider {

	@Inject
	private LibraryImports imports;

	@Inject
	private IResourceScopeCache cache;

	@Override
	protected LinkedHashSet<URI> getImportedUris(Resource resource) {
		return cache.get(Tuples.create(LibraryGlobalScopeProvider.class, "imports"), resource,
				() -> new LinkedHashSet<>(imports.importedUris(resource)));
	}
}
