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
public final class ReferencesDialog extends ElementListSelectionDialog {

	/** One occurrence as listed. */
	record Line(String label, int offset, int length) {
	}

	private final BiConsumer<Integer, Integer> reveal;
	private final List<Line> lines;

	public ReferencesDialog(Shell shell, IDocument document, List<XtextOccurrences.Occurrence> occurrences,
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
		this.lines = lines(document, occurrences);
		String name = document.get().substring(occurrences.get(0).offset(),
				occurrences.get(0).offset() + occurrences.get(0).length());
		setTitle("References to '" + name + "'");
		setMessage(lines.size() - occurrences.stream().filter(XtextOccurrences.Occurrence::declaration).count()
				+ " references and the declaration; Enter goes to the chosen one:");
		setElements(lines.toArray());
		setMultipleSelection(false);
		setAllowDuplicates(true);
		setInitialSelections(lines.get(0));
	}

	/**
	 * The lines in text order, not in the alphabetical order of their labels ("line 10" before "line 9"): the list
	 * sorts the labels, so by the number they start with.
	 */
	@Override
	protected org.eclipse.ui.dialogs.FilteredList createFilteredList(org.eclipse.swt.widgets.Composite parent) {
		org.eclipse.ui.dialogs.FilteredList list = super.createFilteredList(parent);
		list.setComparator(java.util.Comparator.comparingInt((Object label) -> lineNumber((String) label))
				.thenComparing(Object::toString));
		return list;
	}

	private static int lineNumber(String label) {
		java.util.regex.Matcher number = java.util.regex.Pattern.compile("^line (\\d+)").matcher(label);
		return number.find() ? Integer.parseInt(number.group(1)) : Integer.MAX_VALUE;
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

	/** Closes the list and goes to its {@code index}-th line (0: the declaration), as choosing it does. */
	public void choose(int index) {
		Line line = lines.get(index);
		close();
		reveal.accept(line.offset(), line.length());
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
