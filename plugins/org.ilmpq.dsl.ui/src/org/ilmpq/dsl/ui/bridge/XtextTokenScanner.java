package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.antlr.runtime.ANTLRStringStream;
import org.antlr.runtime.CommonToken;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.ITokenScanner;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.xtext.parser.antlr.ITokenDefProvider;
import org.eclipse.xtext.parser.antlr.Lexer;
import org.eclipse.xtext.parser.antlr.LexerBindings;

import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.name.Names;

/**
 * Lexical highlighting with the language's own Xtext lexer, so that keywords, comments and numbers are exactly
 * what the parser sees. Token names come from the grammar's token definitions: {@code 'network'} is a keyword,
 * {@code RULE_SL_COMMENT} a comment, {@code RULE_INT} a number, {@code RULE_STRING} a string (an import's path).
 * <p>
 * Lexes the whole document for every range asked for: a comment opened above a range changes it, and specs are
 * small (a ResNet-50 spec lexes in well under a millisecond).
 */
public final class XtextTokenScanner implements ITokenScanner {

	private final Provider<Lexer> lexers;
	private final Map<Integer, String> tokenNames;
	private final XtextLanguage language;
	private final List<CommonToken> tokens = new ArrayList<>();
	private int next;
	private CommonToken current;
	private int rangeStart;
	private int rangeEnd;

	public XtextTokenScanner(XtextLanguage language) {
		this.lexers = language.injector().getProvider(Key.get(Lexer.class, Names.named(LexerBindings.RUNTIME)));
		this.tokenNames = language.injector().getInstance(ITokenDefProvider.class).getTokenDefMap();
		this.language = language;
	}

	/** The style id of a token type of the grammar. */
	public String styleOf(int tokenType) {
		String name = tokenNames.get(tokenType);
		if (name == null) {
			return LexicalStyles.DEFAULT;
		}
		if (name.startsWith("'")) {
			String keyword = name.substring(1, name.length() - 1);
			return Character.isLetter(keyword.charAt(0)) ? LexicalStyles.KEYWORD : LexicalStyles.PUNCTUATION;
		}
		if (name.contains("COMMENT")) {
			return LexicalStyles.COMMENT;
		}
		if (name.equals("RULE_INT") || name.contains("DECIMAL") || name.contains("NUMBER") || name.contains("DIMENSIONS")) {
			return LexicalStyles.NUMBER;
		}
		if (name.equals("RULE_STRING")) {
			return LexicalStyles.STRING;
		}
		return LexicalStyles.DEFAULT;
	}

	@Override
	public void setRange(IDocument document, int offset, int length) {
		tokens.clear();
		Lexer lexer = lexers.get();
		lexer.setCharStream(new ANTLRStringStream(document.get()));
		rangeStart = offset;
		rangeEnd = offset + length;
		for (org.antlr.runtime.Token token = lexer.nextToken(); token.getType() != org.antlr.runtime.Token.EOF;
				token = lexer.nextToken()) {
			CommonToken common = (CommonToken) token;
			if (common.getStopIndex() >= offset && common.getStartIndex() < rangeEnd) {
				tokens.add(common);
			}
		}
		next = 0;
	}

	@Override
	public IToken nextToken() {
		if (next >= tokens.size()) {
			current = null;
			return Token.EOF;
		}
		current = tokens.get(next++);
		TextAttribute attribute = language.styles().get(styleOf(current.getType()));
		return attribute == null ? Token.UNDEFINED : new Token(attribute);
	}

	/** Clipped to the range: a comment begun above it is coloured only where the repairer asked. */
	@Override
	public int getTokenOffset() {
		return Math.max(current.getStartIndex(), rangeStart);
	}

	@Override
	public int getTokenLength() {
		return Math.min(current.getStopIndex() + 1, rangeEnd) - getTokenOffset();
	}
}
