package org.ilmpq.core.analysis;

/**
 * The largest sizes the analysis accepts. They are far beyond any published network (the widest layers of
 * VGG-16 and ResNet-50 have 25,088 and 2,048 input features; ImageNet inputs are 224 x 224) and keep every
 * size well inside {@code long}; counts built from them still use exact arithmetic, so anything absurd is
 * reported as such and never wraps around.
 */
public final class SizeLimits {

	/** Channels of a tensor, output channels of a convolution, features of a linear layer: 2^24. */
	public static final long MAX_CHANNELS = 1L << 24;

	/** Height or width of a tensor, and any kernel, stride, padding or dilation: 2^16. */
	public static final long MAX_SPATIAL = 1L << 16;

	private SizeLimits() {
	}
}
