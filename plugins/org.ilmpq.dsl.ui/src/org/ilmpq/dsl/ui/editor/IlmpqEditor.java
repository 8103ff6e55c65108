package org.ilmpq.dsl.ui.editor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Path;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.source.DefaultCharacterPairMatcher;
import org.eclipse.jface.text.source.ICharacterPairMatcher;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.jface.text.source.IVerticalRuler;
import org.eclipse.jface.text.source.projection.ProjectionSupport;
import org.eclipse.jface.text.source.projection.ProjectionViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.editors.text.EditorsUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.editors.text.TextEditor;
import org.eclipse.ui.texteditor.ChainedPreferenceStore;
import org.eclipse.ui.texteditor.ITextEditorActionConstants;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.texteditor.ITextEditorActionDefinitionIds;
import org.eclipse.ui.texteditor.SourceViewerDecorationSupport;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;
import org.ilmpq.dsl.ui.bridge.Conversions;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.ReconciledViews;
import org.ilmpq.dsl.ui.bridge.ToggleLineComment;
import org.ilmpq.dsl.ui.bridge.XtextFolding;
import org.ilmpq.dsl.ui.bridge.XtextFormatter;
import org.ilmpq.dsl.ui.bridge.XtextHyperlinkDetector;
import org.ilmpq.dsl.ui.bridge.XtextOccurrences;
import org.ilmpq.dsl.ui.bridge.XtextOutlinePage;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.bridge.XtextRename;
import org.ilmpq.dsl.ui.bridge.XtextSemanticHighlighting;

/**
 * The .ilmpq editor: the platform's text editor with the language's Xtext ide services behind it (see the bridge
 * package): validation while typing, content assist with templates, quick fixes, hover, go to declaration, outline
 * and quick outline, folding, semantic highlighting, mark occurrences, find references, rename, formatting, toggle
 * comment and bracket matching.
 */
public class IlmpqEditor extends TextEditor {

	public static final String ID = "org.ilmpq.dsl.ui.editor";
	/** The key binding context of the editor's commands. */
	public static final String CONTEXT = "org.ilmpq.dsl.ui.editorContext";
	public static final String FORMAT = "org.ilmpq.dsl.ui.format";
	public static final String TOGGLE_COMMENT = "org.ilmpq.dsl.ui.toggleComment";
	public static final String OPEN_DECLARATION = "org.ilmpq.dsl.ui.openDeclaration";
	public static final String QUICK_OUTLINE = "org.ilmpq.dsl.ui.quickOutline";
	public static final String RENAME = "org.ilmpq.dsl.ui.rename";
	public static final String FIND_REFERENCES = "org.ilmpq.dsl.ui.findReferences";
	/** The annotation type of mark occurrences (its look: plugin.xml's markerAnnotationSpecification). */
	public static final String OCCURRENCE = "org.ilmpq.dsl.ui.occurrence";

	/** The editor's actions (context menu, key bindings): their ids and labels. */
	public enum EditorAction {
		FORMAT("Format", "Format", IlmpqEditor.FORMAT),
		TOGGLE_COMMENT("ToggleComment", "Toggle Comment", IlmpqEditor.TOGGLE_COMMENT),
		OPEN_DECLARATION("OpenDeclaration", "Open Declaration", IlmpqEditor.OPEN_DECLARATION),
		QUICK_OUTLINE("QuickOutline", "Quick Outline", IlmpqEditor.QUICK_OUTLINE),
		RENAME("Rename", "Rename...", IlmpqEditor.RENAME),
		FIND_REFERENCES("FindReferences", "Find References", IlmpqEditor.FIND_REFERENCES);

		public final String id;
		public final String label;
		public final String command;

		EditorAction(String id, String label, String command) {
			this.id = id;
			this.label = label;
			this.command = command;
		}
	}

	private static final AtomicInteger EDITORS = new AtomicInteger();

