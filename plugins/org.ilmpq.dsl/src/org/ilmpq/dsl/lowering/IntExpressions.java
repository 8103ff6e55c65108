package org.ilmpq.dsl.lowering;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.ilmpq.dsl.ilmpq.BinaryExpr;
import org.ilmpq.dsl.ilmpq.Expr;
import org.ilmpq.dsl.ilmpq.IntLiteral;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamRef;

/**
 * Evaluates the integer expressions of a spec ({@code channels * 4}, {@code width / groups}) with exact long
 * arithmetic: {@code /} divides whole numbers, rounding toward zero. An expression that cannot be evaluated
 * (an unresolved parameter, a syntax error) yields empty and says nothing, since linking or parsing has already
 * reported it; a division by zero or an overflow is reported to {@code problems}.
 */
final class IntExpressions {

	private final Map<Param, Long> parameters;
	private final BiConsumer<EObject, String> problems;

	/**
	 * @param parameters the values of the int parameters in scope
	 * @param problems receives the expression at fault and a message
	 */
	IntExpressions(Map<Param, Long> parameters, BiConsumer<EObject, String> problems) {
		this.parameters = parameters;
		this.problems = problems;
	}

	/**
	 * The value of {@code expr}. Iterative, with a stack of its own: a sum of 100,000 terms parses into a tree as
	 * deep, which recursion would overflow on.
	 */
	OptionalLong evaluate(Expr expr) {
		Deque<Expr> pending = new LinkedList<>(); // an operand is null after a syntax error

		Deque<OptionalLong> values = new ArrayDeque<>();
		Set<BinaryExpr> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
		pending.push(expr);
		while (!pending.isEmpty()) {
			Expr next = pending.pop();
			if (next instanceof BinaryExpr binary) {
				if (expanded.add(binary)) {
					// its operands first, the left on top; then itself again, to combine them
					pending.push(binary);
					pending.push(binary.getRight());
					pending.push(binary.getLeft());
				} else {
					OptionalLong right = values.pop();
					OptionalLong left = values.pop();
					values.push(left.isEmpty() || right.isEmpty() || binary.getOperator() == null ? OptionalLong.empty()
							: apply(binary, left.getAsLong(), binary.getOperator(), right.getAsLong()));
				}
			} else {
				values.push(leaf(next));
			}
		}
		return values.pop();
	}

	private OptionalLong leaf(Expr expr) {
		if (expr instanceof IntLiteral literal) {
			// a number that did not convert (too large) is left at 0 with a syntax error: not a value
			return hasSyntaxError(literal) ? OptionalLong.empty() : OptionalLong.of(literal.getValue());
		}
		if (expr instanceof ParamRef ref) {
			Long value = ref.getParam() == null ? null : parameters.get(ref.getParam());
			return value == null ? OptionalLong.empty() : OptionalLong.of(value);
		}
		return OptionalLong.empty(); // null (a syntax error) or a kind of expression this version does not know
	}

	private static boolean hasSyntaxError(EObject element) {
		ICompositeNode node = NodeModelUtils.getNode(element);
		if (node == null) {
			return false;
		}
		for (INode leaf : node.getLeafNodes()) {
			if (leaf.getSyntaxErrorMessage() != null) {
				return true;
			}
		}
		return false;
	}

	private OptionalLong apply(BinaryExpr expr, long left, String operator, long right) {
		try {
			switch (operator) {
			case "+":
				return OptionalLong.of(Math.addExact(left, right));
			case "-":
				return OptionalLong.of(Math.subtractExact(left, right));
			case "*":
				return OptionalLong.of(Math.multiplyExact(left, right));
			case "/":
				if (right == 0) {
					problems.accept(expr, left + " / 0 divides by zero");
					return OptionalLong.empty();
				}
				return OptionalLong.of(left / right);
			default:
				throw new IllegalStateException("operator " + operator);
			}
		} catch (ArithmeticException overflow) {
			problems.accept(expr, left + " " + operator + " " + right + " does not fit in 64 bits");
			return OptionalLong.empty();
		}
	}
}
