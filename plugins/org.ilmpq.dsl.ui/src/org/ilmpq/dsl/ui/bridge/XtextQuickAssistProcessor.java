package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.quickassist.IQuickAssistInvocationContext;
import org.eclipse.jface.text.quickassist.IQuickAssistProcessor;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.ui.texteditor.MarkerAnnotation;

/**
 * Quick fixes (Ctrl+1, and the lightbulb of a problem) from the language's Xtext quick-fix provider, for problems
 * found while typing ({@link IssueAnnotation}) and for the builder's markers (which carry the issue code and data
 * in the attributes {@link XtextQuickFixes#CODE} and {@link XtextQuickFixes#DATA}).
 */
public final class XtextQuickAssistProcessor implements IQuickAssistProcessor {

	private final XtextQuickFixes quickfixes;

	public XtextQuickAssistProcessor(XtextLanguage language, ParsedDocument parsed) {
		this.quickfixes = new XtextQuickFixes(language, parsed);
	}

	@Override
	public ICompletionProposal[] computeQuickAssistProposals(IQuickAssistInvocationContext context) {
		ISourceViewer viewer = context.getSourceViewer();
		List<Diagnostic> diagnostics = diagnosticsAt(viewer, context.getOffset());
		if (diagnostics.isEmpty()) {
			return null;
		}
		return quickfixes.fixes(viewer.getDocument().get(), diagnostics).stream().map(FixProposal::new)
				.toArray(ICompletionProposal[]::new);
	}

	/** The problems at {@code offset}, as LSP diagnostics with their issue codes. */
	private static List<Diagnostic> diagnosticsAt(ISourceViewer viewer, int offset) {
		List<Diagnostic> diagnostics = new ArrayList<>();
		IAnnotationModel model = viewer.getAnnotationModel();
		if (model == null) {
			return diagnostics;
		}
		Iterator<Annotation> annotations = model.getAnnotationIterator();
		while (annotations.hasNext()) {
			Annotation annotation = annotations.next();
			Position position = model.getPosition(annotation);
			if (position == null || offset < position.getOffset() || offset > position.getOffset() + position.getLength()) {
				continue;
			}
			Diagnostic diagnostic = diagnostic(viewer.getDocument(), position, annotation);
			if (diagnostic != null) {
				diagnostics.add(diagnostic);
			}
		}
		return diagnostics;
	}

	/** The diagnostic of a problem annotation; null for any other annotation. */
	public static Diagnostic diagnostic(IDocument document, Position position, Annotation annotation) {
		if (annotation instanceof IssueAnnotation issue) {
			return XtextQuickFixes.diagnostic(document, position.getOffset(), position.getLength(), issue.issue());
		}
		if (annotation instanceof MarkerAnnotation marker && marker.getMarker().exists()
				&& marker.getMarker().getAttribute(XtextQuickFixes.CODE, null) != null) {
			return XtextQuickFixes.diagnostic(document, position.getOffset(), position.getLength(), marker.getMarker());
		}
		return null;
	}

	@Override
	public String getErrorMessage() {
		return null;
	}

	@Override
	public boolean canFix(Annotation annotation) {
		return annotation instanceof IssueAnnotation issue && quickfixes.handles(issue.issue().getCode())
				|| annotation instanceof MarkerAnnotation marker
						&& quickfixes.handles(marker.getMarker().getAttribute(XtextQuickFixes.CODE, null));
	}

	@Override
	public boolean canAssist(IQuickAssistInvocationContext context) {
		return false;
	}

	/** A fix as a proposal: its edits applied to the document in one go. */
	private record FixProposal(XtextQuickFixes.Fix fix) implements ICompletionProposal {

		@Override
		public void apply(IDocument document) {
			fix.apply(document);
		}

		@Override
		public org.eclipse.swt.graphics.Point getSelection(IDocument document) {
			return null;
		}

		@Override
		public String getAdditionalProposalInfo() {
			return null;
		}

		@Override
		public String getDisplayString() {
			return fix.label();
		}

		@Override
		public org.eclipse.swt.graphics.Image getImage() {
			return null;
		}

		@Override
		public org.eclipse.jface.text.contentassist.IContextInformation getContextInformation() {
			return null;
		}
	}
}
