package org.ilmpq.dsl.ide.highlighting;

/**
 * The semantic styles of .ilmpq, beyond Xtext's lexical ones (keywords, numbers, comments): what a name refers
 * to, which the lexer cannot know.
 */
public final class IlmpqHighlightingStyles {

	/** A reference to an input, a layer or a tensor parameter: {@code relu1} in {@code relu(relu1)}. */
	public static final String TENSOR_REFERENCE = "ilmpq.tensor-reference";
	/** The name of a block, where it is defined and where it is instantiated. */
	public static final String BLOCK = "ilmpq.block";
	/** A block parameter, where it is declared, used or given. */
	public static final String PARAMETER = "ilmpq.parameter";
	/** A quantization scheme with its bit width: {@code pot 4}. */
	public static final String SCHEME = "ilmpq.scheme";
	/** The part number or board of the target. */
	public static final String DEVICE = "ilmpq.device";

	private IlmpqHighlightingStyles() {
	}
}
