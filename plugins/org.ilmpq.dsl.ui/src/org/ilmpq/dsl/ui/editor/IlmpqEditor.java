package org.ilmpq.dsl.ui.editor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.emf.common.util.URI;
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
import org.eclipse.ui.editors.text.EditorsUI;
import org.eclipse.ui.editors.text.TextEditor;
import org.eclipse.ui.texteditor.ChainedPreferenceStore;
import org.eclipse.ui.texteditor.ITextEditorActionConstants;
import org.eclipse.ui.texteditor.ITextEditorActionDefinitionIds;
import org.eclipse.ui.texteditor.SourceViewerDecorationSupport;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.Conversions;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.ReconciledViews;
import org.ilmpq.dsl.ui.bridge.ToggleLineComment;
import org.ilmpq.dsl.ui.bridge.XtextFolding;
import org.ilmpq.dsl.ui.bridge.XtextFormatter;
import org.ilmpq.dsl.ui.bridge.XtextHyperlinkDetector;
import org.ilmpq.dsl.ui.bridge.XtextOutlinePage;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.bridge.XtextSemanticHighlighting;

/**
 * The .ilmpq editor: the platform's text editor with the language's Xtext ide services behind it (see the bridge
 * package): validation while typing, content assist, quick fixes, hover, go to declaration, outline, folding,
 * semantic highlighting, formatting, toggle comment and bracket matching.
 */
public class IlmpqEditor extends TextEditor {

	public static final String ID = "org.ilmpq.dsl.ui.editor";
	/** The key binding context of the editor's commands. */
	public static final String CONTEXT = "org.ilmpq.dsl.ui.editorContext";
	public static final String FORMAT = "org.ilmpq.dsl.ui.format";
	public static final String TOGGLE_COMMENT = "org.ilmpq.dsl.ui.toggleComment";
	public static final String OPEN_DECLARATION = "org.ilmpq.dsl.ui.openDeclaration";

	/** Preference keys of bracket matching, with defaults in {@link IlmpqUiPlugin}. */
	public static final String MATCHING_BRACKETS = "org.ilmpq.dsl.ui.matchingBrackets";
	public static final String MATCHING_BRACKETS_COLOR = "org.ilmpq.dsl.ui.matchingBracketsColor";

	private static final AtomicInteger EDITORS = new AtomicInteger();

	private final IlmpqLanguage language = IlmpqLanguage.get();
	private final ParsedDocument parsed = new ParsedDocument(language.injector(),
			URI.createURI("editor-" + EDITORS.incrementAndGet() + ".ilmpq"));
	private final XtextHyperlinkDetector hyperlinks = new XtextHyperlinkDetector(language, parsed,
			this::selectAndReveal);
	private final XtextSemanticHighlighting semantic = new XtextSemanticHighlighting(language);
	private final ReconciledViews views = new ReconciledViews(language);
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
	}

	@Override
	protected void configureSourceViewerDecorationSupport(SourceViewerDecorationSupport support) {
		support.setCharacterPairMatcher(brackets);
		support.setMatchingCharacterPainterPreferenceKeys(MATCHING_BRACKETS, MATCHING_BRACKETS_COLOR);
		super.configureSourceViewerDecorationSupport(support);
	}

	/** The strategy the viewer's reconciler runs; its results also feed outline, folding and highlighting. */
	XtextReconcilingStrategy reconcilingStrategy(ISourceViewer viewer) {
		if (strategy == null) {
			strategy = new XtextReconcilingStrategy(language, parsed, () -> getDocumentProvider() == null ? null
					: getDocumentProvider().getAnnotationModel(getEditorInput()));
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

	@Override
	protected void createActions() {
		super.createActions();
		action("Format", FORMAT, this::format);
		action("ToggleComment", TOGGLE_COMMENT, this::toggleComment);
		action("OpenDeclaration", OPEN_DECLARATION, this::openDeclaration);
		action("ContentAssistProposal", ITextEditorActionDefinitionIds.CONTENT_ASSIST_PROPOSALS,
				() -> ((ITextOperationTarget) getSourceViewer()).doOperation(ISourceViewer.CONTENTASSIST_PROPOSALS));
	}

	private void action(String id, String command, Runnable run) {
		IAction action = new Action(id) {
			@Override
			public void run() {
				run.run();
			}
		};
		action.setActionDefinitionId(command);
		setAction(id, action);
	}

	@Override
	protected void editorContextMenuAboutToShow(IMenuManager menu) {
		super.editorContextMenuAboutToShow(menu);
		addAction(menu, ITextEditorActionConstants.GROUP_EDIT, "Format");
		addAction(menu, ITextEditorActionConstants.GROUP_EDIT, "ToggleComment");
		addAction(menu, ITextEditorActionConstants.GROUP_EDIT, "OpenDeclaration");
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
		selectAndReveal(declaration.declaration().getOffset(), declaration.declaration().getLength());
		return true;
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

	/** How many times a validated text has been shown (outline, folding, highlighting updated). */
	public int reconciledCount() {
		return reconciled.get();
	}
}
