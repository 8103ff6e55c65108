package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.TextSelection;
import org.ilmpq.dsl.ui.bridge.XtextOccurrences;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.ilmpq.dsl.ui.editor.QuickOutlineDialog;
import org.ilmpq.dsl.ui.editor.ReferencesDialog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quick Outline, mark occurrences, Find References and rename: finding and changing a name in a spec. */
class NavigationTest {

	private static final String SPEC = """
			network n
			block Pair(tensor x, int channels) {
			    conv1 = conv(x, out=channels, kernel=3, padding=1)
			    relu1 = relu(conv1)
			    output relu1
			}
			input image: 1 x 8 x 8
			conv1 = conv(image, out=16, kernel=3, padding=1)
			relu1 = relu(conv1)
			pair = Pair(relu1, channels=16)
			sum = add(pair, relu1)
			output sum
			""";

	private IProject project;

	@BeforeEach
	void createProject() throws CoreException {
		project = Workbench.project("navigation-test");
	}

	@AfterEach
	void closeEditors() throws CoreException {
		Workbench.closeAll();
		project.delete(true, true, null);
	}

	private IlmpqEditor open(String text) throws CoreException {
		return Workbench.open(Workbench.file(project, "spec.ilmpq", text));
	}

	/** The offset of the {@code n}-th (0-based) occurrence of {@code text}. */
	private static int offset(IlmpqEditor editor, String text, int n) {
		int offset = -1;
		for (int i = 0; i <= n; i++) {
			offset = editor.getDocument().get().indexOf(text, offset + 1);
		}
		return offset;
	}

	@Test
	void quickOutlineListsTheSymbolsNamedAfterTheirContainersAndFiltersByName() throws Exception {
		IlmpqEditor editor = open(SPEC);
		Workbench.waitUntil("the outline's symbols", () -> !editor.symbols().isEmpty());
		org.eclipse.ui.dialogs.SearchPattern pattern = new org.eclipse.ui.dialogs.SearchPattern();
		pattern.setPattern("relu");
		List<String> names = editor.quickOutlineEntries().stream().filter(name -> pattern.matches(name)
				|| pattern.matches(name.substring(name.lastIndexOf('.') + 1))).toList();
		assertEquals(List.of("Pair.relu1", "relu1"), names);
	}

	@Test
	void theOccurrencesOfTheNameAtTheCaretAreMarked() throws Exception {
		IlmpqEditor editor = open(SPEC);
		int updates = editor.markOccurrences().updates();
		editor.markOccurrences().markAt(offset(editor, "relu1 = relu(conv1)", 1));
		Workbench.waitUntil("marked occurrences", () -> editor.markOccurrences().updates() > updates
				&& !editor.markOccurrences().marked().isEmpty());
		// the top-level relu1: declared, read by the block instance and by the add; not the block's own relu1
		assertEquals(List.of(offset(editor, "relu1 = relu(conv1)", 1) + ":5", offset(editor, "relu1, channels", 0) + ":5",
				offset(editor, "relu1)\noutput sum", 0) + ":5"), editor.markOccurrences().marked());
	}

	@Test
	void findReferencesListsTheDeclarationAndEveryReferenceWithItsLine() throws Exception {
		IlmpqEditor editor = open(SPEC);
		editor.getSelectionProvider().setSelection(new TextSelection(offset(editor, "conv1)", 1), 0));
		List<XtextOccurrences.Occurrence> found = editor.occurrencesAtCaret();
		assertEquals(List.of("line 8 (declaration): conv1 = conv(image, out=16, kernel=3, padding=1)",
				"line 9: relu1 = relu(conv1)"), editor.referenceLines(found));
	}

	@Test
	void renameChangesTheDeclarationAndEveryReferenceInOneUndoableEdit() throws Exception {
		IlmpqEditor editor = open(SPEC);
		assertNull(editor.rename(offset(editor, "relu1 = relu(conv1)", 1), "activated"));
		assertEquals(SPEC.replace("relu1 = relu(conv1)\npair = Pair(relu1, channels=16)\nsum = add(pair, relu1)",
				"activated = relu(conv1)\npair = Pair(activated, channels=16)\nsum = add(pair, activated)"),
				editor.getDocument().get());
		((org.eclipse.jface.text.ITextViewerExtension6) editor.viewer()).getUndoManager().undo();
		assertEquals(SPEC, editor.getDocument().get());
	}

	@Test
	void renameRefusesANameTakenInTheSameScope() throws Exception {
		IlmpqEditor editor = open(SPEC);
		String refusal = editor.rename(offset(editor, "sum = add", 0), "pair");
		assertTrue(refusal != null && refusal.startsWith("renaming 'sum' to 'pair' gives "), refusal);
		assertEquals(SPEC, editor.getDocument().get());
	}

