package org.ilmpq.dsl.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Import;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Output;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.scoping.LibraryImports;

import com.google.inject.Inject;

/**
 * Checks what {@code import "blocks.ilmpq"} names, and what a library holds:
 * <ul>
 * <li>the file exists, holds a spec, and that spec is a {@code library} (a network's blocks are its own);</li>
 * <li>no library imports, through any chain of imports, the file that imports it;</li>
 * <li>a file is imported once, and no two imported libraries have a block of one name (a call would be
 * ambiguous); a block of the file itself may take the name of an imported one, and hides it;</li>
 * <li>a library holds blocks and imports, nothing that makes a network.</li>
 * </ul>
 * The blocks of a library are validated where the library is; each network that instantiates one analyses the
 * instance, with its arguments, and reports on the instance (see {@link AnalysisValidator}).
 */
public class ImportValidator extends ComposedValidator {

	/** Where a problem of an import is reported: on its path. */
	private static final EAttribute PATH = IlmpqPackage.Literals.IMPORT__IMPORT_URI;

	@Inject
	private LibraryImports imports;

	@Check
	public void importNamesALibrary(Import anImport) {
		String path = anImport.getImportURI();
		if (path == null || anImport.eResource() == null) {
			return; // a syntax error, reported by the parser
		}
		Resource resource = anImport.eResource();
		if (!path.endsWith(".ilmpq")) {
			error("an import names a .ilmpq file, not \"" + path + "\"", anImport, PATH,
					IssueCodes.IMPORT_NOT_FOUND);
			return;
		}
		Optional<URI> uri = imports.resolve(resource, path);
		if (uri.isEmpty()) {
			error("cannot import \"" + path + "\": an import names a file, by a path or a file: URI", anImport,
					PATH, IssueCodes.IMPORT_NOT_FOUND);
			return;
		}
		if (!imports.exists(resource, uri.get())) {
			error("cannot import \"" + path + "\": there is no file "
					+ LibraryImports.describe(uri.get()), anImport, PATH,
					IssueCodes.IMPORT_NOT_FOUND);
			return;
		}
		Optional<Spec> imported = imports.load(resource, uri.get());
		if (imported.isEmpty()) {
			error("cannot import \"" + path + "\": it holds no spec", anImport, PATH,
					IssueCodes.IMPORT_NOT_LIBRARY);
			return;
		}
		Spec library = imported.get();
		if (!library.isLibrary()) {
			error("\"" + path + "\" is network " + library.getName() + ", not a library: only a library's blocks "
					+ "can be imported (a file of blocks begins with 'library NAME')", anImport,
					PATH, IssueCodes.IMPORT_NOT_LIBRARY);
			return;
		}
		Optional<String> cycle = cycleBack(resource, uri.get());
		if (cycle.isPresent()) {
			error("import cycle: " + cycle.get(), anImport, PATH, IssueCodes.IMPORT_CYCLE);
			return;
		}
		// a library that does not parse or link has blocks that are not what its text says; its other errors are
		// reported where it is validated (the command line's validate lists them under the library's name)
		EcoreUtil2.resolveLazyCrossReferences(library.eResource(), CancelIndicator.NullImpl);
		List<Resource.Diagnostic> errors = library.eResource().getErrors();
		if (!errors.isEmpty()) {
			Resource.Diagnostic first = errors.get(0);
			error("\"" + path + "\" has " + (errors.size() == 1 ? "an error" : errors.size() + " errors") + ", the first on "
					+ "line " + first.getLine() + ": " + first.getMessage(), anImport, PATH,
					IssueCodes.LIBRARY_ERRORS);
		}
	}