	private final IlmpqLanguage language = IlmpqLanguage.get();
	private final ParsedDocument parsed = new ParsedDocument(language.injector(),
			URI.createURI("editor-" + EDITORS.incrementAndGet() + ".ilmpq"));
	private final XtextHyperlinkDetector hyperlinks = new XtextHyperlinkDetector(language, parsed, this::open);
	private final XtextSemanticHighlighting semantic = new XtextSemanticHighlighting(language);
	private final ReconciledViews views = new ReconciledViews(language);
	private final XtextOccurrences occurrences = new XtextOccurrences(language, parsed);
	private final MarkOccurrences marked = new MarkOccurrences(this);
	private final AtomicInteger reconciled = new AtomicInteger();
	private XtextReconcilingStrategy strategy;
	private XtextOutlinePage outline;
	private volatile List<DocumentSymbol> symbols = List.of();
	private ProjectionSupport projection;
	private volatile Display display;
	private final ICharacterPairMatcher brackets = new DefaultCharacterPairMatcher(
			new char[] { '(', ')', '{', '}', '[', ']' });

	public IlmpqEditor() {
		setSourceViewerConfiguration(new IlmpqSourceViewerConfiguration(this, getPreferenceStore()));
	}

	@Override
	protected void initializeEditor() {
		super.initializeEditor();
		setPreferenceStore(new ChainedPreferenceStore(new IPreferenceStore[] {
				IlmpqUiPlugin.getDefault().getPreferenceStore(), EditorsUI.getPreferenceStore() }));
	}

	/** A changed colour or weight of a style redraws the text (the styles themselves follow in IlmpqLanguage). */
	@Override
	protected boolean affectsTextPresentation(org.eclipse.jface.util.PropertyChangeEvent event) {
		return IlmpqLanguage.affectsLooks(event.getProperty()) || super.affectsTextPresentation(event);
	}

	@Override
	protected void initializeKeyBindingScopes() {
		setKeyBindingScopes(new String[] { CONTEXT });
	}

	@Override
	protected ISourceViewer createSourceViewer(Composite parent, IVerticalRuler ruler, int styles) {
		ProjectionViewer viewer = new ProjectionViewer(parent, ruler, getOverviewRuler(), isOverviewRulerVisible(),
				styles);
		getSourceViewerDecorationSupport(viewer);
		return viewer;
	}

