package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.TextSelection;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.quickassist.IQuickAssistInvocationContext;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.jface.text.source.projection.ProjectionAnnotationModel;
import org.eclipse.jface.text.source.projection.ProjectionViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The .ilmpq editor in a running workbench: what a user sees and does while editing a spec. */
class EditorTest {

	private static final String SPEC = Specs.SMALL_CNN;

	private IProject project;

	@BeforeEach
	void createProject() throws CoreException {
		project = Workbench.project("editor-test");
	}

	@AfterEach
	void closeEditors() throws CoreException {
		Workbench.closeAll();
		project.delete(true, true, null);
	}

	private IlmpqEditor open(String text) throws CoreException {
		return Workbench.open(Workbench.file(project, "spec.ilmpq", text));
	}

	private static void replace(IDocument document, String text, String by) throws BadLocationException {
		document.replace(document.get().indexOf(text), text.length(), by);
	}

	@Test
	void anInvalidSplitTypedIntoTheEditorIsMarkedWhileTyping() throws Exception {
		IlmpqEditor editor = open(SPEC);
		assertEquals(List.of(), Workbench.annotations(editor));
		replace(editor.getDocument(), "35 % fixed 4", "30 % fixed 4");
		Workbench.waitUntil("the split's problem", () -> !Workbench.annotations(editor).isEmpty());
		assertEquals(List.of("4:the shares of a split add up to 100 %, these to 95 %"), Workbench.annotations(editor));
	}

	@Test
	void onSaveTheBuilderPutsTheProblemOnTheFileAsAMarkerWithItsLine() throws Exception {
		IlmpqEditor editor = open(SPEC);
		replace(editor.getDocument(), "35 % fixed 4", "30 % fixed 4");
		editor.doSave(null);
		// (besides, once the auto-build has generated the spec's files before the edit, a warning that they are stale)
		assertEquals(List.of("4:error:the shares of a split add up to 100 %, these to 95 %"),
				Workbench.markers((IFile) editor.getEditorInput().getAdapter(IFile.class)).stream()
						.filter(marker -> marker.contains(":error:")).toList());
	}

	@Test
	void contentAssistAfterTargetProposesTheDevicesAndInsertsTheChosenOne() throws Exception {
		IlmpqEditor editor = open("network n\ntarget PY");
		ICompletionProposal[] proposals = proposals(editor, editor.getDocument().getLength());
		assertEquals(List.of("PYNQ-Z2 - XC7Z020, Zynq-7000 (xc7z020clg400-1)"),
				Arrays.stream(proposals).map(ICompletionProposal::getDisplayString).toList());
		proposals[0].apply(editor.getDocument());
		assertEquals("network n\ntarget PYNQ-Z2", editor.getDocument().get());
	}

	@Test
	void contentAssistProposesTheTensorsInScope() throws Exception {
		IlmpqEditor editor = open(SPEC.replace("relu1 = relu(conv1)", "relu1 = relu()"));
		int offset = editor.getDocument().get().indexOf("relu()") + "relu(".length();
		List<String> proposals = Arrays.stream(proposals(editor, offset)).map(ICompletionProposal::getDisplayString)
				.toList();
		assertTrue(proposals.containsAll(List.of("image - Input", "conv1 - Layer")), proposals.toString());
	}

	private static ICompletionProposal[] proposals(IlmpqEditor editor, int offset) {
		ISourceViewer viewer = editor.viewer();
		return configuration(editor).getContentAssistant(viewer)
				.getContentAssistProcessor(IDocument.DEFAULT_CONTENT_TYPE).computeCompletionProposals(viewer, offset);
	}

	private static org.eclipse.jface.text.source.SourceViewerConfiguration configuration(IlmpqEditor editor) {
		return Workbench.configuration(editor);
	}

	@Test
	void theQuickFixOfASplitNotAddingUpScalesItsShares() throws Exception {
		IlmpqEditor editor = open(SPEC);
		replace(editor.getDocument(), "35 % fixed 4", "30 % fixed 4");
		Workbench.waitUntil("the split's problem", () -> !Workbench.annotations(editor).isEmpty());
		ICompletionProposal[] fixes = quickFixes(editor, editor.getDocument().get().indexOf("60 %"));
		assertEquals(List.of("Scale the shares to add up to 100 %"),
				Arrays.stream(fixes).map(ICompletionProposal::getDisplayString).toList());
		fixes[0].apply(editor.getDocument());
		assertEquals(SPEC.replace("60 % pot 4, 35 % fixed 4", "63 % pot 4, 32 % fixed 4"), editor.getDocument().get());
	}

