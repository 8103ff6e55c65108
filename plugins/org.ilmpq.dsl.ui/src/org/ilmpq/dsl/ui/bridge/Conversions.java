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

	/** The offset of {@code position}, its character clamped to its line; the end for a line after the last. */
	public static int offset(IDocument document, Position position) {
		try {
			int line = position.getLine();
			return document.getLineOffset(line) + Math.min(position.getCharacter(), document.getLineLength(line)
					- (document.getLineDelimiter(line) == null ? 0 : document.getLineDelimiter(line).length()));
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
		List<Integer> order = new ArrayList<>();
		int[] starts = new int[edits.size()];
		int[] ends = new int[edits.size()];
		for (int i = 0; i < edits.size(); i++) {
			Range range = edits.get(i).getRange();
			if (range.getEnd().getLine() >= document.getNumberOfLines()) {
				throw new BadLocationException("an edit ends on line " + range.getEnd().getLine() + " of a text of "
						+ document.getNumberOfLines() + " lines");
			}
			starts[i] = offset(document, range.getStart());
			ends[i] = offset(document, range.getEnd());
			order.add(i);
		}
		// the last first; of edits starting at one place the later one first, so that they end up in their order
		order.sort(Comparator.comparing((Integer i) -> starts[i]).thenComparing(i -> i).reversed());
		for (int i : order) {
			document.replace(starts[i], ends[i] - starts[i], edits.get(i).getNewText());
		}
	}

	/** Markdown of hover texts as plain text: emphasis and code marks dropped, hard line breaks kept. */
	public static String plainText(String markdown) {
		return markdown.replace("**", "").replace("`", "").replace("  \n", "\n");
	}
}
