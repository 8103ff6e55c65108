package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.reconciler.DirtyRegion;
import org.eclipse.jface.text.reconciler.IReconcilingStrategy;
import org.eclipse.jface.text.reconciler.IReconcilingStrategyExtension;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.xtext.service.OperationCanceledError;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

/**
 * Validation while typing. The platform's reconciler calls this on its own background thread a moment after the
 * last keystroke, never on the UI thread; a keystroke during a run cancels it through the progress monitor, which
 * Xtext's validator polls as its cancel indicator. Runs the fast checks only unless told otherwise
 * ({@link #setCheckMode}), as Xtext's own editor does: the expensive ones (the hardware search) wait for the builder
 * on save.
 * <p>
 * Listeners (outline, folding, semantic highlighting) are told after each complete run, on this thread.
 */
public final class XtextReconcilingStrategy implements IReconcilingStrategy, IReconcilingStrategyExtension {

	/** Told of every validated state of the document. */
	public interface Listener {
		void reconciled(ParsedDocument.State state, IProgressMonitor monitor);
	}

	private final ParsedDocument parsed;
	private final IResourceValidator validator;
	private final Supplier<IAnnotationModel> annotations;
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();
	private IDocument document;
	private IProgressMonitor monitor = new NullProgressMonitor();
	private Supplier<CheckMode> checks = () -> CheckMode.FAST_ONLY;

	/** @param annotations where the problems go: the editor input's annotation model, once there is an input */
	public XtextReconcilingStrategy(XtextLanguage language, ParsedDocument parsed,
			Supplier<IAnnotationModel> annotations) {
		this.parsed = parsed;
		this.validator = language.injector().getInstance(IResourceValidator.class);
		this.annotations = annotations;
	}

	public void addListener(Listener listener) {
		listeners.add(listener);
	}

	public void removeListener(Listener listener) {
		listeners.remove(listener);
	}

	/** Which checks run, asked before each run (a preference); only the fast ones unless told otherwise. */
	public void setCheckMode(Supplier<CheckMode> checks) {
		this.checks = checks;
	}

	@Override
	public void setDocument(IDocument document) {
		this.document = document;
	}

	@Override
	public void setProgressMonitor(IProgressMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public void initialReconcile() {
		reconcile();
	}

	@Override
	public void reconcile(DirtyRegion dirtyRegion, IRegion subRegion) {
		reconcile();
	}

	@Override
	public void reconcile(IRegion partition) {
		reconcile();
	}

	/**
	 * Validates the document as it is now; gives up, changing nothing, when cancelled. Never throws: the platform's
	 * reconciler thread stops for good on an uncaught throwable, and Xtext cancels by throwing an Error.
	 */
	public void reconcile() {
		if (document == null) {
			return;
		}
		IProgressMonitor current = monitor;
		CancelIndicator cancelled = current::isCanceled;
		String text = document.get();
		try {
			List<Issue> issues = parsed.read(text, state -> {
				List<Issue> found = validator.validate(state.resource(), checks.get(), cancelled);
				if (!current.isCanceled()) {
					listeners.forEach(listener -> listener.reconciled(state, current));
				}
				return found;
			});
			if (current.isCanceled() || !text.equals(document.get())) {
				return;
			}
			replaceAnnotations(issues);
		} catch (OperationCanceledError | OperationCanceledException e) {
			// a keystroke: the next run validates the new text
		} catch (RuntimeException e) {
			Platform.getLog(XtextReconcilingStrategy.class).error("validation while typing failed", e);
		}
	}

	private void replaceAnnotations(List<Issue> issues) {
		IAnnotationModel annotations = this.annotations.get();
		if (annotations == null) {
			return;
		}
		Map<Annotation, Position> added = new HashMap<>();
		for (Issue issue : issues) {
			if (issue.getOffset() != null && issue.getLength() != null) {
				added.put(new IssueAnnotation(issue), new Position(issue.getOffset(), issue.getLength()));
			}
		}
		List<Annotation> removed = new ArrayList<>();
		Iterator<Annotation> existing = annotations.getAnnotationIterator();
		while (existing.hasNext()) {
			Annotation annotation = existing.next();
			if (annotation instanceof IssueAnnotation) {
				removed.add(annotation);
			}
		}
		if (annotations instanceof IAnnotationModelExtension extension) {
			extension.replaceAnnotations(removed.toArray(Annotation[]::new), added);
		} else {
			removed.forEach(annotations::removeAnnotation);
			added.forEach(annotations::addAnnotation);
		}
	}
}
