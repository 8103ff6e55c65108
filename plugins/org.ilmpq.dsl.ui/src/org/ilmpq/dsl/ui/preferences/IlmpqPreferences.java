package org.ilmpq.dsl.ui.preferences;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.PreferenceConverter;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.xtext.validation.CheckMode;
import org.ilmpq.dsl.ide.highlighting.IlmpqHighlightingStyles;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.LexicalStyles;

/**
 * The workbench's preferences of .ilmpq (Window > Preferences > ILMPQ), in the plug-in's instance scope: the colours
 * of the highlighting styles, which checks run while typing, and what the builder generates on save.
 */
public final class IlmpqPreferences {

	/** Prefix of a style's colour key; then the style id: {@code colour.keyword}. */
	public static final String COLOUR = "colour.";
	/** Prefix of a style's bold key. */
	public static final String BOLD = "bold.";
	/** Which checks run while typing: {@link #CHECKS_FAST} or {@link #CHECKS_ALL}. */
	public static final String CHECKS_WHILE_TYPING = "checksWhileTyping";
	public static final String CHECKS_FAST = "fast";
	public static final String CHECKS_ALL = "all";
	/** Whether the builder writes the quantization script of a spec without errors. */
	public static final String GENERATE_SCRIPT = "generateScript";
	/** Whether the builder writes the HLS project on save (up to {@link #HLS_MAC_LIMIT} MACs per image). */
	public static final String GENERATE_HLS = "generateHls";
	/** Millions of MACs per image up to which the HLS project, with its golden data, is generated on save. */
	public static final String HLS_MAC_LIMIT = "hlsMacLimitMillions";
	/** Whether the declaration and references of the name at the caret are highlighted. */
	public static final String MARK_OCCURRENCES = "markOccurrences";
	/** Bracket matching (the platform's decoration support reads these keys). */
	public static final String MATCHING_BRACKETS = "org.ilmpq.dsl.ui.matchingBrackets";
	public static final String MATCHING_BRACKETS_COLOR = "org.ilmpq.dsl.ui.matchingBracketsColor";

	/**
	 * A style with a colour: its label on the page, its default colour and weight (after Eclipse's Java editor), and
	 * whether it is italic (fixed: blocks and their parameters, as Java's fields and parameters).
	 */
	public record Style(String label, RGB colour, boolean bold, boolean italic) {

		Style(String label, RGB colour, boolean bold) {
			this(label, colour, bold, false);
		}
	}

	public static final Map<String, Style> STYLES;
	static {
		Map<String, Style> styles = new LinkedHashMap<>();
		styles.put(LexicalStyles.KEYWORD, new Style("Keywords", new RGB(127, 0, 85), true));
		styles.put(LexicalStyles.COMMENT, new Style("Comments", new RGB(63, 127, 95), false));
		styles.put(LexicalStyles.NUMBER, new Style("Numbers", new RGB(125, 125, 125), false));
		styles.put(LexicalStyles.STRING, new Style("Paths of imports", new RGB(42, 0, 255), false));
		styles.put(IlmpqHighlightingStyles.TENSOR_REFERENCE, new Style("Tensor references", new RGB(0, 0, 192), false));
		styles.put(IlmpqHighlightingStyles.BLOCK, new Style("Blocks", new RGB(0, 128, 128), false, true));
		styles.put(IlmpqHighlightingStyles.PARAMETER, new Style("Block parameters", new RGB(106, 62, 62), false, true));
		styles.put(IlmpqHighlightingStyles.SCHEME, new Style("Quantization schemes", new RGB(200, 100, 0), true));
		styles.put(IlmpqHighlightingStyles.DEVICE, new Style("Devices", new RGB(160, 0, 160), true));
		STYLES = java.util.Collections.unmodifiableMap(styles);
	}

	/**
	 * Million MACs per image up to which the builder generates the HLS project on save, by default: with seeded
	 * weights and golden data from the Java reference, the digits and Fashion-MNIST CNNs take well under a second;
	 * ResNet-18's reference run takes about 25 s, too long to repeat per save ({@code ilmpq generate} writes it).
	 */
	public static final int DEFAULT_HLS_MAC_LIMIT_MILLIONS = 100;

	private IlmpqPreferences() {
	}

	public static void initializeDefaults(IPreferenceStore store) {
		STYLES.forEach((id, style) -> {
			PreferenceConverter.setDefault(store, COLOUR + id, style.colour());
			store.setDefault(BOLD + id, style.bold());
		});
		store.setDefault(CHECKS_WHILE_TYPING, CHECKS_FAST);
		store.setDefault(GENERATE_SCRIPT, true);
		store.setDefault(GENERATE_HLS, true);
		store.setDefault(HLS_MAC_LIMIT, DEFAULT_HLS_MAC_LIMIT_MILLIONS);
		store.setDefault(MARK_OCCURRENCES, true);
		store.setDefault(MATCHING_BRACKETS, true);
		store.setDefault(MATCHING_BRACKETS_COLOR, "128,128,128");
	}

	public static IPreferenceStore store() {
		return IlmpqUiPlugin.getDefault().getPreferenceStore();
	}

	/** The checks the editor runs while typing; the builder runs all of them on save whatever this says. */
	public static CheckMode checksWhileTyping() {
		return CHECKS_ALL.equals(store().getString(CHECKS_WHILE_TYPING)) ? CheckMode.ALL : CheckMode.FAST_ONLY;
	}

	public static boolean generateScript() {
		return store().getBoolean(GENERATE_SCRIPT);
	}

	public static boolean generateHls() {
		return store().getBoolean(GENERATE_HLS);
	}

	public static long hlsMacLimit() {
		return Math.max(0, store().getInt(HLS_MAC_LIMIT)) * 1_000_000L;
	}
}
