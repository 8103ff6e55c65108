package org.ilmpq.dsl.ui.bridge;

import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentExtension4;
import org.eclipse.jface.text.TextUtilities;
import org.eclipse.jface.text.DocumentRewriteSession;
import org.eclipse.jface.text.DocumentRewriteSessionType;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.server.formatting.FormattingService;
import org.eclipse.xtext.util.CancelIndicator;

/** Format (Ctrl+Shift+F): the language's Xtext formatter, its edits applied as one undoable change. */
public final class XtextFormatter {

	private final ParsedDocument parsed;
	private final FormattingService service;

	public XtextFormatter(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.service = language.injector().getInstance(FormattingService.class);
	}

	/** Formats the whole document; returns false where the formatter had nothing to change. */
	public boolean format(IDocument document) throws BadLocationException {
		List<? extends TextEdit> edits = parsed.read(document.get(),
				state -> service.format(state.document(), state.resource(),
						new DocumentFormattingParams(new TextDocumentIdentifier(parsed.uri().toString()),
								new FormattingOptions(4, true)),
						CancelIndicator.NullImpl));
		if (edits.isEmpty()) {
			return false;
		}
		DocumentRewriteSession session = document instanceof IDocumentExtension4 extension
				? extension.startRewriteSession(DocumentRewriteSessionType.UNRESTRICTED_SMALL)
				: null;
		// Xtext's formatter writes the platform's line separator; the file keeps its own
		String delimiter = TextUtilities.getDefaultLineDelimiter(document);
		List<TextEdit> ownDelimiters = edits.stream()
				.map(edit -> new TextEdit(edit.getRange(), edit.getNewText().replaceAll("\\r?\\n", delimiter)))
				.toList();
		try {
			Conversions.apply(document, ownDelimiters);
		} finally {
			if (session != null) {
				((IDocumentExtension4) document).stopRewriteSession(session);
			}
		}
		return true;
	}
}
