package org.ilmpq.dsl.ui.bridge;

/** The style ids of what the lexer alone can tell: the same names as Xtext's highlighting styles. */
public final class LexicalStyles {

	public static final String KEYWORD = "keyword";
	public static final String COMMENT = "comment";
	public static final String NUMBER = "number";
	public static final String STRING = "string";
	public static final String PUNCTUATION = "punctuation";
	public static final String DEFAULT = "default";

	private LexicalStyles() {
	}
}
