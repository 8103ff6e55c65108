package org.ilmpq.core.exploration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Resources;

/** The designs that no other design beats on latency, LUTs and DSP slices at once. */
public final class ParetoFront {

	private ParetoFront() {
	}

	/** The non-dominated designs among {@code designs}, fastest first; of equal ones the first kept. */
	public static List<DesignEstimate> of(List<DesignEstimate> designs) {
		return of(designs, Function.identity());
	}

	/** The items whose designs are non-dominated, fastest first; of items with equal designs the first kept. */
	public static <T> List<T> of(List<T> items, Function<T, DesignEstimate> design) {
		List<T> sorted = new ArrayList<>(items);
		sorted.sort(Comparator.comparingLong((T item) -> design.apply(item).cycles())
				.thenComparingLong(item -> design.apply(item).used().lut())
				.thenComparingLong(item -> design.apply(item).used().dsp()));
		List<T> front = new ArrayList<>();
		for (T item : sorted) {
			if (front.stream().noneMatch(kept -> dominatesOrEquals(design.apply(kept), design.apply(item)))) {
				front.add(item);
			}
		}
		return front;
	}

	/** {@code a} is no worse than {@code b} on every objective (sorted input: a is at least as fast). */
	private static boolean dominatesOrEquals(DesignEstimate a, DesignEstimate b) {
		Resources ra = a.used();
		Resources rb = b.used();
		return a.cycles() <= b.cycles() && ra.lut() <= rb.lut() && ra.dsp() <= rb.dsp();
	}
}
