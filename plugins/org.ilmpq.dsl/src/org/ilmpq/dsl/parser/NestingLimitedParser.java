package org.ilmpq.dsl.parser;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.antlr.runtime.CharStream;
import org.antlr.runtime.Token;
import org.antlr.runtime.TokenSource;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.SyntaxErrorMessage;
import org.eclipse.xtext.nodemodel.impl.NodeModelBuilder;
import org.eclipse.xtext.parser.IParseResult;
import org.eclipse.xtext.parser.ParseResult;
import org.eclipse.xtext.parser.antlr.XtextTokenStream;
import org.eclipse.xtext.util.ReplaceRegion;
import org.ilmpq.dsl.parser.antlr.IlmpqParser;
import org.ilmpq.dsl.validation.IssueCodes;

/**
 * The generated parser with limits on how deep an expression's tree grows. The parser descends four rules per
 * parenthesis, and a sum of n terms is a tree n deep (each operator wraps what came before it), whose positions
 * Xtext's node model works out recursively: on a thread's stack of 1 MB (a language server's worker) a few hundred
 * parentheses or some ten thousand terms overflow it. No spec needs more than a few of either, so parentheses
 * deeper than {@link #MAX_NESTING}, and the rest of an expression past its {@link #MAX_OPERATORS}th operator, are
 * read as blanks, and the first of them carries a syntax error: the trees stay shallow, and the file keeps its text
 * (an editor's model is still the document).
 */
public class NestingLimitedParser extends IlmpqParser {

	/** The deepest parentheses may nest (docs/language.md, "Limits"). */
	public static final int MAX_NESTING = 64;

	/** The most operators one expression may have (docs/language.md, "Limits"). */
	public static final int MAX_OPERATORS = 1_000;

	static final String NESTING = "parentheses nest more than " + MAX_NESTING + " deep";
	static final String OPERATORS = "an expression has more than " + String.format(Locale.ROOT, "%,d", MAX_OPERATORS)
			+ " operators";

	@Override
	protected XtextTokenStream createTokenStream(TokenSource tokenSource) {
		Map<Integer, String> names = getTokenDefProvider().getTokenDefMap();
		Set<Integer> operators = Set.of(type(names, "'+'"), type(names, "'-'"), type(names, "'*'"), type(names, "'/'"));
		Set<Integer> operands = Set.of(type(names, "RULE_INT"), type(names, "RULE_ID"));
		Set<Integer> hidden = Set.of(type(names, "RULE_WS"), type(names, "RULE_ML_COMMENT"), type(names, "RULE_SL_COMMENT"));
		return new LimitedTokenStream(tokenSource, this, type(names, "'('"), type(names, "')'"), operators, operands,
				hidden, type(names, "RULE_WS"));
	}

	@Override
	protected IParseResult doParse(String ruleName, CharStream in, NodeModelBuilder builder, int initialLookAhead) {
		IParseResult result = super.doParse(ruleName, in, builder, initialLookAhead);
		// the text once: a node's own getText() walks up to the root, across a tree as deep as a long sum
		String text = result.getRootNode().getText();
		boolean errors = false;
		for (ILeafNode leaf : result.getRootNode().getLeafNodes()) {
			if (leaf.isHidden() && leaf.getTotalLength() == 1) {
				char c = text.charAt(leaf.getTotalOffset());
				String message = c == '(' || c == ')' ? NESTING : "+-*/".indexOf(c) >= 0 ? OPERATORS : null;
				if (message != null) {
					builder.setSyntaxError(leaf, new SyntaxErrorMessage(message, IssueCodes.NESTING));
					errors = true;
					break;
				}
			}
		}
		// the result says whether it has syntax errors once and for all
		return errors ? new ParseResult(result.getRootASTElement(), result.getRootNode(), true) : result;
	}

	/**
	 * A whole parse for every change: a partial one would count the nesting from inside the changed region only.
	 * Specs are small, and a whole parse of ResNet-50 takes milliseconds.
	 */
	@Override
	protected IParseResult doReparse(IParseResult previous, ReplaceRegion region) {
		StringBuilder text = new StringBuilder(previous.getRootNode().getText());
		region.applyTo(text);
		return doParse(text);
	}

	private static int type(Map<Integer, String> names, String name) {
		return names.entrySet().stream().filter(entry -> entry.getValue().equals(name)).mapToInt(Map.Entry::getKey)
				.findFirst().orElseThrow(() -> new IllegalStateException("the grammar has no token " + name));
	}

	/**
	 * The tokens as the lexer makes them, but parentheses beyond the nesting limit and an expression's tokens from
	 * its operator past the limit on turned into blanks. An expression is a run of numbers, names, operators and
	 * parentheses: any other token (a comma, a keyword, an equals sign) ends it.
	 */
	private static final class LimitedTokenStream extends XtextTokenStream {
		private final int open;
		private final int close;
		private final Set<Integer> operators;
		private final Set<Integer> operands;
		private final Set<Integer> hidden;
		private final int blank;

		LimitedTokenStream(TokenSource source, NestingLimitedParser parser, int open, int close, Set<Integer> operators,
				Set<Integer> operands, Set<Integer> hidden, int blank) {
			super(source, parser.getTokenDefProvider());
			this.open = open;
			this.close = close;
			this.operators = operators;
			this.operands = operands;
			this.hidden = hidden;
			this.blank = blank;
		}

		@Override
		protected void fillBuffer() {
			super.fillBuffer();
			int depth = 0;
			int operatorsInExpression = 0;
			for (Object element : tokens) {
				Token token = (Token) element;
				int type = token.getType();
				if (hidden.contains(type)) {
					continue;
				}
				boolean inExpression = type == open || type == close || operators.contains(type) || operands.contains(type);
				if (!inExpression) {
					operatorsInExpression = 0;
				} else if (operators.contains(type)) {
					operatorsInExpression++;
				}
				if (type == open) {
					depth++;
				}
				if (operatorsInExpression > MAX_OPERATORS || (type == open || type == close) && depth > MAX_NESTING) {
					token.setType(blank);
				}
				if (type == close) {
					depth = Math.max(0, depth - 1);
				}
			}
		}
	}
}
