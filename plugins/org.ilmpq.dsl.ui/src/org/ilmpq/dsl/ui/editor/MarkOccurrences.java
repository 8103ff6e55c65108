package org.ilmpq.dsl.ui.editor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.jface.viewers.IPostSelectionProvider;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.swt.widgets.Display;
import org.ilmpq.dsl.ui.bridge.XtextOccurrences;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;

/**
 * Mark occurrences: when the caret rests on a name, its declaration and references are highlighted (annotations of
 * type {@link IlmpqEditor#OCCURRENCE}, drawn as plugin.xml specifies and shown in the overview ruler). Computed in
 * a job, off the UI thread, since the parsed text may be busy with a validation; shown only if the text and the caret
 * are still where they were.
 */
public final class MarkOccurrences {

	private final IlmpqEditor editor;
	private final ISelectionChangedListener listener = this::caretMoved;
	private IPostSelectionProvider selections;
	private Annotation[] shown = new Annotation[0];
	private volatile Job pending;
	private volatile int updates;

	MarkOccurrences(IlmpqEditor editor) {
		this.editor = editor;
	}

	void install(ISourceViewer viewer) {
		if (viewer.getSelectionProvider() instanceof IPostSelectionProvider provider) {
			selections = provider;
			provider.addPostSelectionChangedListener(listener);
		}
	}

	void uninstall() {
		if (selections != null) {
			selections.removePostSelectionChangedListener(listener);
		}
		Job job = pending;
		if (job != null) {
			job.cancel();
		}
	}

	private void caretMoved(SelectionChangedEvent event) {
		if (event.getSelection() instanceof ITextSelection selection && editor.getDocumentProvider() != null) {
			markAt(selection.getOffset());
		}
	}

	/** Marks the occurrences of the name at {@code offset}, as a caret resting there does. */
	public void markAt(int offset) {
		IDocument document = editor.getDocument();
		if (!IlmpqPreferences.store().getBoolean(IlmpqPreferences.MARK_OCCURRENCES)) {
			show(document, document.get(), List.of());
			return;
		}
		String text = document.get();
		Display display = Display.getCurrent();
		Job previous = pending;
		if (previous != null) {
			previous.cancel();
		}
		Job job = Job.create("Marking occurrences", monitor -> {
			List<XtextOccurrences.Occurrence> found = editor.occurrences().at(text, offset);
			if (!monitor.isCanceled() && !display.isDisposed()) {
				display.asyncExec(() -> show(document, text, found));
			}
			return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
		});
		job.setSystem(true);
		pending = job;
		job.schedule();
	}

	/** Replaces the marked occurrences, if the text is still {@code text}; on the UI thread. */
	private void show(IDocument document, String text, List<XtextOccurrences.Occurrence> found) {
		if (editor.getDocumentProvider() == null || !document.get().equals(text)) {
			return;
		}
		IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
		if (!(model instanceof IAnnotationModelExtension extension)) {
			return;
		}
		Map<Annotation, Position> added = new HashMap<>();
		for (XtextOccurrences.Occurrence occurrence : found) {
			String kind = occurrence.declaration() ? "declaration of " : "reference to ";
			added.put(new Annotation(IlmpqEditor.OCCURRENCE, false, kind
					+ text.substring(occurrence.offset(), occurrence.offset() + occurrence.length())),
					new Position(occurrence.offset(), occurrence.length()));
		}
		extension.replaceAnnotations(shown, added);
		shown = added.keySet().toArray(Annotation[]::new);
		updates++;
	}

	/** The marked occurrences, as {@code offset:length}, in text order; for tests. */
	public List<String> marked() {
		IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
		return java.util.Arrays.stream(shown).map(model::getPosition).filter(java.util.Objects::nonNull)
				.sorted(java.util.Comparator.comparingInt(Position::getOffset))
				.map(position -> position.getOffset() + ":" + position.getLength()).toList();
	}

	/** How many times the marks were replaced; for tests to wait on. */
	public int updates() {
		return updates;
	}
}
