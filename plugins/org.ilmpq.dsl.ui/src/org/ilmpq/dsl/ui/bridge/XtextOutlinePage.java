package org.ilmpq.dsl.ui.bridge;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;

/**
 * The Outline view of an editor: the document symbols of {@link ReconciledViews}, as a tree. Selecting
 * a node selects its name in the editor.
 */
public final class XtextOutlinePage extends ContentOutlinePage {

	private final Consumer<DocumentSymbol> reveal;
	private List<DocumentSymbol> symbols = List.of();

	public XtextOutlinePage(Consumer<DocumentSymbol> reveal) {
		this.reveal = reveal;
	}

	/** Shows {@code symbols}, keeping the expanded nodes where the tree has the same shape; on the UI thread. */
	public void update(List<DocumentSymbol> symbols) {
		this.symbols = symbols;
		TreeViewer viewer = getTreeViewer();
		if (viewer != null && !viewer.getControl().isDisposed()) {
			Object[] expanded = viewer.getExpandedElements();
			viewer.setInput(symbols);
			viewer.setExpandedElements(expanded);
			if (expanded.length == 0) {
				viewer.expandToLevel(2);
			}
		}
	}

	public List<DocumentSymbol> symbols() {
		return symbols;
	}

	@Override
	public void createControl(Composite parent) {
		super.createControl(parent);
		TreeViewer viewer = getTreeViewer();
		viewer.setContentProvider(new SymbolTree());
		viewer.setLabelProvider(new LabelProvider() {
			@Override
			public String getText(Object element) {
				DocumentSymbol symbol = (DocumentSymbol) element;
				return symbol.getDetail() == null || symbol.getDetail().isEmpty() ? symbol.getName()
						: symbol.getName() + " : " + symbol.getDetail();
			}
		});
		// a symbol is the same node across edits when its name, kind and detail are: lsp4j's equals compares ranges
		// and children too, so every edit would collapse the tree
		viewer.setComparer(new IElementComparer() {
			@Override
			public boolean equals(Object a, Object b) {
				return a instanceof DocumentSymbol x && b instanceof DocumentSymbol y ? identity(x).equals(identity(y))
						: Objects.equals(a, b);
			}

			@Override
			public int hashCode(Object element) {
				return element instanceof DocumentSymbol symbol ? identity(symbol).hashCode() : Objects.hashCode(element);
			}
		});
		viewer.setInput(symbols);
		viewer.expandToLevel(2);
		viewer.addSelectionChangedListener(event -> {
			if (event.getStructuredSelection().getFirstElement() instanceof DocumentSymbol symbol
					&& getTreeViewer().getControl().isFocusControl()) {
				reveal.accept(symbol);
			}
		});
	}

	private static List<Object> identity(DocumentSymbol symbol) {
		return Arrays.asList(symbol.getName(), symbol.getKind(), symbol.getDetail());
	}

	/** Selects the node of {@code symbol} (tests, link with editor). */
	public void select(DocumentSymbol symbol) {
		getTreeViewer().setSelection(new StructuredSelection(symbol), true);
		reveal.accept(symbol);
	}

	private static final class SymbolTree implements ITreeContentProvider {

		@Override
		public Object[] getElements(Object input) {
			return ((List<?>) input).toArray();
		}

		@Override
		public Object[] getChildren(Object parent) {
			List<DocumentSymbol> children = ((DocumentSymbol) parent).getChildren();
			return children == null ? new Object[0] : children.toArray();
		}

		@Override
		public Object getParent(Object element) {
			return null;
		}

		@Override
		public boolean hasChildren(Object element) {
			List<DocumentSymbol> children = ((DocumentSymbol) element).getChildren();
			return children != null && !children.isEmpty();
		}
	}
}
