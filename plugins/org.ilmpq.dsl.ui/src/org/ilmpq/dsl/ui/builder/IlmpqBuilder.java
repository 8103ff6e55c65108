package org.ilmpq.dsl.ui.builder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.service.OperationCanceledError;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.scoping.LibraryImports;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.XtextQuickFixes;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;
import org.ilmpq.generator.Artifacts;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.ToolVersion;
import org.ilmpq.generator.hls.HlsProjectGenerator;

import com.google.inject.Injector;

/**
 * Checks every .ilmpq spec of a project with all checks (the hardware ones too, which the editor leaves out while
 * typing), puts what it finds on the file as problem markers, and, for a spec without errors, runs the generators
 * into a folder of its own: {@code ilmpq-gen/<spec path without .ilmpq>/}, in the layout {@code ilmpq generate}
 * writes ({@code quant/}, {@code hls/<network>/}). A folder per spec, not per network: two specs of one network
 * (ResNet-18 for two devices) never write over each other. What a generator refuses becomes a marker too.
 */
public class IlmpqBuilder extends IncrementalProjectBuilder {

	public static final String ID = "org.ilmpq.dsl.ui.builder";
	/** The marker type of everything the builder reports; a problem marker, so it shows in the Problems view. */
	public static final String MARKER = "org.ilmpq.dsl.ui.problem";
	public static final String OUTPUT = "ilmpq-gen";
	public static final String EXTENSION = "ilmpq";

