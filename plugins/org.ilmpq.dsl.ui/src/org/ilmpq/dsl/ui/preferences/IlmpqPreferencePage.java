package org.ilmpq.dsl.ui.preferences;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.ColorFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.RadioGroupFieldEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;

/**
 * Window > Preferences > ILMPQ: the highlighting colours, the checks run while typing, and the builder's
 * generators. Stored in the plug-in's instance scope through a {@link ScopedPreferenceStore}; open editors take a
 * new colour at once, the builder a new switch at its next build.
 */
public final class IlmpqPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

	public static final String ID = "org.ilmpq.dsl.ui.preferences";

	public IlmpqPreferencePage() {
		super(GRID);
		setDescription("Settings of the .ilmpq editor and builder.");
	}

	@Override
	public void init(IWorkbench workbench) {
		// the plug-in's own store is a ScopedPreferenceStore of its instance scope; the same one, so that its
		// listeners (the editors' colours) hear the page's changes
		setPreferenceStore(IlmpqUiPlugin.getDefault().getPreferenceStore());
	}

	@Override
	protected void createFieldEditors() {
		Composite parent = getFieldEditorParent();
		addField(new RadioGroupFieldEditor(IlmpqPreferences.CHECKS_WHILE_TYPING, "Checks while typing", 1,
				new String[][] { { "Fast checks: syntax, names, shapes, splits (the hardware checks run on save)",
						IlmpqPreferences.CHECKS_FAST },
						{ "All checks, the hardware model's too (a design search per edit: slow on large networks)",
								IlmpqPreferences.CHECKS_ALL } },
				parent, true));
		heading(parent, "Generated on save, into ilmpq-gen/ (for a spec without errors)");
		addField(new BooleanFieldEditor(IlmpqPreferences.GENERATE_SCRIPT, "The PyTorch quantization script (quant/)",
				parent));
		addField(new BooleanFieldEditor(IlmpqPreferences.GENERATE_HLS,
				"The Vitis HLS project with seeded weights and golden data (hls/)", parent));
		IntegerFieldEditor limit = new IntegerFieldEditor(IlmpqPreferences.HLS_MAC_LIMIT,
				"  up to this many million MACs per image (its Java reference run grows with it):", parent, 6);
		limit.setValidRange(0, 1_000_000);
		addField(limit);
		heading(parent, "Colours");
		IlmpqPreferences.STYLES.forEach((id, style) -> {
			addField(new ColorFieldEditor(IlmpqPreferences.COLOUR + id, style.label(), parent));
			addField(new BooleanFieldEditor(IlmpqPreferences.BOLD + id, "  bold", parent));
		});
		addField(new BooleanFieldEditor(IlmpqPreferences.MATCHING_BRACKETS, "Highlight matching brackets", parent));
		addField(new BooleanFieldEditor(IlmpqPreferences.MARK_OCCURRENCES,
				"Mark the occurrences of the name at the caret", parent));
	}

	private static void heading(Composite parent, String text) {
		Label label = new Label(parent, SWT.NONE);
		label.setText(text);
		label.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		label.setFont(org.eclipse.jface.resource.JFaceResources.getBannerFont());
	}
}
