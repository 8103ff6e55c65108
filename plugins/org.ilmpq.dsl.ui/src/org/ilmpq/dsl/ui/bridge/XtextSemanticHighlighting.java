package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.BadPositionCategoryException;
import org.eclipse.jface.text.DefaultPositionUpdater;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IPositionUpdater;
import org.eclipse.jface.text.ITextPresentationListener;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.swt.custom.StyleRange;

/**
 * Semantic highlighting: the highlights of {@link ReconciledViews}, drawn over the lexical colours. They are kept as positions of the document, which move with every edit, so that the
 * colours stay in place while the next validation runs.
 * {@link #show} and the drawing run on the UI thread.
 */
public final class XtextSemanticHighlighting implements ITextPresentationListener {

	private static final String CATEGORY = XtextSemanticHighlighting.class.getName();

	/** A position of the document with the style it is drawn in. */
	private static final class StyledPosition extends Position {
		final String style;

		StyledPosition(int offset, int length, String style) {
			super(offset, length);
			this.style = style;
		}
	}

	private final XtextLanguage language;
	private final IPositionUpdater updater = new DefaultPositionUpdater(CATEGORY);
	private IDocument document;
	private List<StyledPosition> positions = List.of();

	public XtextSemanticHighlighting(XtextLanguage language) {
		this.language = language;
	}

	/** Shows {@code highlights}, computed from the text {@code document} has now, in place of the last ones. */
	public void show(IDocument document, List<ReconciledViews.Highlight> highlights) {
		if (this.document != document) {
			uninstall();
			document.addPositionCategory(CATEGORY);
			document.addPositionUpdater(updater);
			this.document = document;
		}
		removePositions();
		List<StyledPosition> added = new ArrayList<>();
		for (ReconciledViews.Highlight highlight : highlights) {
			StyledPosition position = new StyledPosition(highlight.offset(), highlight.length(), highlight.style());
			try {
				document.addPosition(CATEGORY, position);
				added.add(position);
			} catch (BadLocationException | BadPositionCategoryException e) {
				// outside the text: a stale result, the next validation brings the right one
			}
		}
		positions = added;
	}

	/** The highlights as they are now in the text (tests). */
	public List<ReconciledViews.Highlight> highlights() {
		return positions.stream().filter(position -> !position.isDeleted())
				.map(position -> new ReconciledViews.Highlight(position.getOffset(), position.getLength(), position.style)).toList();
	}

	/** Stops tracking the document (the editor closes or changes its input). */
	public void uninstall() {
		if (document != null) {
			removePositions();
			document.removePositionUpdater(updater);
			try {
				document.removePositionCategory(CATEGORY);
			} catch (BadPositionCategoryException e) {
				// never added
			}
			document = null;
		}
	}

	private void removePositions() {
		for (StyledPosition position : positions) {
			try {
				document.removePosition(CATEGORY, position);
			} catch (BadPositionCategoryException e) {
				// already gone with its category
			}
		}
		positions = List.of();
	}

	@Override
	public void applyTextPresentation(TextPresentation presentation) {
		int start = presentation.getExtent().getOffset();
		int end = start + presentation.getExtent().getLength();
		for (StyledPosition position : positions) {
			TextAttribute attribute = language.styles().get(position.style);
			if (attribute == null || position.isDeleted() || position.getOffset() + position.getLength() <= start
					|| position.getOffset() >= end) {
				continue;
			}
			int from = Math.max(start, position.getOffset());
			int to = Math.min(end, position.getOffset() + position.getLength());
			presentation.mergeStyleRange(new StyleRange(from, to - from, attribute.getForeground(),
					attribute.getBackground(), attribute.getStyle()));
		}
	}
}