	@Override
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		super.createPartControl(parent);
		ProjectionViewer viewer = (ProjectionViewer) getSourceViewer();
		projection = new ProjectionSupport(viewer, getAnnotationAccess(), getSharedColors());
		projection.install();
		viewer.doOperation(ProjectionViewer.TOGGLE);
		viewer.addTextPresentationListener(semantic);
		marked.install(viewer);
	}

	@Override
	protected void configureSourceViewerDecorationSupport(SourceViewerDecorationSupport support) {
		support.setCharacterPairMatcher(brackets);
		support.setMatchingCharacterPainterPreferenceKeys(IlmpqPreferences.MATCHING_BRACKETS,
				IlmpqPreferences.MATCHING_BRACKETS_COLOR);
		super.configureSourceViewerDecorationSupport(support);
	}

	/** The strategy the viewer's reconciler runs; its results also feed outline, folding and highlighting. */
	XtextReconcilingStrategy reconcilingStrategy(ISourceViewer viewer) {
		if (strategy == null) {
			strategy = new XtextReconcilingStrategy(language, parsed, () -> getDocumentProvider() == null ? null
					: getDocumentProvider().getAnnotationModel(getEditorInput()));
			strategy.setCheckMode(IlmpqPreferences::checksWhileTyping);
			strategy.addListener((state, monitor) -> {
				ReconciledViews.Views shown = views.compute(state, monitor::isCanceled);
				if (!monitor.isCanceled() && display != null && !display.isDisposed()) {
					display.asyncExec(() -> show(shown));
				}
			});
		}
		return strategy;
	}

	/** Shows what a reconcile found, if the text is still the one it was found in; on the UI thread. */
	private void show(ReconciledViews.Views shown) {
		ProjectionViewer viewer = (ProjectionViewer) getSourceViewer();
		if (viewer == null || viewer.getTextWidget() == null || viewer.getTextWidget().isDisposed()
				|| viewer.getDocument() == null || !shown.text().equals(viewer.getDocument().get())) {
			return;
		}
		symbols = shown.symbols();
		if (outline != null) {
			outline.update(shown.symbols());
		}
		semantic.show(viewer.getDocument(), shown.highlights());
		viewer.invalidateTextPresentation();
		if (viewer.getProjectionAnnotationModel() != null) {
			XtextFolding.update(viewer.getProjectionAnnotationModel(), shown.folds());
		}
		reconciled.incrementAndGet();
	}

	/**
	 * Readers of every validated state of the text (the Design view), told on the reconciler's thread while the
	 * parsed resource is theirs: they take what they need and return at once.
	 */
	public void addValidationListener(XtextReconcilingStrategy.Listener listener) {
		reconcilingStrategy(getSourceViewer()).addListener(listener);
	}

	public void removeValidationListener(XtextReconcilingStrategy.Listener listener) {
		if (strategy != null) {
			strategy.removeListener(listener);
		}
	}

	/** Runs {@code reader} on the resource parsed from {@code text} (off the UI thread: it may wait for a validation). */
	public <T> T readParsed(String text, java.util.function.Function<ParsedDocument.State, T> reader) {
		return parsed.read(text, reader);
	}

	@Override
	protected void createActions() {
		super.createActions();
		action(EditorAction.FORMAT, this::format);
		action(EditorAction.TOGGLE_COMMENT, this::toggleComment);
		action(EditorAction.OPEN_DECLARATION, this::openDeclaration);
		action(EditorAction.QUICK_OUTLINE, this::quickOutline);
		action(EditorAction.RENAME, this::rename);
		action(EditorAction.FIND_REFERENCES, this::findReferences);
		IAction assist = new Action("Content Assist") {
			@Override
			public void run() {
				((ITextOperationTarget) getSourceViewer()).doOperation(ISourceViewer.CONTENTASSIST_PROPOSALS);
			}
		};
		assist.setActionDefinitionId(ITextEditorActionDefinitionIds.CONTENT_ASSIST_PROPOSALS);
		setAction("ContentAssistProposal", assist);
	}

	private void action(EditorAction which, Runnable run) {
		IAction action = new Action(which.label) {
			@Override
			public void run() {
				run.run();
			}
		};
		action.setId(which.id);
		action.setActionDefinitionId(which.command);
		setAction(which.id, action);
	}

	@Override
	protected void editorContextMenuAboutToShow(IMenuManager menu) {
		super.editorContextMenuAboutToShow(menu);
		for (EditorAction action : EditorAction.values()) {
			addAction(menu, ITextEditorActionConstants.GROUP_EDIT, action.id);
		}
	}

	/** Quick Outline (Ctrl+O): the outline's symbols in a filtered list; the chosen one is selected. */
	public void quickOutline() {
		new QuickOutlineDialog(getSite().getShell(), symbols, this::reveal).open();
	}

	/** Every occurrence of the element at the caret, declaration first: what Find References and rename use. */
	public List<XtextOccurrences.Occurrence> occurrencesAtCaret() {
		ITextSelection selection = (ITextSelection) getSelectionProvider().getSelection();
		return occurrences.at(getDocument().get(), selection.getOffset());
	}

	/** What Quick Outline lists, qualified names in outline order; for tests. */
	public List<String> quickOutlineEntries() {
		return QuickOutlineDialog.entries(symbols).stream().map(QuickOutlineDialog.Entry::name).toList();
	}

	/** How Find References lists {@code found}, one line each; for tests. */
	public List<String> referenceLines(List<XtextOccurrences.Occurrence> found) {
		return ReferencesDialog.lines(getDocument(), found).stream().map(ReferencesDialog.Line::label).toList();
	}

	/** Find References (Ctrl+Shift+G): the references to the element at the caret in a list to go to. */
	public void findReferences() {
		List<XtextOccurrences.Occurrence> found = occurrencesAtCaret();
		if (found.isEmpty()) {
			org.eclipse.jface.dialogs.MessageDialog.openInformation(getSite().getShell(), "Find References",
					"Put the caret on a name declared or referred to in this spec.");
			return;
		}
		new ReferencesDialog(getSite().getShell(), getDocument(), found, this::selectAndReveal).open();
	}

	/** Rename (Alt+Shift+R): asks for the new name and renames every occurrence in one undoable change. */
	public void rename() {
		if (!validateEditorInputState()) {
			return;
		}
		ITextSelection selection = (ITextSelection) getSelectionProvider().getSelection();
		String text = getDocument().get();
		XtextRename renaming = new XtextRename(language, parsed, scratch());
		String old = renaming.nameAt(text, selection.getOffset());
		if (old == null) {
			org.eclipse.jface.dialogs.MessageDialog.openInformation(getSite().getShell(), "Rename",
					"Put the caret on a name declared in this spec: a layer, an input, a block or a parameter.");
			return;
		}
		org.eclipse.jface.dialogs.InputDialog dialog = new org.eclipse.jface.dialogs.InputDialog(getSite().getShell(),
				"Rename '" + old + "'", "New name (every reference in the spec follows):", old,
				name -> {
					if (name.equals(old)) {
						return "";
					}
					XtextRename.Outcome outcome = renaming.rename(text, selection.getOffset(), name);
					return outcome.refused() ? outcome.refusal() : null;
				});
		if (dialog.open() == org.eclipse.jface.window.Window.OK) {
			rename(selection.getOffset(), dialog.getValue());
		}
	}

	/** Renames the element at {@code offset} to {@code name}; the refusal's reason where it cannot, else null. */
	public String rename(int offset, String name) {
		String text = getDocument().get();
		XtextRename.Outcome outcome = new XtextRename(language, parsed, scratch()).rename(text, offset, name);
		if (outcome.refused()) {
			return outcome.refusal();
		}
		org.eclipse.jface.text.IRewriteTarget rewrite = getAdapter(org.eclipse.jface.text.IRewriteTarget.class);
		if (rewrite != null) {
			rewrite.beginCompoundChange();
		}
		try {
			List<XtextRename.Occurrence> renamed = outcome.renamed();
			for (int i = renamed.size() - 1; i >= 0; i--) {
				getDocument().replace(renamed.get(i).offset(), renamed.get(i).length(), name);
			}
		} catch (BadLocationException e) {
			throw new IllegalStateException("the text changed while it was renamed", e);
		} finally {
			if (rewrite != null) {
				rewrite.endCompoundChange();
			}
		}
		return null;
	}

	/** A second parse of the text, to validate what a rename would give without touching the editor's. */
	private ParsedDocument scratch() {
		return new ParsedDocument(language.injector(), parsed.uri().trimFileExtension().appendFileExtension("rename")
				.appendFileExtension("ilmpq"));
	}

	/** Formats the whole text (Ctrl+Shift+F). */
	public void format() {
		if (!validateEditorInputState()) {
			return;
		}
		try {
			new XtextFormatter(language, parsed).format(getDocument());
		} catch (BadLocationException e) {
			throw new IllegalStateException("the text changed while it was formatted", e);
		}
	}

	/** Comments or uncomments the selected lines (Ctrl+/). */
	public void toggleComment() {
		if (!validateEditorInputState()) {
			return;
		}
		try {
			new ToggleLineComment(language).toggle(getDocument(),
					(ITextSelection) getSelectionProvider().getSelection());
		} catch (BadLocationException e) {
			throw new IllegalStateException("the selection is outside the text", e);
		}
	}

	/** Selects the declaration of what the reference at the caret refers to (F3); false where there is none. */
	public boolean openDeclaration() {
		ITextSelection selection = (ITextSelection) getSelectionProvider().getSelection();
		XtextHyperlinkDetector.Declaration declaration = hyperlinks.declaration(getDocument().get(),
				selection.getOffset());
		if (declaration == null) {
			return false;
		}
		open(declaration);
		return true;
	}

	/** Selects a declaration: here, or in the editor of the file that holds it (a library), opened if need be. */
	private void open(XtextHyperlinkDetector.Declaration declaration) {
		int offset = declaration.declaration().getOffset();
		int length = declaration.declaration().getLength();
		if (declaration.otherFile().isEmpty()) {
			selectAndReveal(offset, length);
			return;
		}
		URI uri = declaration.otherFile().get();
		try {
			IEditorPart editor;
			if (uri.isPlatformResource()) {
				IFile file = ResourcesPlugin.getWorkspace().getRoot().getFile(new Path(uri.toPlatformString(true)));
				editor = IDE.openEditor(getSite().getPage(), file);
			} else {
				editor = IDE.openEditorOnFileStore(getSite().getPage(),
						EFS.getLocalFileSystem().getStore(java.net.URI.create(uri.toString())));
			}
			if (editor instanceof ITextEditor text) {
				text.selectAndReveal(offset, length);
			}
		} catch (PartInitException e) {
			ErrorDialog.openError(getSite().getShell(), "Open Declaration", "Cannot open " + uri, e.getStatus());
		}
	}

	/** The spec is parsed where its file is, so that its imports resolve against the file's folder. */
	@Override
	protected void doSetInput(IEditorInput input) throws CoreException {
		super.doSetInput(input);
		if (input instanceof IFileEditorInput file) {
			parsed.locate(URI.createPlatformResourceURI(file.getFile().getFullPath().toString(), true));
		} else if (input instanceof IURIEditorInput external && external.getURI() != null) {
			parsed.locate(URI.createURI(external.getURI().toString()));
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getAdapter(Class<T> type) {
		if (IContentOutlinePage.class.equals(type)) {
			if (outline == null) {
				outline = new XtextOutlinePage(this::reveal);
				outline.update(symbols);
			}
			return (T) outline;
		}
		return super.getAdapter(type);
	}

	private void reveal(DocumentSymbol symbol) {
		IDocument document = getDocument();
		int start = Conversions.offset(document, symbol.getSelectionRange().getStart());
		int end = Conversions.offset(document, symbol.getSelectionRange().getEnd());
		selectAndReveal(start, end - start);
	}

	@Override
	public void dispose() {
		marked.uninstall();
		if (projection != null) {
			projection.dispose();
		}
		brackets.dispose();
		semantic.uninstall();
		super.dispose();
	}

	public IDocument getDocument() {
		return getDocumentProvider().getDocument(getEditorInput());
	}

	/** What the bracket highlighting matches: ( ), { }, [ ]. */
	public ICharacterPairMatcher bracketMatcher() {
		return brackets;
	}

	/** The viewer, for commands and tests. */
	public ISourceViewer viewer() {
		return getSourceViewer();
	}

	ParsedDocument parsed() {
		return parsed;
	}

	XtextHyperlinkDetector hyperlinks() {
		return hyperlinks;
	}

	/** The outline's symbols of the text last validated. */
	public List<DocumentSymbol> symbols() {
		return symbols;
	}

	/** The semantic highlights of the text last validated. */
	public List<ReconciledViews.Highlight> semanticHighlights() {
		return semantic.highlights();
	}

	/** Where mark occurrences puts its annotations; for tests. */
	public MarkOccurrences markOccurrences() {
		return marked;
	}

	XtextOccurrences occurrences() {
		return occurrences;
	}

	/** How many times a validated text has been shown (outline, folding, highlighting updated). */
	public int reconciledCount() {
		return reconciled.get();
	}
}