	@Test
	void renameRefusesAKeyword() throws Exception {
		IlmpqEditor editor = open(SPEC);
		String refusal = editor.rename(offset(editor, "sum = add", 0), "conv");
		assertTrue(refusal != null && refusal.contains("error"), refusal);
		assertEquals(SPEC, editor.getDocument().get());
	}

	@Test
	void quickOutlineOpensFilteredByWhatIsTypedAndGoesToTheChosenLayer() throws Exception {
		IlmpqEditor editor = open(SPEC);
		Workbench.waitUntil("the outline's symbols", () -> !editor.symbols().isEmpty());
		QuickOutlineDialog dialog = new QuickOutlineDialog(Workbench.page().getWorkbenchWindow().getShell(),
				editor.symbols(), symbol -> editor.selectAndReveal(org.ilmpq.dsl.ui.bridge.Conversions.offset(
						editor.getDocument(), symbol.getSelectionRange().getStart()), "sum".length()));
		dialog.setInitialPattern("su");
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			QuickOutlineDialog.Entry entry = Workbench.waitFor("the filtered list",
					() -> dialog.selectedEntry().orElse(null));
			assertEquals("sum", entry.name());
			dialog.choose();
		} finally {
			dialog.close();
		}
		assertEquals("sum", ((ITextSelection) editor.getSelectionProvider().getSelection()).getText());
	}

	@Test
	void findReferencesOpensOnTheDeclarationAndGoesToTheChosenLine() throws Exception {
		IlmpqEditor editor = open(SPEC);
		editor.getSelectionProvider().setSelection(new TextSelection(offset(editor, "conv1)", 1), 0));
		ReferencesDialog dialog = new ReferencesDialog(Workbench.page().getWorkbenchWindow().getShell(),
				editor.getDocument(), editor.occurrencesAtCaret(), editor::selectAndReveal);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			dialog.choose(0);
		} finally {
			dialog.close();
		}
		ITextSelection selection = (ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals(offset(editor, "conv1 = conv(image", 0), selection.getOffset());
		assertEquals("conv1", selection.getText());
	}
	@Test
	void openDeclarationOfAnImportedBlockOpensItsLibraryAtTheBlock() throws Exception {
		IlmpqEditor editor = openImporting(Specs.IMPORTING);
		assertEquals(List.of(), Workbench.annotations(editor));
		editor.selectAndReveal(offset(editor, "ConvBn(x", 0) + 2, 0);
		assertTrue(editor.openDeclaration());
		IlmpqEditor library = (IlmpqEditor) Workbench.page().getActiveEditor();
		assertEquals("blocks.ilmpq", library.getEditorInput().getName());
		ITextSelection selection = (ITextSelection) library.getSelectionProvider().getSelection();
		assertEquals(Specs.LIBRARY.indexOf("ConvBn"), selection.getOffset());
		assertEquals("ConvBn", selection.getText());
	}

	@Test
	void openDeclarationOnAnImportsPathOpensTheLibrary() throws Exception {
		IlmpqEditor editor = openImporting(Specs.IMPORTING);
		editor.selectAndReveal(offset(editor, "blocks.ilmpq", 0), 0);
		assertTrue(editor.openDeclaration());
		IlmpqEditor library = (IlmpqEditor) Workbench.page().getActiveEditor();
		assertEquals("blocks.ilmpq", library.getEditorInput().getName());
		assertEquals("blocks", ((ITextSelection) library.getSelectionProvider().getSelection()).getText());
	}

	@Test
	void aBlockUnknownToTheLibraryIsAnErrorInTheEditor() throws Exception {
		IlmpqEditor editor = openImporting(Specs.IMPORTING.replace("ConvBn(x", "ConvBN(x"));
		assertEquals(List.of("7:unknown block 'ConvBN': no block of that name in this file or the libraries it "
				+ "imports (did you mean 'ConvBn'?)"), Workbench.waitFor("the linking error",
						() -> Workbench.annotations(editor).isEmpty() ? null : Workbench.annotations(editor)));
	}

	/** Opens {@code network} as net.ilmpq, beside lib/blocks.ilmpq. */
	private IlmpqEditor openImporting(String network) throws CoreException {
		project.getFolder("lib").create(true, true, null);
		Workbench.file(project, "lib/blocks.ilmpq", Specs.LIBRARY);
		return Workbench.open(Workbench.file(project, "net.ilmpq", network));
	}
}
