package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.core.resources.IMarker;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolution;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Issue;

/**
 * The language's quick fixes for problems of one text, as text edits: what Ctrl+1 offers in the editor, what the
 * Problems view's Quick Fix applies to a marker, and what a hover counts. Problems arrive as LSP diagnostics with
 * their issue code and data, made from a problem found while typing or from a builder's marker.
 */
public final class XtextQuickFixes {

	/** Marker attribute: the issue code. */
	public static final String CODE = "org.ilmpq.dsl.ui.bridge.code";
	/** Marker attribute: the issue data, joined by {@link #DATA_SEPARATOR}. */
	public static final String DATA = "org.ilmpq.dsl.ui.bridge.data";
	public static final String DATA_SEPARATOR = "\u0000";

	/** One fix: its label and its edits, all relative to the text it was computed for. */
	public record Fix(String label, List<TextEdit> edits) {

		/** Applies the edits to {@code document}, which must hold the text the fix was computed for. */
		public void apply(IDocument document) {
			try {
				Conversions.apply(document, edits);
			} catch (BadLocationException e) {
				throw new IllegalStateException("the text changed under the quick fix '" + label + "'", e);
			}
		}
	}

	private final ParsedDocument parsed;
	private final IQuickFixProvider provider;

	public XtextQuickFixes(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.provider = language.injector().getInstance(IQuickFixProvider.class);
	}

	/** Whether the language has fixes for problems with this issue code at all (none is computed). */
	public boolean handles(String code) {
		return handles(provider, code);
	}

	/** {@link #handles(String)} without a text: cheap enough to ask for every marker the Problems view selects. */
	public static boolean handles(XtextLanguage language, String code) {
		return handles(language.injector().getInstance(IQuickFixProvider.class), code);
	}

	private static boolean handles(IQuickFixProvider provider, String code) {
		return code != null && provider.handlesDiagnostic(new Diagnostic(new Range(), "", DiagnosticSeverity.Error,
				"xtext", code));
	}

	/**
	 * The fixes of {@code diagnostics} in {@code text}, each label once: a problem found while typing and the
	 * builder's marker of the same problem are one problem. A fix without edits (the problem is gone from the
	 * text, a marker of the last save) is left out.
	 */
	public List<Fix> fixes(String text, List<Diagnostic> diagnostics) {
		if (diagnostics.stream().noneMatch(provider::handlesDiagnostic)) {
			return List.of();
		}
		return parsed.read(text, state -> {
			List<Fix> fixes = new ArrayList<>();
			Set<String> labels = new HashSet<>();
			for (Diagnostic diagnostic : diagnostics) {
				if (!provider.handlesDiagnostic(diagnostic)) {
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
				for (DiagnosticResolution resolution : provider.getResolutions(options, diagnostic)) {
					WorkspaceEdit edit = resolution.apply();
					if (edit == null || edit.getChanges() == null) {
						continue;
					}
					List<TextEdit> edits = edit.getChanges().values().stream().flatMap(List::stream).toList();
					if (!edits.isEmpty() && labels.add(resolution.getLabel())) {
						fixes.add(new Fix(resolution.getLabel(), edits));
					}
				}
			}
			return fixes;
		});
	}

	/** A problem found while typing, at {@code offset} and {@code length} of {@code document}. */
	public static Diagnostic diagnostic(IDocument document, int offset, int length, Issue issue) {
		Diagnostic diagnostic = new Diagnostic(range(document, offset, length), issue.getMessage(),
				issue.getSeverity() == Severity.ERROR ? DiagnosticSeverity.Error
						: issue.getSeverity() == Severity.WARNING ? DiagnosticSeverity.Warning
								: DiagnosticSeverity.Information,
				"xtext", issue.getCode());
		diagnostic.setData(issue.getData());
		return diagnostic;
	}

	/**
	 * A builder's marker, at {@code offset} and {@code length} of {@code document} (where the editor's annotation
	 * has it, which follows edits; else the marker's own character range).
	 */
	public static Diagnostic diagnostic(IDocument document, int offset, int length, IMarker marker) {
		int severity = marker.getAttribute(IMarker.SEVERITY, IMarker.SEVERITY_INFO);
		Diagnostic diagnostic = new Diagnostic(range(document, offset, length), marker.getAttribute(IMarker.MESSAGE, ""),
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

	/** A diagnostic made for asking the fixes of an issue code directly (a button offering what a fix does). */
	public static Diagnostic diagnostic(IDocument document, int offset, int length, String code, String... data) {
		Diagnostic diagnostic = new Diagnostic(range(document, offset, length), "", DiagnosticSeverity.Information,
				"xtext", code);
		diagnostic.setData(data);
		return diagnostic;
	}

	private static Range range(IDocument document, int offset, int length) {
		int start = Math.min(Math.max(offset, 0), document.getLength());
		int end = Math.min(start + Math.max(length, 0), document.getLength());
		return new Range(Conversions.position(document, start), Conversions.position(document, end));
	}
}
