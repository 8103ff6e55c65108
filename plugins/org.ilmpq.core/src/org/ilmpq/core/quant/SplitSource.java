package org.ilmpq.core.quant;

/**
 * Where the split of a layer comes from. A layer takes the most specific split that the spec gives it, in
 * this order of precedence (first match wins):
 * <ol>
 * <li>{@link Kind#LAYER}: a {@code split} written on the layer itself;</li>
 * <li>{@link Kind#LAYER_POLICY}: the {@code first layer} / {@code last layer} policy of the quantization section;</li>
 * <li>{@link Kind#BLOCK_INSTANCE}: a {@code split} written on the block instance containing the layer;</li>
 * <li>{@link Kind#BLOCK}: a {@code split} statement in the body of the block containing the layer;</li>
 * <li>{@link Kind#NETWORK}: the {@code split} of the quantization section.</li>
 * </ol>
 * For nested blocks, levels 3 and 4 are looked up from the innermost block outwards: the nearest enclosing
 * split wins, as the nearest enclosing declaration does in any programming language.
 *
 * @param kind which rule chose the split
 * @param detail what the rule refers to: the instance or block name, {@code first}/{@code last}; empty otherwise
 */
public record SplitSource(Kind kind, String detail) {

	public enum Kind {
		LAYER, LAYER_POLICY, BLOCK_INSTANCE, BLOCK, NETWORK
	}

	public static final SplitSource LAYER = new SplitSource(Kind.LAYER, "");
	public static final SplitSource NETWORK = new SplitSource(Kind.NETWORK, "");

	@Override
	public String toString() {
		return switch (kind) {
		case LAYER -> "the layer's own split";
		case LAYER_POLICY -> "the '" + detail + " layer' policy";
		case BLOCK_INSTANCE -> "the split of block instance '" + detail + "'";
		case BLOCK -> "the split of block '" + detail + "'";
		case NETWORK -> "the network's default split";
		};
	}
}