	@Test
	void theQuickFixOfTheBuildersIdleEngineWarningAppliesTheOptimisersSplit() throws Exception {
		String tight = Specs.IDLE_ENGINE;
		IlmpqEditor editor = open(tight);
		IFile file = (IFile) editor.getEditorInput().getAdapter(IFile.class);
		// the network is too large for its HLS project on every save: the builder says so and generates none
		assertEquals(List.of("1:info:no HLS project on save: the Java reference of 231,211,008 MACs per image for its "
				+ "golden data takes too long to run on every save; run 'ilmpq generate spec.ilmpq -o ilmpq-gen/spec'",
				"4:warning:on PYNQ-Z2 (xc7z020clg400-1) the fixed 8 engine computes 8 % of the time and "
				+ "waits the rest; the split 0 % pot 4, 95 % fixed 4, 5 % fixed 8 would take 71.37 ms instead of "
				+ "132.42 ms"), Workbench.markers(file));
		int offset = editor.getDocument().get().indexOf("60 %");
		ICompletionProposal[] fixes = Workbench.waitFor("the marker in the editor",
				() -> quickFixes(editor, offset).length > 0 ? quickFixes(editor, offset) : null);
		assertEquals(List.of("Apply the optimiser's split '0 % pot 4, 95 % fixed 4, 5 % fixed 8'"),
				Arrays.stream(fixes).map(ICompletionProposal::getDisplayString).toList());
		fixes[0].apply(editor.getDocument());
		assertEquals(tight.replace("60 % pot 4, 35 % fixed 4", "0 % pot 4, 95 % fixed 4"),
				editor.getDocument().get());
	}

	private static ICompletionProposal[] quickFixes(IlmpqEditor editor, int offset) {
		ISourceViewer viewer = editor.viewer();
		ICompletionProposal[] proposals = configuration(editor).getQuickAssistAssistant(viewer)
				.getQuickAssistProcessor().computeQuickAssistProposals(new IQuickAssistInvocationContext() {
					@Override
					public int getOffset() {
						return offset;
					}

					@Override
					public int getLength() {
						return 0;
					}

					@Override
					public ISourceViewer getSourceViewer() {
						return viewer;
					}
				});
		return proposals == null ? new ICompletionProposal[0] : proposals;
	}

	@Test
	void hoverOnALayerShowsItsShapeMacsAndRowsPerScheme() throws Exception {
		IlmpqEditor editor = open(SPEC);
		// 16 x 8 x 8 outputs of 1 x 3 x 3 MACs; 16 x 9 weights and 16 biases; 16 rows split 60/35/5
		assertEquals("conv1: output 16 x 8 x 8\n\n9,216 MACs, 160 parameters\n16 rows: 10 pot 4, 5 fixed 4, 1 fixed 8",
				hover(editor, editor.getDocument().get().indexOf("conv1 =")));
	}

	@Test
	void hoverOnAProblemShowsItsMessageBeforeTheElement() throws Exception {
		IlmpqEditor editor = open(SPEC.replace("PYNQ-Z2", "PYNQ-Z3"));
		Workbench.waitUntil("the device's problem", () -> !Workbench.annotations(editor).isEmpty());
		String hover = hover(editor, editor.getDocument().get().indexOf("PYNQ-Z3"));
		assertTrue(hover.startsWith("unknown device 'PYNQ-Z3'. Did you mean 'PYNQ-Z2'?"), hover);
	}

	private static String hover(IlmpqEditor editor, int offset) {
		return configuration(editor).getTextHover(editor.viewer(), IDocument.DEFAULT_CONTENT_TYPE)
				.getHoverInfo(editor.viewer(), new Region(offset, 0));
	}

