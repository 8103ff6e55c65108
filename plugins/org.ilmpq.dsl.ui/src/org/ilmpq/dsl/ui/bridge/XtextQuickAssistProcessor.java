package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.core.resources.IMarker;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.quickassist.IQuickAssistInvocationContext;
import org.eclipse.jface.text.quickassist.IQuickAssistProcessor;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.ui.texteditor.MarkerAnnotation;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolution;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Issue;

/**
 * Quick fixes (Ctrl+1, and the lightbulb of a problem) from the language's Xtext quick-fix provider, for problems
 * found while typing ({@link IssueAnnotation}) and for the builder's markers (which carry the issue code and data
 * in the attributes {@link #CODE} and {@link #DATA}).
 */
public final class XtextQuickAssistProcessor implements IQuickAssistProcessor {

	/** Marker attribute: the issue code. */
	public static final String CODE = "org.ilmpq.dsl.ui.bridge.code";
	/** Marker attribute: the issue data, joined by {@link #DATA_SEPARATOR}. */
	public static final String DATA = "org.ilmpq.dsl.ui.bridge.data";
	public static final String DATA_SEPARATOR = "\u0000";

	private final ParsedDocument parsed;
	private final IQuickFixProvider quickfixes;

	public XtextQuickAssistProcessor(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.quickfixes = language.injector().getInstance(IQuickFixProvider.class);
	}

	@Override
	public ICompletionProposal[] computeQuickAssistProposals(IQuickAssistInvocationContext context) {
		ISourceViewer viewer = context.getSourceViewer();
		IDocument document = viewer.getDocument();
		List<Diagnostic> diagnostics = diagnosticsAt(viewer, context.getOffset());
		if (diagnostics.isEmpty()) {
			return null;
		}
		List<ICompletionProposal> proposals = new ArrayList<>();
		java.util.Set<String> labels = new java.util.HashSet<>();
		parsed.read(document.get(), state -> {
			for (Diagnostic diagnostic : diagnostics) {
				if (!quickfixes.handlesDiagnostic(diagnostic)) {
					continue;
				}
				ICodeActionService2.Options options = new ICodeActionService2.Options();
				options.setDocument(state.document());
				options.setResource(state.resource());
				options.setURI(parsed.uri().toString());
				options.setCancelIndicator(CancelIndicator.NullImpl);
				options.setLanguageServerAccess(new OneDocumentAccess(state));
				options.setCodeActionParams(new CodeActionParams(new TextDocumentIdentifier(options.getURI()),
						diagnostic.getRange(), new CodeActionContext(List.of(diagnostic))));
				for (DiagnosticResolution resolution : quickfixes.getResolutions(options, diagnostic)) {
					WorkspaceEdit edit = resolution.apply();
					if (edit == null || edit.getChanges() == null) {
						continue;
					}
					List<TextEdit> edits = edit.getChanges().values().stream().flatMap(List::stream).toList();
					// no edit: the problem is gone from the text (a marker of the last save); one label once: a
					// problem found while typing and its marker from the builder are one problem
					if (!edits.isEmpty() && labels.add(resolution.getLabel())) {
						proposals.add(new TextEditProposal(resolution.getLabel(), edits));
					}
				}
			}
			return null;
		});
		return proposals.toArray(ICompletionProposal[]::new);
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
			org.eclipse.jface.text.Position position = model.getPosition(annotation);
			if (position == null || offset < position.getOffset() || offset > position.getOffset() + position.getLength()) {
				continue;
			}
			if (annotation instanceof IssueAnnotation issue) {
				diagnostics.add(diagnostic(viewer.getDocument(), position, issue.issue()));
			} else if (annotation instanceof MarkerAnnotation marker && marker.getMarker().exists()
					&& marker.getMarker().getAttribute(CODE, null) != null) {
				diagnostics.add(diagnostic(viewer.getDocument(), position, marker.getMarker()));
			}
		}
		return diagnostics;
	}

	private static Diagnostic diagnostic(IDocument document, org.eclipse.jface.text.Position position, Issue issue) {
		Diagnostic diagnostic = new Diagnostic(range(document, position), issue.getMessage(),
				issue.getSeverity() == Severity.ERROR ? DiagnosticSeverity.Error
						: issue.getSeverity() == Severity.WARNING ? DiagnosticSeverity.Warning
								: DiagnosticSeverity.Information,
				"xtext", issue.getCode());
		diagnostic.setData(issue.getData());
		return diagnostic;
	}

	private static Diagnostic diagnostic(IDocument document, org.eclipse.jface.text.Position position, IMarker marker) {
		int severity = marker.getAttribute(IMarker.SEVERITY, IMarker.SEVERITY_INFO);
		Diagnostic diagnostic = new Diagnostic(range(document, position), marker.getAttribute(IMarker.MESSAGE, ""),
				severity == IMarker.SEVERITY_ERROR ? DiagnosticSeverity.Error
						: severity == IMarker.SEVERITY_WARNING ? DiagnosticSeverity.Warning
								: DiagnosticSeverity.Information,
				"xtext", marker.getAttribute(CODE, null));
		String data = marker.getAttribute(DATA, null);
		if (data != null) {
			diagnostic.setData(data.split(DATA_SEPARATOR, -1));
		}
		return diagnostic;
	}

	private static Range range(IDocument document, org.eclipse.jface.text.Position position) {
		return new Range(Conversions.position(document, position.getOffset()),
				Conversions.position(document, position.getOffset() + position.getLength()));
	}

	@Override
	public String getErrorMessage() {
		return null;
	}

	@Override
	public boolean canFix(Annotation annotation) {
		return annotation instanceof IssueAnnotation
				|| annotation instanceof MarkerAnnotation marker && marker.getMarker().getAttribute(CODE, null) != null;
	}

	@Override
	public boolean canAssist(IQuickAssistInvocationContext context) {
		return false;
	}

	/** A fix: its edits applied to the document in one go. */
	private static final class TextEditProposal implements ICompletionProposal {

		private final String label;
		private final List<TextEdit> edits;

		TextEditProposal(String label, List<TextEdit> edits) {
			this.label = label;
			this.edits = edits;
		}

		@Override
		public void apply(IDocument document) {
			try {
				Conversions.apply(document, edits);
			} catch (BadLocationException e) {
				throw new IllegalStateException("the document changed under the quick fix '" + label + "'", e);
			}
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
			return label;
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
