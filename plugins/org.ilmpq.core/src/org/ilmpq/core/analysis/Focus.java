package org.ilmpq.core.analysis;

/**
 * The part of a layer a problem is about, so that an editor can underline just that: the whole layer, its
 * i-th input, or one named argument ({@code stride}, {@code groups}, ...).
 */
public record Focus(Kind kind, int inputIndex, String argument) {

	public enum Kind {
		LAYER, INPUT, ARGUMENT
	}

	public static final Focus LAYER = new Focus(Kind.LAYER, -1, "");

	public static Focus input(int index) {
		return new Focus(Kind.INPUT, index, "");
	}

	public static Focus argument(String name) {
		return new Focus(Kind.ARGUMENT, -1, name);
	}
}
