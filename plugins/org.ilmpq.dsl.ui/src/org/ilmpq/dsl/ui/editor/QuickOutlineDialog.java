package org.ilmpq.dsl.ui.editor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.FilteredItemsSelectionDialog;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;

/**
 * Quick Outline (Ctrl+O): the outline's symbols in a filtered list; typing narrows it by name (with the platform's
 * patterns: {@code *}, {@code ?}, camel case), Enter selects the element in the editor. Nested symbols (a block's
 * layers) carry their container's name, {@code BasicBlock.conv1}, and are found by either name.
 */
public final class QuickOutlineDialog extends FilteredItemsSelectionDialog {

	/** A symbol with its qualified name and its place in the outline's order. */
	public record Entry(String name, String detail, int order, DocumentSymbol symbol) {
	}

	private static final String SETTINGS = QuickOutlineDialog.class.getName();

	private final List<Entry> entries;
	private final Consumer<DocumentSymbol> reveal;

	public QuickOutlineDialog(Shell shell, List<DocumentSymbol> symbols, Consumer<DocumentSymbol> reveal) {
		super(shell, false);
		this.entries = entries(symbols);
		setTitle("Quick Outline");
		setMessage("Layers, blocks and sections of the spec (type a name; * and ? are wildcards):");
		setListLabelProvider(new LabelProvider() {
			@Override
			public String getText(Object element) {
				Entry entry = (Entry) element;
				return entry.detail() == null || entry.detail().isEmpty() ? entry.name()
						: entry.name() + " - " + entry.detail();
			}

			@Override
			public Image getImage(Object element) {
				return IlmpqUiPlugin.getDefault().image(IlmpqUiPlugin.SPEC_IMAGE);
			}
		});
		setDetailsLabelProvider(new LabelProvider());
		this.reveal = reveal;
	}

	/** The symbols, depth first, named after their containers below the root (the network, which holds all). */
	static List<Entry> entries(List<DocumentSymbol> symbols) {
		List<Entry> entries = new ArrayList<>();
		for (DocumentSymbol root : symbols) {
			entries.add(new Entry(root.getName(), root.getDetail(), entries.size(), root));
			if (root.getChildren() != null) {
				add(entries, root.getChildren(), "");
			}
		}
		return entries;
	}

	private static void add(List<Entry> entries, List<DocumentSymbol> symbols, String container) {
		for (DocumentSymbol symbol : symbols) {
			String name = container.isEmpty() ? symbol.getName() : container + "." + symbol.getName();
			entries.add(new Entry(name, symbol.getDetail(), entries.size(), symbol));
			if (symbol.getChildren() != null) {
				add(entries, symbol.getChildren(), name);
			}
		}
	}

	private static String last(String qualified) {
		return qualified.substring(qualified.lastIndexOf('.') + 1);
	}

	@Override
	protected Control createExtendedContentArea(Composite parent) {
		return null;
	}

	@Override
	protected IDialogSettings getDialogSettings() {
		IDialogSettings settings = IlmpqUiPlugin.getDefault().getDialogSettings().getSection(SETTINGS);
		return settings != null ? settings : IlmpqUiPlugin.getDefault().getDialogSettings().addNewSection(SETTINGS);
	}

	@Override
	protected IStatus validateItem(Object item) {
		return Status.OK_STATUS;
	}

	@Override
	protected ItemsFilter createFilter() {
		return new ItemsFilter() {
			@Override
			public boolean matchItem(Object item) {
				String name = ((Entry) item).name();
				return matches(name) || matches(last(name));
			}

			@Override
			public boolean isConsistentItem(Object item) {
				return true;
			}
		};
	}

	@Override
	protected Comparator<Entry> getItemsComparator() {
		return Comparator.comparingInt(Entry::order);
	}

	@Override
	protected void fillContentProvider(AbstractContentProvider provider, ItemsFilter filter, IProgressMonitor monitor)
			throws CoreException {
		for (Entry entry : entries) {
			provider.add(entry, filter);
		}
	}

	@Override
	public String getElementName(Object item) {
		return ((Entry) item).name();
	}

	/** The entry the list has selected now (the first that matches the pattern, until the user moves); for tests. */
	public java.util.Optional<Entry> selectedEntry() {
		Object first = getSelectedItems().getFirstElement();
		return first instanceof Entry entry ? java.util.Optional.of(entry) : java.util.Optional.empty();
	}

	/** Goes to the selected entry, as Enter does. */
	public void choose() {
		okPressed();
	}

	@Override
	protected void okPressed() {
		super.okPressed();
		Object[] result = getResult();
		if (result != null && result.length == 1 && reveal != null) {
			reveal.accept(((Entry) result[0]).symbol());
		}
	}
}
