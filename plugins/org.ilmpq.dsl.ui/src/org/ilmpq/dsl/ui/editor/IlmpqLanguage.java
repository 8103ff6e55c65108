package org.ilmpq.dsl.ui.editor;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.PreferenceConverter;
import org.eclipse.jface.resource.ColorRegistry;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.swt.SWT;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.XtextLanguage;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;

import com.google.inject.Injector;

/**
 * .ilmpq for the bridge: its services, its {@code //} comments, and its colours, which follow the preferences
 * (Window > Preferences > ILMPQ): a changed colour replaces the map of styles, which the bridge asks per token.
 */
public final class IlmpqLanguage implements XtextLanguage {

	private static IlmpqLanguage instance;

	/** Colours by their RGB, owned by the registry (disposed with the display), shared by the styles' versions. */
	private final ColorRegistry colours = new ColorRegistry();
	private volatile Map<String, TextAttribute> styles;

	private IlmpqLanguage() {
		IPreferenceStore store = IlmpqPreferences.store();
		styles = styles(store);
		store.addPropertyChangeListener(event -> {
			if (event.getProperty().startsWith(IlmpqPreferences.COLOUR)
					|| event.getProperty().startsWith(IlmpqPreferences.BOLD)) {
				styles = styles(store);
			}
		});
	}

	private Map<String, TextAttribute> styles(IPreferenceStore store) {
		Map<String, TextAttribute> looks = new HashMap<>();
		IlmpqPreferences.STYLES.forEach((id, style) -> {
			org.eclipse.swt.graphics.RGB rgb = PreferenceConverter.getColor(store, IlmpqPreferences.COLOUR + id);
			String key = rgb.red + "," + rgb.green + "," + rgb.blue;
			if (!colours.hasValueFor(key)) {
				colours.put(key, rgb);
			}
			looks.put(id, new TextAttribute(colours.get(key), null,
					(store.getBoolean(IlmpqPreferences.BOLD + id) ? SWT.BOLD : SWT.NORMAL)
							| (style.italic() ? SWT.ITALIC : SWT.NORMAL)));
		});
		return Map.copyOf(looks);
	}

	/** The one instance; made on the UI thread (colours need the display). */
	public static synchronized IlmpqLanguage get() {
		if (instance == null) {
			instance = new IlmpqLanguage();
		}
		return instance;
	}

	@Override
	public Injector injector() {
		return IlmpqUiPlugin.getDefault().injector();
	}

	@Override
	public String lineCommentPrefix() {
		return "//";
	}

	@Override
	public Map<String, TextAttribute> styles() {
		return styles;
	}

	/** Whether a preference change alters how a text looks (a style's colour or weight). */
	public static boolean affectsLooks(String property) {
		return property.startsWith(IlmpqPreferences.COLOUR) || property.startsWith(IlmpqPreferences.BOLD);
	}
}
