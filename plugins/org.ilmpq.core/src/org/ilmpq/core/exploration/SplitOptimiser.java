package org.ilmpq.core.exploration;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;

/**
 * Finds the network-wide split a target runs fastest (docs/hardware-model.md, "Optimiser"): the share of the LUT
 * scheme (power-of-two or SP2) against the narrowest fixed-point scheme, in steps of {@link #STEP_PERCENT}, the
 * other shares (the sensitive 8-bit share) held as the spec gives them, or also varied. For each split the engines
 * are sized by {@link DesignSearch}. Only the layers that take the network's default split change; layers with a
 * split of their own, or under a first/last-layer policy, keep theirs.
 */
public final class SplitOptimiser {

	public static final BigDecimal STEP_PERCENT = BigDecimal.valueOf(5);

	/** The sensitive shares tried when they are free. */
	public static final List<BigDecimal> FREE_SENSITIVE_PERCENTS = List.of(BigDecimal.ZERO, BigDecimal.valueOf(5),
			BigDecimal.TEN);

	/** Whether the shares other than the LUT / fixed-point pair are held or searched too. */
	public enum Mode {
		HOLD_SENSITIVE_SHARE, FREE
	}

	/** One split and the fastest design for it, if any fits. */
	public record Candidate(Split split, Optional<DesignEstimate> design) {
	}

	/** A design evaluated for a split. */
	public record Point(Split split, DesignEstimate design) {
	}

	/**
	 * @param best the fastest design over all splits
	 * @param candidates the best design for each split tried, in the order tried
	 * @param paretoFront the designs, of any split, no other design beats on latency, LUTs and DSPs at once, fastest
	 *            first
	 */
	public record Result(Candidate best, List<Candidate> candidates, List<Point> paretoFront) {
	}

	private SplitOptimiser() {
	}

	/**
	 * Empty when the split has no pair of a LUT scheme and a fixed-point scheme of the narrow width to trade (a split
	 * of pot 4 and fixed 8 has none: its 8-bit rows are there for accuracy), no layer takes it, or nothing fits.
	 */
	public static Optional<Result> optimise(Workload workload, Set<String> defaultSplitLayers, Split defaultSplit,
			Target target, Mode mode) {
		Optional<Scheme> lut = defaultSplit.shares().stream().map(Share::scheme)
				.filter(s -> s.kind() != SchemeKind.FIXED).findFirst();
		// the accuracy shares (the 8-bit rows) are held, never traded away for speed
		List<Share> accuracy = defaultSplit.accuracyShares();
		Optional<Scheme> dsp = defaultSplit.shares().stream().filter(s -> !accuracy.contains(s)).map(Share::scheme)
				.filter(s -> s.kind() == SchemeKind.FIXED).min(Comparator.comparingInt(Scheme::bits));
		if (lut.isEmpty() || dsp.isEmpty() || defaultSplitLayers.isEmpty()) {
			return Optional.empty();
		}
		List<Share> others = defaultSplit.shares().stream()
				.filter(s -> !s.scheme().equals(lut.get()) && !s.scheme().equals(dsp.get())).toList();
		List<List<Share>> otherOptions = mode == Mode.FREE ? freeOptions(others) : List.of(others);

		List<Candidate> candidates = new ArrayList<>();
		List<Point> explored = new ArrayList<>();
		for (List<Share> held : otherOptions) {
			BigDecimal rest = Split.HUNDRED.subtract(held.stream().map(Share::percent).reduce(BigDecimal.ZERO,
					BigDecimal::add));
			for (BigDecimal lutPercent = BigDecimal.ZERO; lutPercent.compareTo(rest) <= 0; lutPercent = lutPercent
					.add(STEP_PERCENT)) {
				List<Share> shares = new ArrayList<>();
				shares.add(new Share(lut.get(), lutPercent));
				shares.add(new Share(dsp.get(), rest.subtract(lutPercent)));
				shares.addAll(held);
				Split split = new Split(shares);
				Workload variant = workload.withDefaultSplit(split, defaultSplitLayers);
				candidates.add(new Candidate(split, DesignSearch.best(variant, target, DesignSearch.Packing.DENSEST,
						design -> explored.add(new Point(split, design)))));
			}
		}
		Optional<Candidate> best = candidates.stream().filter(c -> c.design().isPresent())
				.min(Comparator.comparingLong(c -> c.design().get().cycles()));
		return best.map(b -> new Result(b, candidates, ParetoFront.of(explored, Point::design)));
	}

	private static List<List<Share>> freeOptions(List<Share> others) {
		if (others.size() != 1) {
			return List.of(others);
		}
		Scheme sensitive = others.get(0).scheme();
		return FREE_SENSITIVE_PERCENTS.stream().map(p -> List.of(new Share(sensitive, p))).toList();
	}
}
