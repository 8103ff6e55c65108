package org.ilmpq.core.exploration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Resources;

/** The designs that no other design beats on latency, LUTs and DSP slices at once. */
public final class ParetoFront {

	private ParetoFront() {
	}

	/** The non-dominated designs among {@code designs}, fastest first; of equal ones the first kept. */
	public static List<DesignEstimate> of(List<DesignEstimate> designs) {
		List<DesignEstimate> sorted = new ArrayList<>(designs);
		sorted.sort(Comparator.comparingLong(DesignEstimate::cycles)
				.thenComparingLong(d -> d.resources().total().lut()).thenComparingLong(d -> d.resources().total().dsp()));
		List<DesignEstimate> front = new ArrayList<>();
		for (DesignEstimate design : sorted) {
			if (front.stream().noneMatch(kept -> dominatesOrEquals(kept, design))) {
				front.add(design);
			}
		}
		return front;
	}

	/** {@code a} is no worse than {@code b} on every objective (sorted input: a is at least as fast). */
	private static boolean dominatesOrEquals(DesignEstimate a, DesignEstimate b) {
		Resources ra = a.resources().total();
		Resources rb = b.resources().total();
		return a.cycles() <= b.cycles() && ra.lut() <= rb.lut() && ra.dsp() <= rb.dsp();
	}
}
