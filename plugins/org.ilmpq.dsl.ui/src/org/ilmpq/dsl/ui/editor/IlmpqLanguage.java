package org.ilmpq.dsl.ui.editor;

import java.util.Map;

import org.eclipse.jface.resource.ColorRegistry;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.ilmpq.dsl.ide.highlighting.IlmpqHighlightingStyles;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.LexicalStyles;
import org.ilmpq.dsl.ui.bridge.XtextLanguage;

import com.google.inject.Injector;

/** .ilmpq for the bridge: its services, its {@code //} comments, and its colours. */
public final class IlmpqLanguage implements XtextLanguage {

	private static IlmpqLanguage instance;

	private final Map<String, TextAttribute> styles;

	private IlmpqLanguage() {
		ColorRegistry colours = new ColorRegistry();
		colours.put("keyword", new RGB(127, 0, 85));
		colours.put("comment", new RGB(63, 127, 95));
		colours.put("number", new RGB(125, 125, 125));
		colours.put("reference", new RGB(0, 0, 192));
		colours.put("block", new RGB(0, 128, 128));
		colours.put("parameter", new RGB(106, 62, 62));
		colours.put("scheme", new RGB(200, 100, 0));
		colours.put("device", new RGB(160, 0, 160));
		styles = Map.of(
				LexicalStyles.KEYWORD, new TextAttribute(colours.get("keyword"), null, SWT.BOLD),
				LexicalStyles.COMMENT, new TextAttribute(colours.get("comment")),
				LexicalStyles.NUMBER, new TextAttribute(colours.get("number")),
				IlmpqHighlightingStyles.TENSOR_REFERENCE, new TextAttribute(colours.get("reference")),
				IlmpqHighlightingStyles.BLOCK, new TextAttribute(colours.get("block"), null, SWT.ITALIC),
				IlmpqHighlightingStyles.PARAMETER, new TextAttribute(colours.get("parameter"), null, SWT.ITALIC),
				IlmpqHighlightingStyles.SCHEME, new TextAttribute(colours.get("scheme"), null, SWT.BOLD),
				IlmpqHighlightingStyles.DEVICE, new TextAttribute(colours.get("device"), null, SWT.BOLD));
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
}
