package org.ilmpq.core.quant;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An intra-layer split: how the rows of a weight layer are shared between schemes, e.g.
 * 60 % pot 4, 35 % fixed 4, 5 % fixed 8 (the ratio ILMPQ reports for XC7Z020). The shares are kept in the
 * order the spec lists them; that order breaks ties when percentages become whole rows.
 */
public record Split(List<Share> shares) {

	public static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	public Split {
		shares = List.copyOf(shares);
	}

	/** One scheme for every row. */
	public static Split of(Scheme scheme) {
		return new Split(List.of(new Share(scheme, HUNDRED)));
	}

	public BigDecimal total() {
		return shares.stream().map(Share::percent).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	public boolean sumsToHundred() {
		return total().compareTo(HUNDRED) == 0;
	}

	/**
	 * The shares whose schemes have more bits than the split's narrowest: ILMPQ's few 8-bit rows, kept for accuracy
	 * beside the 4-bit rows that share the work between LUTs and DSPs. Empty for 60 % pot 4, 40 % fixed 4.
	 */
	public List<Share> accuracyShares() {
		int narrowest = shares.stream().mapToInt(s -> s.scheme().bits()).min().orElse(0);
		return shares.stream().filter(s -> s.scheme().bits() > narrowest).toList();
	}

	/** The percentage of the rows in {@link #accuracyShares()}. */
	public BigDecimal accuracyPercent() {
		return accuracyShares().stream().map(Share::percent).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	/**
	 * The scheme that the sensitivity-ranked rows take: the widest one, when the split has more than one
	 * scheme and a single widest.
	 */
	public Optional<Scheme> sensitiveScheme() {
		if (shares.size() < 2) {
			return Optional.empty();
		}
		Scheme widest = shares.get(0).scheme();
		for (Share share : shares) {
			if (share.scheme().isWiderThan(widest)) {
				widest = share.scheme();
			}
		}
		return Optional.of(widest);
	}

	/** As a spec writes it: {@code 60 % pot 4, 40 % fixed 4}, or {@code fixed 8} for one scheme. */
	@Override
	public String toString() {
		if (shares.size() == 1 && shares.get(0).percent().compareTo(HUNDRED) == 0) {
			return shares.get(0).scheme().toString();
		}
		return shares.stream().map(Share::toString).collect(Collectors.joining(", "));
	}
}
