package org.ilmpq.core.analysis;

/** What the analysis of a lowered network can find wrong. Front ends use these as their issue codes. */
public enum ProblemCode {
	/** An argument outside its range: a zero stride, a negative padding, no output channels. */
	INVALID_ARGUMENT,
	/** A size beyond {@link SizeLimits}, or a count that would not fit in 64 bits. */
	SIZE_LIMIT,
	/** An operation given the wrong number of inputs. */
	INPUT_COUNT,
	/** A reference to a name that is neither an input nor a layer. */
	UNKNOWN_TENSOR,
	/** Two inputs or layers with one name. */
	DUPLICATE_NAME,
	/** Layers that read each other's results in a circle. */
	CYCLE,
	/** A layer whose result never reaches the network's output. */
	UNUSED_LAYER,
	/** An input no layer reads. */
	UNUSED_INPUT,
	/** Inputs of add with different channel counts. */
	CHANNEL_MISMATCH,
	/** Inputs of add or concat with different heights or widths. */
	SPATIAL_MISMATCH,
	/** A kernel (dilated) larger than its padded input. */
	KERNEL_TOO_LARGE,
	/** Channels that the number of groups does not divide. */
	GROUPS,
	/** A linear layer reading a tensor with a spatial extent. */
	NOT_FLAT,
	/** A share of a split moved by more than one row when percentages became whole rows. */
	SPLIT_ROUNDING
}