	@Test
	void theOutlineShowsTheNetworkWithItsInputsAndLayers() throws Exception {
		IlmpqEditor editor = open(SPEC);
		Workbench.page().showView(IPageLayout.ID_OUTLINE);
		assertEquals(List.of("n", "  image", "  conv1", "  relu1", "  flat", "  fc"), tree(editor.symbols(), ""));
		IContentOutlinePage outline = editor.getAdapter(IContentOutlinePage.class);
		org.eclipse.swt.widgets.Tree tree = (org.eclipse.swt.widgets.Tree) outline.getControl();
		assertEquals("n : network", tree.getItem(0).getText());
		assertEquals(List.of("image : input", "conv1 : conv", "relu1 : relu", "flat : flatten", "fc : linear"),
				Arrays.stream(tree.getItem(0).getItems()).map(org.eclipse.swt.widgets.TreeItem::getText).toList());
	}

	@Test
	void theOutlineFollowsTheText() throws Exception {
		IlmpqEditor editor = open(SPEC);
		int shown = editor.reconciledCount();
		replace(editor.getDocument(), "flat = flatten(relu1)", "flat = flatten(relu1)\nextra = relu(flat)");
		Workbench.waitUntil("the next validation", () -> editor.reconciledCount() > shown
				&& tree(editor.symbols(), "").contains("  extra"));
		assertEquals(List.of("n", "  image", "  conv1", "  relu1", "  flat", "  extra", "  fc"),
				tree(editor.symbols(), ""));
	}

	private static List<String> tree(List<DocumentSymbol> symbols, String indent) {
		List<String> lines = new ArrayList<>();
		for (DocumentSymbol symbol : symbols) {
			lines.add(indent + symbol.getName());
			if (symbol.getChildren() != null) {
				lines.addAll(tree(symbol.getChildren(), indent + "  "));
			}
		}
		return lines;
	}

	@Test
	void formattingLaysTheSpecOutAsTheFormatterSays() throws Exception {
		IlmpqEditor editor = open("""
				network   n
				input x :3 x 8  x  8     a=conv( x,out = 16 ,kernel=3x3,  padding=1 )split 50%pot 4,50   % fixed 4
				output    a
				""");
		editor.format();
		assertEquals("""
				network n

				input x: 3 x 8 x 8
				a = conv(x, out=16, kernel=3x3, padding=1) split 50 % pot 4, 50 % fixed 4
				output a
				""", editor.getDocument().get());
	}