	/**
	 * The chain of imports from {@code start} back to {@code resource}, as "a.ilmpq imports b.ilmpq, which imports
	 * a.ilmpq"; empty when there is none. Breadth first, so the shortest chain is named.
	 */
	private Optional<String> cycleBack(Resource resource, URI start) {
		URI home = imports.normalize(resource, resource.getURI());
		Map<URI, URI> reachedFrom = new HashMap<>();
		Deque<URI> pending = new ArrayDeque<>();
		URI first = imports.normalize(resource, start);
		reachedFrom.put(first, home);
		pending.add(first);
		while (!pending.isEmpty()) {
			URI current = pending.poll();
			if (current.equals(home)) {
				List<String> names = new ArrayList<>();
				for (URI step = current; names.isEmpty() || !step.equals(home); step = reachedFrom.get(step)) {
					names.add(0, step.lastSegment());
				}
				names.add(0, home.lastSegment());
				return Optional.of(names.size() == 2 ? names.get(0) + " imports itself"
						: String.join(" imports ", names.subList(0, 2)) + chainRest(names));
			}
			for (URI next : imports.importedUris(resource, current)) {
				if (!reachedFrom.containsKey(next)) {
					reachedFrom.put(next, current);
					pending.add(next);
				}
			}
		}
		return Optional.empty();
	}

	private static String chainRest(List<String> names) {
		StringBuilder rest = new StringBuilder();
		for (String name : names.subList(2, names.size())) {
			rest.append(", which imports ").append(name);
		}
		return rest.toString();
	}

	@Check
	public void eachFileIsImportedOnce(Spec spec) {
		Resource resource = spec.eResource();
		if (resource == null) {
			return;
		}
		Map<URI, Import> seen = new HashMap<>();
		for (Import anImport : spec.getImports()) {
			Optional<URI> uri = anImport.getImportURI() == null ? Optional.empty()
					: imports.resolve(resource, anImport.getImportURI()).map(u -> imports.normalize(resource, u));
			if (uri.isEmpty()) {
				continue;
			}
			Import earlier = seen.putIfAbsent(uri.get(), anImport);
			if (earlier != null) {
				warning("\"" + anImport.getImportURI() + "\" is already imported on line " + lineOf(earlier), anImport,
						PATH, IssueCodes.DUPLICATE_IMPORT);
			}
		}
	}

	@Check
	public void importedBlocksHaveDistinctNames(Spec spec) {
		Resource resource = spec.eResource();
		if (resource == null || spec.getImports().isEmpty()) {
			return;
		}
		Map<String, Import> importedFrom = new LinkedHashMap<>();
		Set<URI> done = new HashSet<>();
		for (Import anImport : spec.getImports()) {
			Optional<Spec> library = imports.file(anImport).filter(done::add).flatMap(uri -> imports.load(resource, uri))
					.filter(Spec::isLibrary);
			if (library.isEmpty()) {
				continue;
			}
			for (Block block : EcoreUtil2.typeSelect(library.get().getElements(), Block.class)) {
				if (block.getName() == null) {
					continue;
				}
				Import earlier = importedFrom.putIfAbsent(block.getName(), anImport);
				if (earlier != null) {
					error("\"" + anImport.getImportURI() + "\" and \"" + earlier.getImportURI() + "\" (line "
							+ lineOf(earlier) + ") both have a block " + block.getName() + ": a call to it would be "
							+ "ambiguous", anImport, PATH, IssueCodes.AMBIGUOUS_BLOCK);
				}
			}
		}
		for (Block local : EcoreUtil2.typeSelect(spec.getElements(), Block.class)) {
			Import hidden = local.getName() == null ? null : importedFrom.get(local.getName());
			if (hidden != null) {
				warning("block " + local.getName() + " hides the block of that name imported from \""
						+ hidden.getImportURI() + "\": the calls of this file use this one", local,
						IlmpqPackage.Literals.BLOCK__NAME, IssueCodes.HIDDEN_BLOCK);
			}
		}
	}

	@Check
	public void libraryHoldsBlocksOnly(Spec spec) {
		if (!spec.isLibrary()) {
			return;
		}
		for (SpecElement element : spec.getElements()) {
			String what = describe(element);
			if (what != null) {
				error("library " + spec.getName() + " holds blocks only, not " + what + ": a network that imports "
						+ "the library declares it", element, null, IssueCodes.LIBRARY_CONTENT);
			}
		}
	}

	/** What a non-block element of a library is, in words; null for a block. */
	private static String describe(SpecElement element) {
		if (element instanceof Input input) {
			return "input " + input.getName();
		} else if (element instanceof Layer layer) {
			return "layer " + layer.getName();
		} else if (element instanceof Output) {
			return "an output";
		} else if (element instanceof Target) {
			return "a target";
		} else if (element instanceof Quantization) {
			return "a quantization section";
		}
		return null;
	}
}
