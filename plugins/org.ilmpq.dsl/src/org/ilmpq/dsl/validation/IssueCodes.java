package org.ilmpq.dsl.validation;

import java.util.Locale;

import org.ilmpq.core.analysis.ProblemCode;

/**
 * The issue codes of .ilmpq validation: one per rule, shared by the validators, their tests, the command line's
 * JSON output and the quick fixes ({@code org.ilmpq.dsl.ide.quickfix.IlmpqQuickfixes}). Findings of the core
 * analysis use {@link #of(ProblemCode)}.
 */
public final class IssueCodes {

	private static final String PREFIX = "org.ilmpq.";

	// names and structure
	public static final String DUPLICATE_NAME = PREFIX + "duplicate-name";
	public static final String DUPLICATE_SECTION = PREFIX + "duplicate-section";
	public static final String DUPLICATE_SETTING = PREFIX + "duplicate-setting";
	public static final String MISSING_INPUT = PREFIX + "missing-input";
	public static final String MISSING_OUTPUT = PREFIX + "missing-output";
	public static final String EXTRA_OUTPUT = PREFIX + "extra-output";
	public static final String MISSING_ARGUMENT = PREFIX + "missing-argument";
	public static final String DIMENSION_COUNT = PREFIX + "dimension-count";
	public static final String TOO_FEW_INPUTS = PREFIX + "too-few-inputs";
	public static final String EXPRESSION = PREFIX + "expression";
	public static final String NESTING = PREFIX + "nesting";
	public static final String UNUSED_BLOCK_LAYER = PREFIX + "unused-block-layer";
	public static final String UNUSED_PARAMETER = PREFIX + "unused-parameter";
	public static final String UNUSED_BLOCK = PREFIX + "unused-block";

	// blocks
	public static final String BLOCK_ARITY = PREFIX + "block-arity";
	public static final String DUPLICATE_ARGUMENT = PREFIX + "duplicate-argument";
	public static final String RECURSIVE_BLOCK = PREFIX + "recursive-block";
	public static final String TENSOR_DEFAULT = PREFIX + "tensor-default";
	public static final String SELF_DEPENDENT_INSTANCE = PREFIX + "self-dependent-instance";
	public static final String EXPANSION_LIMIT = PREFIX + "expansion-limit";

	// libraries and imports
	public static final String IMPORT_NOT_FOUND = PREFIX + "import-not-found";
	public static final String IMPORT_NOT_LIBRARY = PREFIX + "import-not-library";
	public static final String IMPORT_CYCLE = PREFIX + "import-cycle";
	public static final String DUPLICATE_IMPORT = PREFIX + "duplicate-import";
	public static final String AMBIGUOUS_BLOCK = PREFIX + "ambiguous-block";
	public static final String HIDDEN_BLOCK = PREFIX + "hidden-block";
	public static final String LIBRARY_CONTENT = PREFIX + "library-content";
	public static final String LIBRARY_ERRORS = PREFIX + "library-errors";

	// quantization
	public static final String SPLIT_SUM = PREFIX + "split-sum";
	public static final String NEGATIVE_SHARE = PREFIX + "negative-share";
	public static final String MISSING_PERCENT = PREFIX + "missing-percent";
	public static final String DUPLICATE_SCHEME = PREFIX + "duplicate-scheme";
	public static final String BIT_WIDTH = PREFIX + "bit-width";
	public static final String ACTIVATION_SCHEME = PREFIX + "activation-scheme";
	public static final String MISSING_SPLIT = PREFIX + "missing-split";
	public static final String MISSING_QUANTIZATION = PREFIX + "missing-quantization";
	public static final String SPLIT_WITHOUT_WEIGHTS = PREFIX + "split-without-weights";
	public static final String REASSIGN_SCHEDULE = PREFIX + "reassign-schedule";

	// target
	public static final String UNKNOWN_DEVICE = PREFIX + "unknown-device";
	public static final String CLOCK_RANGE = PREFIX + "clock-range";
	public static final String BUDGET_RANGE = PREFIX + "budget-range";

	// hardware (normal checks: they search over designs)
	public static final String OVER_BUDGET = PREFIX + "over-budget";
	public static final String IDLE_ENGINE = PREFIX + "idle-engine";

	private IssueCodes() {
	}

	/** The issue code of a finding of the core analysis, e.g. {@code org.ilmpq.channel-mismatch}. */
	public static String of(ProblemCode code) {
		return PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}
}
