package org.ilmpq.dsl.ui.editor;

import java.util.List;
import java.util.function.BiConsumer;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.XtextOccurrences;

/**
 * Find References: the declaration of the name at the caret and every reference to it, one line each
 * ({@code line 12: relu1 = relu(bn1)}), filtered as the user types; the chosen one is selected in the editor.
 */
final class ReferencesDialog extends ElementListSelectionDialog {

	/** One occurrence as listed. */
	record Line(String label, int offset, int length) {
	}

	private final BiConsumer<Integer, Integer> reveal;

	ReferencesDialog(Shell shell, IDocument document, List<XtextOccurrences.Occurrence> occurrences,
			BiConsumer<Integer, Integer> reveal) {
		super(shell, new LabelProvider() {
			@Override
			public String getText(Object element) {
				return ((Line) element).label();
			}

			@Override
			public org.eclipse.swt.graphics.Image getImage(Object element) {
				return IlmpqUiPlugin.getDefault().image(IlmpqUiPlugin.SPEC_IMAGE);
			}
		});
		this.reveal = reveal;
		List<Line> lines = lines(document, occurrences);
		String name = document.get().substring(occurrences.get(0).offset(),
				occurrences.get(0).offset() + occurrences.get(0).length());
		setTitle("References to '" + name + "'");
		setMessage(lines.size() - occurrences.stream().filter(XtextOccurrences.Occurrence::declaration).count()
				+ " references and the declaration; Enter goes to the chosen one:");
		setElements(lines.toArray());
		setMultipleSelection(false);
		setAllowDuplicates(true);
	}

	/** Each occurrence as "line N: the line's text", declaration marked. */
	static List<Line> lines(IDocument document, List<XtextOccurrences.Occurrence> occurrences) {
		return occurrences.stream().map(occurrence -> {
			try {
				int line = document.getLineOfOffset(occurrence.offset());
				String text = document.get(document.getLineOffset(line), document.getLineLength(line)).strip();
				return new Line("line " + (line + 1) + (occurrence.declaration() ? " (declaration)" : "") + ": " + text,
						occurrence.offset(), occurrence.length());
			} catch (BadLocationException e) {
				throw new IllegalStateException("an occurrence lies outside the text", e);
			}
		}).toList();
	}

	@Override
	protected void okPressed() {
		super.okPressed();
		Object[] result = getResult();
		if (result != null && result.length == 1) {
			Line line = (Line) result[0];
			reveal.accept(line.offset(), line.length());
		}
	}
}
