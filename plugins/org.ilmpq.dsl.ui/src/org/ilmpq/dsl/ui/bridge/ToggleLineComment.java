package org.ilmpq.dsl.ui.bridge;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.DocumentRewriteSession;
import org.eclipse.jface.text.DocumentRewriteSessionType;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentExtension4;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextSelection;

/**
 * Toggle Comment (Ctrl+/): comments out the selected lines with the language's line-comment prefix, or, where
 * every non-blank selected line is commented already, removes the prefix (and one blank after it).
 */
public final class ToggleLineComment {

	private final String prefix;

	public ToggleLineComment(XtextLanguage language) {
		this.prefix = language.lineCommentPrefix();
	}

	public void toggle(IDocument document, ITextSelection selection) throws BadLocationException {
		int first = selection.getStartLine();
		int last = selection.getEndLine();
		// a selection ending at the start of a line does not take that line
		if (last > first && selection.getOffset() + selection.getLength() == document.getLineOffset(last)) {
			last--;
		}
		// commented: some line has text, and every line with text starts with the prefix
		boolean commented = false;
		for (int line = first; line <= last; line++) {
			String text = line(document, line);
			if (!text.isBlank()) {
				if (!text.stripLeading().startsWith(prefix)) {
					commented = false;
					break;
				}
				commented = true;
			}
		}
		DocumentRewriteSession session = document instanceof IDocumentExtension4 extension
				? extension.startRewriteSession(DocumentRewriteSessionType.UNRESTRICTED_SMALL)
				: null;
		try {
			for (int line = last; line >= first; line--) {
				IRegion region = document.getLineInformation(line);
				String text = line(document, line);
				if (commented) {
					int at = text.indexOf(prefix);
					if (at >= 0) {
						int length = prefix.length()
								+ (text.length() > at + prefix.length() && text.charAt(at + prefix.length()) == ' ' ? 1 : 0);
						document.replace(region.getOffset() + at, length, "");
					}
				} else if (!text.isBlank() || first == last) {
					document.replace(region.getOffset(), 0, prefix + " ");
				}
			}
		} finally {
			if (session != null) {
				((IDocumentExtension4) document).stopRewriteSession(session);
			}
		}
	}

	private static String line(IDocument document, int line) throws BadLocationException {
		IRegion region = document.getLineInformation(line);
		return document.get(region.getOffset(), region.getLength());
	}
}