	/**
	 * Whether each library met in this build has errors, by URI: the networks that share a library check it once
	 * per build, not once each.
	 */
	private final Map<URI, Boolean> libraryErrors = new HashMap<>();

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		libraryErrors.clear();
		List<IFile> specs = new ArrayList<>();
		IResourceDelta delta = kind == FULL_BUILD ? null : getDelta(getProject());
		if (delta == null) {
			getProject().accept(resource -> {
				if (isOutput(resource) || resource.isDerived()) {
					return false;
				}
				if (isSpec(resource)) {
					specs.add((IFile) resource);
				}
				return true;
			});
		} else {
			List<IFile> removed = new ArrayList<>();
			delta.accept(change -> {
				if (isOutput(change.getResource()) || change.getResource().isDerived()) {
					return false;
				}
				if (isSpec(change.getResource())) {
					(change.getKind() == IResourceDelta.REMOVED ? removed : specs).add((IFile) change.getResource());
				}
				return true;
			});
			for (IFile spec : removed) {
				// a spec deleted or renamed away: what it generated goes with it
				IFolder output = outputOf(spec);
				if (output.exists()) {
					output.delete(true, monitor);
				}
			}
			// a network is built again when a library it imports changes or goes
			List<IFile> changed = new ArrayList<>(specs);
			changed.addAll(removed);
			specs.addAll(importersOf(changed));
		}
		SubMonitor progress = SubMonitor.convert(monitor, "Checking ILMPQ specs", specs.size());
		for (IFile spec : specs) {
			if (progress.isCanceled()) {
				throw new OperationCanceledException();
			}
			progress.subTask(spec.getName());
			try {
				build(spec, progress.split(1));
			} catch (OperationCanceledError e) {
				// Xtext's cancellation: the platform's, so that the spec is built again next time
				throw new OperationCanceledException();
			} catch (RuntimeException e) {
				// one spec's failure must not leave the others unchecked
				Platform.getLog(IlmpqBuilder.class).error("building " + spec.getFullPath() + " failed", e);
				marker(spec, IMarker.SEVERITY_ERROR, "internal error while building this spec (see the error log): " + e);
			}
		}
		return null;
	}

	@Override
	protected void clean(IProgressMonitor monitor) throws CoreException {
		getProject().deleteMarkers(MARKER, true, IResource.DEPTH_INFINITE);
		IFolder output = getProject().getFolder(OUTPUT);
		if (output.exists()) {
			output.delete(true, monitor);
		}
	}

	private void build(IFile file, IProgressMonitor monitor) throws CoreException {
		file.deleteMarkers(MARKER, true, IResource.DEPTH_ZERO);
		IFolder output = outputOf(file);
		if (output.exists()) {
			output.deleteMarkers(MARKER, false, IResource.DEPTH_ZERO);
		}
		Injector injector = IlmpqUiPlugin.getDefault().injector();
		XtextResourceSet resourceSet = injector.getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) resourceSet
				.createResource(URI.createPlatformResourceURI(file.getFullPath().toString(), true));
		try (InputStream contents = file.getContents(true)) {
			resource.load(contents, Map.of(XtextResource.OPTION_ENCODING, file.getCharset()));
		} catch (IOException e) {
			marker(file, IMarker.SEVERITY_ERROR, "cannot read " + file.getName() + ": " + e.getMessage());
			return;
		}
		List<Issue> issues = injector.getInstance(IResourceValidator.class).validate(resource, CheckMode.ALL,
				monitor::isCanceled);
		for (Issue issue : issues) {
			marker(file, issue);
		}
		Spec spec = resource.getContents().isEmpty() ? null : (Spec) resource.getContents().get(0);
		if (spec != null && spec.isLibrary()) {
			// a library generates nothing: its blocks are generated in the networks that instantiate them
			if (output.exists()) {
				output.delete(true, monitor);
			}
			return;
		}
		List<String> brokenLibraries = new ArrayList<>();
		for (Resource library : injector.getInstance(LibraryImports.class).importedLibraries(resource)) {
			if (libraryErrors.computeIfAbsent(library.getURI(), uri -> injector.getInstance(IResourceValidator.class)
					.validate(library, CheckMode.ALL, monitor::isCanceled).stream()
					.anyMatch(issue -> issue.getSeverity() == Severity.ERROR))) {
				brokenLibraries.add(library.getURI().lastSegment());
			}
		}
		if (!brokenLibraries.isEmpty()) {
			marker(file, IMarker.SEVERITY_ERROR, "nothing generated: the imported "
					+ (brokenLibraries.size() == 1 ? "library " : "libraries ") + String.join(", ", brokenLibraries)
					+ (brokenLibraries.size() == 1 ? " has" : " have") + " errors");
		}
		if (brokenLibraries.isEmpty() && issues.stream().noneMatch(issue -> issue.getSeverity() == Severity.ERROR)) {
			generate(file, resource, injector, monitor);
		} else if (output.exists()) {
			markStale(file, output);
		}
	}

	/** The specs of the project that import one of {@code changed}, directly or through other libraries. */
	private List<IFile> importersOf(List<IFile> changed) throws CoreException {
		Map<IFile, List<IFile>> importsOf = new HashMap<>();
		getProject().accept(resource -> {
			if (isOutput(resource) || resource.isDerived()) {
				return false;
			}
			if (isSpec(resource)) {
				importsOf.put((IFile) resource, importedFiles((IFile) resource));
			}
			return true;
		});
		java.util.Set<IFile> affected = new java.util.LinkedHashSet<>(changed);
		boolean grew = true;
		while (grew) {
			grew = false;
			for (Map.Entry<IFile, List<IFile>> entry : importsOf.entrySet()) {
				if (!affected.contains(entry.getKey()) && entry.getValue().stream().anyMatch(affected::contains)) {
					grew |= affected.add(entry.getKey());
				}
			}
		}
		affected.removeAll(changed);
		return new ArrayList<>(affected);
	}

	/**
	 * The files a spec's {@code import "..."} lines name, read from its text without parsing it (every spec of the
	 * project is read on an incremental build): an import inside a comment only builds one network more.
	 */
	private static List<IFile> importedFiles(IFile spec) {
		List<IFile> files = new ArrayList<>();
		try (InputStream contents = spec.getContents(true)) {
			String text = new String(contents.readAllBytes(), spec.getCharset());
			java.util.regex.Matcher matcher = IMPORT_LINE.matcher(text);
			while (matcher.find()) {
				files.add(spec.getParent().getFile(new org.eclipse.core.runtime.Path(matcher.group(1).replace('\\', '/'))));
			}
		} catch (IOException | CoreException | IllegalArgumentException unreadable) {
			// its own build says why
		}
		return files;
	}

	private static final java.util.regex.Pattern IMPORT_LINE = java.util.regex.Pattern
			.compile("^\\s*import\\s+\"([^\"\\r\\n]+)\"", java.util.regex.Pattern.MULTILINE);

	/**
	 * Says, on the spec and on its output folder, that the files there come from an earlier version of the spec:
	 * they are kept (a reviewer may still want them, and the next clean save replaces them) but no longer match.
	 */
	private static void markStale(IFile file, IFolder output) throws CoreException {
		String message = String.format(Locale.ROOT, "the files in %s are stale: generated from an earlier version of "
				+ "%s, they are not updated while it has errors", output.getProjectRelativePath(), file.getName());
		marker(file, IMarker.SEVERITY_WARNING, message);
		output.createMarker(MARKER, Map.of(IMarker.MESSAGE, message, IMarker.SEVERITY, IMarker.SEVERITY_WARNING));
	}

	private void generate(IFile file, Resource resource, Injector injector, IProgressMonitor monitor)
			throws CoreException {
		Spec spec = (Spec) resource.getContents().get(0);
		SpecAnalysis analysis = injector.getInstance(SpecAnalyzer.class).analyze(spec);
		// the seeded weights' golden data costs the Java reference every MAC: too slow for a save beyond the limit
		boolean tooLarge = analysis.lowered().spec().target().isPresent()
				&& analysis.network().totalMacs() > IlmpqPreferences.hlsMacLimit();
		boolean wantsHls = IlmpqPreferences.generateHls();
		Artifacts.Result result;
		try {
			result = Artifacts.of(analysis.lowered().spec(), analysis.network(), new Artifacts.Options(file.getName(),
					ToolVersion.generator(), IlmpqPreferences.generateScript(), wantsHls && !tooLarge,
					new HlsProjectGenerator.Weights.Seeded(HlsProjectGenerator.Weights.Seeded.DEFAULT_SEED)));
		} catch (IOException e) {
			throw new IllegalStateException("seeded weights read no file", e);
		}
		Optional<Artifacts.Refusal> script = result.refusal(Artifacts.Kind.SCRIPT);
		if (script.isPresent()) {
			// the spec gets nothing: what it had stays
			marker(file, IMarker.SEVERITY_ERROR, "no quantization script: " + script.get().message());
			return;
		}
		if (wantsHls && tooLarge) {
			marker(file, IMarker.SEVERITY_INFO, String.format(Locale.ROOT, "no HLS project on save: the Java reference "
					+ "of %,d MACs per image for its golden data takes too long to run on every save; run 'ilmpq "
					+ "generate %s -o %s'", analysis.network().totalMacs(), file.getName(),
					outputOf(file).getProjectRelativePath()));
		}
		Optional<Artifacts.Refusal> hlsProject = result.refusal(Artifacts.Kind.HLS_PROJECT);
		if (hlsProject.isPresent()) {
			marker(file, hlsProject.get().reason() == Artifacts.Reason.NO_TARGET ? IMarker.SEVERITY_INFO
					: IMarker.SEVERITY_ERROR, "no HLS project: " + hlsProject.get().message());
		}
		List<GeneratedFile> files = result.files();
		IFolder output = outputOf(file);
		java.util.Set<IFile> written = new java.util.HashSet<>();
		for (GeneratedFile generated : files) {
			IFile target = output.getFile(generated.path());
			write(target, generated.content(), monitor);
			written.add(target);
		}
		deleteOthers(output, written, monitor);
	}

	/**
	 * Deletes the files of an earlier run that this one did not write (an HLS project the spec no longer gets), and
	 * the folders that leaves empty.
	 */
	private static void deleteOthers(IFolder output, java.util.Set<IFile> written, IProgressMonitor monitor)
			throws CoreException {
		if (!output.exists()) {
			return;
		}
		List<IResource> stale = new ArrayList<>();
		output.accept(resource -> {
			if (resource instanceof IFile file && !written.contains(file)) {
				stale.add(file);
			}
			return true;
		});
		for (IResource resource : stale) {
			resource.delete(true, monitor);
		}
		List<IFolder> folders = new ArrayList<>();
		output.accept(resource -> {
			if (resource instanceof IFolder folder && !folder.equals(output)) {
				folders.add(folder);
			}
			return true;
		});
		folders.sort(java.util.Comparator.comparing((IFolder folder) -> folder.getFullPath().segmentCount()).reversed());
		for (IFolder folder : folders) {
			if (folder.members().length == 0) {
				folder.delete(true, monitor);
			}
		}
	}

	/** Writes a generated file, leaving it untouched when it already has this content. */
	private static void write(IFile file, String content, IProgressMonitor monitor) throws CoreException {
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		if (file.exists()) {
			try (InputStream existing = file.getContents(true)) {
				if (java.util.Arrays.equals(existing.readAllBytes(), bytes)) {
					return;
				}
			} catch (IOException e) {
				// rewrite it
			}
			file.setContents(new ByteArrayInputStream(bytes), IResource.FORCE, monitor);
		} else {
			create(file.getParent(), monitor);
			file.create(new ByteArrayInputStream(bytes), IResource.FORCE | IResource.DERIVED, monitor);
		}
	}

	private static void create(IContainer container, IProgressMonitor monitor) throws CoreException {
		if (container instanceof IFolder folder && !folder.exists()) {
			create(folder.getParent(), monitor);
			folder.create(IResource.FORCE | IResource.DERIVED, true, monitor);
		}
	}

	private static void marker(IFile file, Issue issue) throws CoreException {
		IMarker marker = file.createMarker(MARKER);
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(IMarker.MESSAGE, issue.getMessage());
		attributes.put(IMarker.SEVERITY, switch (issue.getSeverity()) {
		case ERROR -> IMarker.SEVERITY_ERROR;
		case WARNING -> IMarker.SEVERITY_WARNING;
		default -> IMarker.SEVERITY_INFO;
		});
		if (issue.getLineNumber() != null) {
			attributes.put(IMarker.LINE_NUMBER, issue.getLineNumber());
			attributes.put(IMarker.LOCATION, "line " + issue.getLineNumber());
		}
		if (issue.getOffset() != null && issue.getLength() != null) {
			attributes.put(IMarker.CHAR_START, issue.getOffset());
			attributes.put(IMarker.CHAR_END, issue.getOffset() + issue.getLength());
		}
		if (issue.getCode() != null) {
			attributes.put(XtextQuickFixes.CODE, issue.getCode());
		}
		if (issue.getData() != null && issue.getData().length > 0) {
			attributes.put(XtextQuickFixes.DATA, String.join(XtextQuickFixes.DATA_SEPARATOR,
					issue.getData()));
		}
		marker.setAttributes(attributes);
	}

	private static void marker(IFile file, int severity, String message) throws CoreException {
		file.createMarker(MARKER, Map.of(IMarker.MESSAGE, message, IMarker.SEVERITY, severity, IMarker.LINE_NUMBER, 1,
				IMarker.LOCATION, "line 1"));
	}

	/** Where the files generated from {@code spec} go: {@code ilmpq-gen/<its path without .ilmpq>/}. */
	public static IFolder outputOf(IFile spec) {
		return spec.getProject().getFolder(OUTPUT)
				.getFolder(spec.getProjectRelativePath().removeFileExtension());
	}

	private boolean isOutput(IResource resource) {
		return resource.equals(getProject().getFolder(OUTPUT));
	}

	private static boolean isSpec(IResource resource) {
		return resource.getType() == IResource.FILE && EXTENSION.equals(resource.getFileExtension());
	}
}
