package org.ilmpq.dsl.ui.bridge;

import java.util.Map;

import org.eclipse.jface.text.TextAttribute;

import com.google.inject.Injector;

/**
 * What the bridge needs to know of a language: its services (an injector of its runtime and ide modules), the
 * prefix of a line comment, and how each highlighting style looks. Style ids are Xtext's lexical ones
 * ({@link LexicalStyles}) and whatever the language's semantic highlighting calculator uses.
 */
public interface XtextLanguage {

	Injector injector();

	String lineCommentPrefix();

	/**
	 * The look of each style id; ids without an entry are drawn in the editor's default colours. Asked again for
	 * every token drawn: the looks may change while an editor is open (a preference).
	 */
	Map<String, TextAttribute> styles();
}
