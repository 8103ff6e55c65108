package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.PreferenceConverter;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.ilmpq.dsl.ui.bridge.LexicalStyles;
import org.ilmpq.dsl.ui.builder.IlmpqBuilder;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.ilmpq.dsl.ui.editor.IlmpqLanguage;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferencePage;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Window > Preferences > ILMPQ: colours, the checks while typing, and what the builder generates. */
class PreferencesTest {

	private IProject project;

	@BeforeEach
	void createProject() throws CoreException {
		project = Workbench.project("preferences-test");
	}

	@AfterEach
	void restoreDefaults() throws CoreException {
		Workbench.closeAll();
		IPreferenceStore store = IlmpqPreferences.store();
		for (String key : List.of(IlmpqPreferences.COLOUR + LexicalStyles.KEYWORD, IlmpqPreferences.CHECKS_WHILE_TYPING,
				IlmpqPreferences.GENERATE_HLS, IlmpqPreferences.GENERATE_SCRIPT)) {
			store.setToDefault(key);
		}
		project.delete(true, true, null);
	}

	@Test
	void thePageOpensOnTheWorkbenchsInstanceScopedStore() {
		PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(Workbench.page().getWorkbenchWindow()
				.getShell(), IlmpqPreferencePage.ID, new String[] { IlmpqPreferencePage.ID }, null);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			assertTrue(dialog.getSelectedPage() instanceof IlmpqPreferencePage, "the ILMPQ page is shown");
			IlmpqPreferencePage page = (IlmpqPreferencePage) dialog.getSelectedPage();
			assertTrue(page.getPreferenceStore() instanceof ScopedPreferenceStore, "a ScopedPreferenceStore");
			assertEquals(IlmpqPreferences.store(), page.getPreferenceStore());
		} finally {
			dialog.close();
		}
	}

	@Test
	void aKeywordColourChosenInThePreferencesIsTheEditorsAtOnce() throws Exception {
		RGB red = new RGB(200, 0, 0);
		PreferenceConverter.setValue(IlmpqPreferences.store(), IlmpqPreferences.COLOUR + LexicalStyles.KEYWORD, red);
		assertEquals(red, IlmpqLanguage.get().styles().get(LexicalStyles.KEYWORD).getForeground().getRGB());
	}

	@Test
	void withAllChecksWhileTypingTheHardwareWarningsAppearBeforeTheSave() throws Exception {
		IlmpqPreferences.store().setValue(IlmpqPreferences.CHECKS_WHILE_TYPING, IlmpqPreferences.CHECKS_ALL);
		IlmpqEditor editor = Workbench.open(Workbench.file(project, "tight.ilmpq", Specs.IDLE_ENGINE));
		assertTrue(Workbench.annotations(editor).stream().anyMatch(a -> a.contains("the fixed 8 engine computes")),
				Workbench.annotations(editor).toString());
	}

	@Test
	void withTheHlsSwitchOffTheBuilderWritesOnlyTheQuantizationScript() throws Exception {
		IlmpqPreferences.store().setValue(IlmpqPreferences.GENERATE_HLS, false);
		IFile spec = Workbench.file(project, "small.ilmpq", """
				network small
				target PYNQ-Z2
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 1 x 8 x 8
				c = conv(x, out=8, kernel=3, padding=1)
				output c
				""");
		assertEquals(List.of(), Workbench.markers(spec));
		assertTrue(IlmpqBuilder.outputOf(spec).getFolder("quant").exists(), "the script is written");
		assertTrue(!IlmpqBuilder.outputOf(spec).getFolder("hls").exists(), "no HLS project");
	}
}
