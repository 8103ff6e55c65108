package org.ilmpq.dsl.ui.tests;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.ilmpq.dsl.ui.bridge.IssueAnnotation;
import org.ilmpq.dsl.ui.builder.IlmpqBuilder;
import org.ilmpq.dsl.ui.builder.IlmpqNature;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;

/** The running workbench as the tests use it: projects, files, editors, and waiting without blocking the UI. */
final class Workbench {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private Workbench() {
	}

	/** A new open project with the ILMPQ nature (so the builder runs on it). */
	static IProject project(String name) throws CoreException {
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
		if (project.exists()) {
			project.delete(true, true, null);
		}
		project.create(null);
		project.open(null);
		IlmpqNature.addTo(project, null);
		return project;
	}

	static IFile file(IProject project, String name, String text) throws CoreException {
		IFile file = project.getFile(name);
		file.create(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
		return file;
	}

	static String text(IFile file) throws CoreException {
		try (java.io.InputStream in = file.getContents()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (java.io.IOException e) {
			throw new AssertionError("cannot read " + file, e);
		}
	}

	static IWorkbenchPage page() {
		return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
	}

	static IlmpqEditor open(IFile file) throws CoreException {
		IlmpqEditor editor = (IlmpqEditor) IDE.openEditor(page(), file, IlmpqEditor.ID);
		int shown = editor.reconciledCount();
		waitUntil("the editor's first validation", () -> editor.reconciledCount() > shown);
		return editor;
	}

	/** Processes UI events until {@code condition} holds; fails after a minute. */
	static void waitUntil(String what, BooleanSupplier condition) {
		Display display = Display.getCurrent();
		long end = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("waited " + TIMEOUT.toSeconds() + " s for " + what);
			}
			if (!display.readAndDispatch()) {
				try {
					Thread.sleep(10);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new AssertionError(e);
				}
			}
		}
	}

	/** Waits for {@code supplier} to give something other than null, and returns it. */
	static <T> T waitFor(String what, Supplier<T> supplier) {
		List<T> found = new ArrayList<>(1);
		waitUntil(what, () -> {
			T value = supplier.get();
			if (value != null) {
				found.add(value);
			}
			return value != null;
		});
		return found.get(0);
	}

	/** The problems found while typing, as {@code "line:message"} in the order of their offsets. */
	static List<String> annotations(IlmpqEditor editor) {
		IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
		List<IssueAnnotation> issues = new ArrayList<>();
		Iterator<Annotation> annotations = model.getAnnotationIterator();
		while (annotations.hasNext()) {
			if (annotations.next() instanceof IssueAnnotation issue) {
				issues.add(issue);
			}
		}
		issues.sort((a, b) -> Integer.compare(a.issue().getOffset(), b.issue().getOffset()));
		return issues.stream().map(issue -> issue.issue().getLineNumber() + ":" + issue.getText()).toList();
	}

	/** Runs the builder as saving does, and returns its markers on {@code file} as {@code "line:severity:message"}. */
	static List<String> markers(IFile file) throws CoreException {
		file.getProject().build(IncrementalProjectBuilder.INCREMENTAL_BUILD, new NullProgressMonitor());
		List<String> result = new ArrayList<>();
		for (IMarker marker : file.findMarkers(IlmpqBuilder.MARKER, false, IResource.DEPTH_ZERO)) {
			result.add(marker.getAttribute(IMarker.LINE_NUMBER, -1) + ":"
					+ switch (marker.getAttribute(IMarker.SEVERITY, -1)) {
					case IMarker.SEVERITY_ERROR -> "error";
					case IMarker.SEVERITY_WARNING -> "warning";
					default -> "info";
					} + ":" + marker.getAttribute(IMarker.MESSAGE, ""));
		}
		result.sort(null);
		return result;
	}

	static void closeAll() {
		page().closeAllEditors(false);
	}

	/** The editor's viewer configuration (protected in the platform), to ask it for its processors. */
	static org.eclipse.jface.text.source.SourceViewerConfiguration configuration(IlmpqEditor editor) {
		try {
			java.lang.reflect.Method method = org.eclipse.ui.texteditor.AbstractTextEditor.class
					.getDeclaredMethod("getSourceViewerConfiguration");
			method.setAccessible(true);
			return (org.eclipse.jface.text.source.SourceViewerConfiguration) method.invoke(editor);
		} catch (ReflectiveOperationException e) {
			throw new AssertionError(e);
		}
	}
}