	@Test
	void openDeclarationGoesFromAReferenceToTheLayer() throws Exception {
		IlmpqEditor editor = open(SPEC);
		String text = editor.getDocument().get();
		editor.selectAndReveal(text.indexOf("relu(conv1)") + "relu(co".length(), 0);
		assertTrue(editor.openDeclaration());
		ITextSelection selection = (ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals(text.indexOf("conv1 ="), selection.getOffset());
		assertEquals("conv1", selection.getText());
	}

	@Test
	void toggleCommentCommentsTheSelectedLinesAndUncommentsThemAgain() throws Exception {
		IlmpqEditor editor = open(SPEC);
		IDocument document = editor.getDocument();
		int start = document.getLineOffset(7);
		int end = document.getLineOffset(9);
		editor.getSelectionProvider().setSelection(new TextSelection(document, start, end - start));
		editor.toggleComment();
		assertEquals(SPEC.replace("conv1 = conv", "// conv1 = conv").replace("relu1 = relu", "// relu1 = relu"),
				document.get());
		editor.getSelectionProvider().setSelection(new TextSelection(document, start, document.getLineOffset(9) - start));
		editor.toggleComment();
		assertEquals(SPEC, document.get());
	}

	@Test
	void theQuantizationSectionAndBlocksFold() throws Exception {
		IlmpqEditor editor = open("""
				network n
				quantization {
				    split fixed 8
				}
				block B(tensor t) {
				    y = relu(t)
				    output y
				}
				input x: 3 x 8 x 8
				b = B(x)
				output b
				""");
		ProjectionAnnotationModel model = ((ProjectionViewer) editor.viewer()).getProjectionAnnotationModel();
		assertEquals(List.of("1-3", "4-7"), folded(editor.getDocument(), model));
	}

	private static List<String> folded(IDocument document, ProjectionAnnotationModel model)
			throws BadLocationException {
		List<String> lines = new ArrayList<>();
		Iterator<Annotation> annotations = model.getAnnotationIterator();
		while (annotations.hasNext()) {
			Position position = model.getPosition(annotations.next());
			lines.add(document.getLineOfOffset(position.getOffset()) + "-"
					+ document.getLineOfOffset(position.getOffset() + position.getLength() - 1));
		}
		lines.sort(null);
		return lines;
	}

	@Test
	void keywordsAreBoldAndReferencesColouredByWhatTheyReferTo() throws Exception {
		IlmpqEditor editor = open(SPEC);
		String text = editor.getDocument().get();
		Workbench.waitUntil("semantic highlighting", () -> !editor.semanticHighlights().isEmpty());
		org.eclipse.swt.custom.StyledText widget = editor.viewer().getTextWidget();
		Workbench.waitUntil("the reference's colour", () -> {
			StyleRange style = widget.getStyleRangeAtOffset(text.indexOf("relu(conv1)") + "relu(".length());
			return style != null && style.foreground != null && style.foreground.getRGB().equals(new RGB(0, 0, 192));
		});
		StyleRange keyword = widget.getStyleRangeAtOffset(text.indexOf("network"));
		assertEquals(SWT.BOLD, keyword.fontStyle & SWT.BOLD);
		StyleRange name = widget.getStyleRangeAtOffset(text.indexOf("conv1 ="));
		assertTrue(name == null || name.foreground == null || !name.foreground.getRGB().equals(new RGB(0, 0, 192)),
				"the layer's own name is no reference");
	}

	@Test
	void theBracketAtTheCaretIsMatchedWithItsPartner() throws Exception {
		IlmpqEditor editor = open(SPEC);
		String text = editor.getDocument().get();
		int open = text.indexOf("quantization {") + "quantization ".length();
		org.eclipse.jface.text.IRegion pair = editor.bracketMatcher().match(editor.getDocument(), open + 1);
		assertEquals(open, pair.getOffset());
		assertEquals(text.indexOf("}\n", open) + 1, pair.getOffset() + pair.getLength());
	}

	@Test
	void formatToggleCommentAndOpenDeclarationHaveTheirKeysInTheEditor() throws Exception {
		open(SPEC);
		org.eclipse.ui.keys.IBindingService bindings = org.eclipse.ui.PlatformUI.getWorkbench()
				.getService(org.eclipse.ui.keys.IBindingService.class);
		Workbench.waitUntil("the editor's key binding context", () -> bindings
				.getBestActiveBindingFormattedFor(IlmpqEditor.OPEN_DECLARATION) != null);
		assertEquals(org.eclipse.jface.bindings.keys.KeySequence.getInstance("F3"),
				bindings.getBestActiveBindingFor(IlmpqEditor.OPEN_DECLARATION));
		assertEquals(org.eclipse.jface.bindings.keys.KeySequence.getInstance("CTRL+SHIFT+F"),
				bindings.getBestActiveBindingFor(IlmpqEditor.FORMAT));
		assertEquals(org.eclipse.jface.bindings.keys.KeySequence.getInstance("CTRL+/"),
				bindings.getBestActiveBindingFor(IlmpqEditor.TOGGLE_COMMENT));
	}

	@Test
	void theLexicalColouringOfARangeStaysInsideIt() throws Exception {
		// a repair of part of a comment (a marker drawn on it) must not colour text before the range: overlapping
		// style ranges make StyledText refuse the presentation
		String text = "network n\n/* a comment\nover lines */\ninput x: 3 x 8 x 8\n";
		org.ilmpq.dsl.ui.bridge.XtextTokenScanner scanner = new org.ilmpq.dsl.ui.bridge.XtextTokenScanner(
				org.ilmpq.dsl.ui.editor.IlmpqLanguage.get());
		int start = text.indexOf("comment");
		scanner.setRange(new org.eclipse.jface.text.Document(text), start, text.indexOf("input") + 5 - start);
		List<String> tokens = new ArrayList<>();
		while (!scanner.nextToken().isEOF()) {
			tokens.add(text.substring(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength()));
		}
		assertEquals(List.of("comment\nover lines */", "\n", "input"), tokens);
	}

	@Test
	void semanticColoursMoveWithTheTextBeforeTheNextValidation() throws Exception {
		IlmpqEditor editor = open(SPEC);
		Workbench.waitUntil("semantic highlighting", () -> !editor.semanticHighlights().isEmpty());
		IDocument document = editor.getDocument();
		int shown = editor.reconciledCount();
		document.replace(0, 0, "// a new first line\n");
		int reference = document.get().indexOf("relu(conv1)") + "relu(".length();
		StyleRange style = editor.viewer().getTextWidget().getStyleRangeAtOffset(reference);
		assertEquals(shown, editor.reconciledCount(), "no validation yet");
		assertEquals(new RGB(0, 0, 192), style.foreground.getRGB());
	}

	@Test
	void theOutlineKeepsItsNodesOpenAcrossEdits() throws Exception {
		IlmpqEditor editor = open(SPEC);
		Workbench.page().showView(IPageLayout.ID_OUTLINE);
		org.eclipse.swt.widgets.Tree tree = (org.eclipse.swt.widgets.Tree) editor.getAdapter(IContentOutlinePage.class)
				.getControl();
		assertTrue(tree.getItem(0).getExpanded());
		int shown = editor.reconciledCount();
		replace(editor.getDocument(), "flat = flatten(relu1)", "flat = flatten(relu1)\nextra = relu(flat)");
		Workbench.waitUntil("the next validation", () -> editor.reconciledCount() > shown);
		assertEquals(6, tree.getItem(0).getItemCount());
		assertTrue(tree.getItem(0).getExpanded(), "the network's node stays open");
	}

	@Test
	void aProblemFoundWhileTypingAndItsMarkerFromTheSaveOfferTheFixOnce() throws Exception {
		IlmpqEditor editor = open(SPEC);
		replace(editor.getDocument(), "35 % fixed 4", "30 % fixed 4");
		editor.doSave(null);
		Workbench.markers((IFile) editor.getEditorInput().getAdapter(IFile.class));
		Workbench.waitUntil("the split's problem", () -> !Workbench.annotations(editor).isEmpty());
		assertEquals(List.of("Scale the shares to add up to 100 %"), Arrays.stream(
				quickFixes(editor, editor.getDocument().get().indexOf("60 %"))).map(ICompletionProposal::getDisplayString)
				.toList());
	}

	@Test
	void aMarkerOfTheLastSaveOffersNoFixOnceTheTextIsRight() throws Exception {
		IlmpqEditor editor = open(SPEC);
		replace(editor.getDocument(), "35 % fixed 4", "30 % fixed 4");
		editor.doSave(null);
		Workbench.markers((IFile) editor.getEditorInput().getAdapter(IFile.class));
		replace(editor.getDocument(), "60 % pot 4, 30 % fixed 4", "62.5 % pot 4, 32.5 % fixed 4");
		Workbench.waitUntil("the problem gone while typing", () -> Workbench.annotations(editor).isEmpty());
		assertEquals(0, quickFixes(editor, editor.getDocument().get().indexOf("62.5 %")).length);
	}

	@Test
	void toggleCommentOnABlankLineCommentsIt() throws Exception {
		IlmpqEditor editor = open("network n\n\ninput x: 3 x 8 x 8\n");
		editor.getSelectionProvider().setSelection(new TextSelection(editor.getDocument(), "network n\n".length(), 0));
		editor.toggleComment();
		assertEquals("network n\n// \ninput x: 3 x 8 x 8\n", editor.getDocument().get());
	}

	@Test
	void theContextMenuNamesTheEditorsActionsNotTheirIds() throws Exception {
		IlmpqEditor editor = open(SPEC);
		org.eclipse.jface.action.MenuManager menu = new org.eclipse.jface.action.MenuManager();
		menu.add(new org.eclipse.jface.action.Separator(org.eclipse.ui.texteditor.ITextEditorActionConstants.GROUP_EDIT));
		java.lang.reflect.Method about;
		try {
			about = org.eclipse.ui.texteditor.AbstractTextEditor.class.getDeclaredMethod("editorContextMenuAboutToShow",
					org.eclipse.jface.action.IMenuManager.class);
			about.setAccessible(true);
			about.invoke(editor, menu);
		} catch (ReflectiveOperationException e) {
			throw new AssertionError(e);
		}
		List<String> labels = new ArrayList<>();
		for (org.eclipse.jface.action.IContributionItem item : menu.getItems()) {
			if (item instanceof org.eclipse.jface.action.ActionContributionItem action
					&& action.getAction().getActionDefinitionId() != null
					&& action.getAction().getActionDefinitionId().startsWith("org.ilmpq.")) {
				labels.add(action.getAction().getText());
			}
		}
		assertEquals(List.of("Format", "Toggle Comment", "Open Declaration", "Quick Outline", "Rename...",
				"Find References"), labels);
	}

	@Test
	void aLongHoverIsWrappedAtBlanksNotCutMidWord() throws Exception {
		IlmpqEditor editor = open(SPEC);
		org.eclipse.jface.text.ITextHover hover = configuration(editor).getTextHover(editor.viewer(),
				IDocument.DEFAULT_CONTENT_TYPE);
		assertTrue(hover instanceof org.eclipse.jface.text.ITextHoverExtension extension
				&& extension.getHoverControlCreator() != null, "the hover brings a control that wraps its text");
		String text = "on PYNQ-Z2 (xc7z020clg400-1) the fixed 8 engine computes 8 % of the time and waits the rest; "
				+ "the split 0 % pot 4, 95 % fixed 4, 5 % fixed 8 would take 71.37 ms instead of 132.42 ms";
		org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(editor.viewer().getTextWidget());
		try {
			int width = 300;
			String wrapped = new org.ilmpq.dsl.ui.bridge.WrappedText().updatePresentation(
					editor.viewer().getTextWidget(), text, new org.eclipse.jface.text.TextPresentation(), width, 1000);
			assertEquals(text, wrapped.replace("\n", " "), "only blanks became line breaks");
			assertTrue(wrapped.lines().count() > 1, wrapped);
			for (String line : wrapped.split("\n")) {
				assertTrue(gc.textExtent(line).x <= width, "'" + line + "' fits in " + width + " pixels");
			}
		} finally {
			gc.dispose();
		}
	}

	@Test
	void theHoverOfAFixableProblemSaysWhichQuickFixIsAvailable() throws Exception {
		IlmpqEditor editor = open(SPEC.replace("35 % fixed 4", "30 % fixed 4"));
		Workbench.waitUntil("the split's problem", () -> !Workbench.annotations(editor).isEmpty());
		assertEquals("the shares of a split add up to 100 %, these to 95 %\n"
				+ "1 quick fix available (Ctrl+1): Scale the shares to add up to 100 %",
				hover(editor, editor.getDocument().get().indexOf("60 %")).split("\n\n")[0]);
	}

	@Test
	void contentAssistWhereALayerMayStartOffersTheConvBatchnormReluTemplate() throws Exception {
		IlmpqEditor editor = open(SPEC.replace("flat = flatten(relu1)", "co\nflat = flatten(relu1)"));
		int offset = editor.getDocument().get().indexOf("co\n") + 2;
		ICompletionProposal[] proposals = proposals(editor, offset);
		ICompletionProposal template = Arrays.stream(proposals)
				.filter(p -> p.getDisplayString().startsWith("conv-bn-relu")).findFirst().orElseThrow(
						() -> new AssertionError(Arrays.stream(proposals).map(ICompletionProposal::getDisplayString)
								.toList().toString()));
		assertTrue(template instanceof org.eclipse.jface.text.templates.TemplateProposal, "a template, in linked mode");
		// as the content assistant applies it: into the viewer, which enters linked mode on its names
		((org.eclipse.jface.text.contentassist.ICompletionProposalExtension2) template).apply(editor.viewer(), '\0', 0,
				offset);
		assertTrue(editor.getDocument().get().contains("""
				relu1 = relu(conv1)
				conv2 = conv(x, out=64, kernel=3, padding=1, bias=false)
				bn2 = batchnorm(conv2)
				relu2 = relu(bn2)
				flat = flatten(relu1)
				"""), editor.getDocument().get());
	}

	@Test
	void theEditorAndItsFilesHaveTheSpecIcon() {
		org.eclipse.ui.IEditorDescriptor descriptor = org.eclipse.ui.PlatformUI.getWorkbench().getEditorRegistry()
				.findEditor(IlmpqEditor.ID);
		assertTrue(descriptor.getImageDescriptor() != null
				&& descriptor.getImageDescriptor().getImageData(100) != null, "the editor's icon loads");
		assertEquals(16, descriptor.getImageDescriptor().getImageData(100).width);
	}
}
