package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.folding.FoldingRangeService;
import org.eclipse.xtext.ide.server.symbol.HierarchicalDocumentSymbolService;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * What an editor shows of a validated text besides its problems: the outline's symbols, the semantic highlights
 * and the folding regions, from Xtext's symbol, highlighting and folding range services. Computed on the
 * reconciler's thread after each validation; shown on the UI thread by {@link XtextOutlinePage},
 * {@link XtextSemanticHighlighting} and {@link XtextFolding}, if the text is still the one they were computed from.
 */
public final class ReconciledViews {

	/** A highlighted range and its style id. */
	public record Highlight(int offset, int length, String style) {
	}

	/**
	 * The views of {@code text}.
	 *
	 * @param folds whole lines of {@code text}, from the start of the first to the start of the line after the last
	 */
	public record Views(String text, List<DocumentSymbol> symbols, List<Highlight> highlights, List<Position> folds) {
	}

	private final HierarchicalDocumentSymbolService symbols;
	private final ISemanticHighlightingCalculator highlighting;
	private final FoldingRangeService folding;

	public ReconciledViews(XtextLanguage language) {
		this.symbols = language.injector().getInstance(HierarchicalDocumentSymbolService.class);
		this.highlighting = language.injector().getInstance(ISemanticHighlightingCalculator.class);
		this.folding = language.injector().getInstance(FoldingRangeService.class);
	}

	public Views compute(ParsedDocument.State state, CancelIndicator cancel) {
		String text = state.document().getContents();
		List<Highlight> highlights = new ArrayList<>();
		highlighting.provideHighlightingFor(state.resource(), (offset, length, ids) -> {
			for (String id : ids) {
				highlights.add(new Highlight(offset, length, id));
			}
		}, cancel);
		return new Views(text, symbols.getSymbols(state.resource(), cancel), highlights, folds(state, text, cancel));
	}

	private List<Position> folds(ParsedDocument.State state, String text, CancelIndicator cancel) {
		// lines of the validated text, not of the live document, which the UI thread may be changing
		IDocument lines = new Document(text);
		List<Position> regions = new ArrayList<>();
		for (FoldingRange range : folding.createFoldingRanges(state.document(), state.resource(), cancel)) {
			try {
				int start = lines.getLineOffset(range.getStartLine());
				int endLine = range.getEndLine();
				int end = endLine + 1 < lines.getNumberOfLines() ? lines.getLineOffset(endLine + 1) : lines.getLength();
				regions.add(new Position(start, end - start));
			} catch (BadLocationException e) {
				// a range outside the text it was computed from: Xtext's to fix, nothing to fold
			}
		}
		return regions;
	}
}
