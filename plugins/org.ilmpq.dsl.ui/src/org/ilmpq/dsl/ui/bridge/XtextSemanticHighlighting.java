package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.text.ITextPresentationListener;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * Semantic highlighting: the positions the language's highlighting calculator finds in a reconciled state, drawn
 * over the lexical colours of the text they belong to. Positions of an older text are never drawn on a newer one.
 */
public final class XtextSemanticHighlighting implements ITextPresentationListener {

	/** A highlighted range and its style id. */
	public record Highlight(int offset, int length, String style) {
	}

	private final ISemanticHighlightingCalculator calculator;
	private final Map<String, TextAttribute> styles;
	private volatile List<Highlight> highlights = List.of();
	private volatile String text;

	public XtextSemanticHighlighting(XtextLanguage language) {
		this.calculator = language.injector().getInstance(ISemanticHighlightingCalculator.class);
		this.styles = language.styles();
	}

	/** Computes the highlights of a reconciled state; on the reconciler's thread. */
	public List<Highlight> compute(ParsedDocument.State state, CancelIndicator cancel) {
		List<Highlight> found = new ArrayList<>();
		calculator.provideHighlightingFor(state.resource(), (offset, length, ids) -> {
			for (String id : ids) {
				found.add(new Highlight(offset, length, id));
			}
		}, cancel);
		return found;
	}

	/** The highlights to draw while the document's text is {@code forText}. */
	public void set(List<Highlight> highlights, String forText) {
		this.highlights = List.copyOf(highlights);
		this.text = forText;
	}

	public List<Highlight> highlights() {
		return highlights;
	}

	/** Draws the highlights inside the presentation's extent, if they belong to the text shown. */
	public void apply(TextPresentation presentation, String shownText) {
		if (!shownText.equals(text)) {
			return;
		}
		int start = presentation.getExtent().getOffset();
		int end = start + presentation.getExtent().getLength();
		for (Highlight highlight : highlights) {
			TextAttribute attribute = styles.get(highlight.style());
			if (attribute == null || highlight.offset() + highlight.length() <= start || highlight.offset() >= end) {
				continue;
			}
			int from = Math.max(start, highlight.offset());
			int to = Math.min(end, highlight.offset() + highlight.length());
			StyleRange range = new StyleRange(from, to - from, attribute.getForeground(), attribute.getBackground(),
					attribute.getStyle());
			presentation.mergeStyleRange(range);
		}
	}

	private java.util.function.Supplier<String> shownText = () -> null;

	/** Where {@link #applyTextPresentation} reads the text on screen from. */
	public void showing(java.util.function.Supplier<String> shownText) {
		this.shownText = shownText;
	}

	@Override
	public void applyTextPresentation(TextPresentation presentation) {
		String shown = shownText.get();
		if (shown != null) {
			apply(presentation, shown);
		}
	}
}
