package org.ilmpq.core.model;

/**
 * A height x width pair: a kernel, a stride, a padding or a dilation. Written {@code 3} (square) or {@code 1x7}
 * in a spec.
 */
public record Size2d(long height, long width) {

	public static Size2d square(long n) {
		return new Size2d(n, n);
	}

	public boolean isSquare() {
		return height == width;
	}

	@Override
	public String toString() {
		return isSquare() ? Long.toString(height) : height + "x" + width;
	}
}
