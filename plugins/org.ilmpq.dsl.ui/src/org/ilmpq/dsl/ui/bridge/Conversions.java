package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;

/** Between LSP's line/character positions and JFace's offsets, and LSP text edits applied to a JFace document. */
public final class Conversions {

	private Conversions() {
	}

	public static int offset(IDocument document, Position position) {
		try {
			return document.getLineOffset(position.getLine()) + position.getCharacter();
		} catch (BadLocationException e) {
			return document.getLength();
		}
	}

	public static Position position(IDocument document, int offset) {
		try {
			int line = document.getLineOfOffset(offset);
			return new Position(line, offset - document.getLineOffset(line));
		} catch (BadLocationException e) {
			throw new IllegalArgumentException("offset " + offset + " outside the document", e);
		}
	}

	/**
	 * Applies edits whose ranges all refer to the text before any of them (LSP's rule), from the last to the first
	 * so that each range is still where it was.
	 */
	public static void apply(IDocument document, List<? extends TextEdit> edits) throws BadLocationException {
		List<TextEdit> ordered = new ArrayList<>(edits);
		ordered.sort(Comparator.comparing((TextEdit edit) -> offset(document, edit.getRange().getStart())).reversed());
		for (TextEdit edit : ordered) {
			Range range = edit.getRange();
			int start = offset(document, range.getStart());
			document.replace(start, offset(document, range.getEnd()) - start, edit.getNewText());
		}
	}

	/** Markdown of hover texts as plain text: emphasis and code marks dropped, hard line breaks kept. */
	public static String plainText(String markdown) {
		return markdown.replace("**", "").replace("`", "").replace("  \n", "\n");
	}
}
