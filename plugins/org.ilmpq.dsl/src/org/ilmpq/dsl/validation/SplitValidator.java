package org.ilmpq.dsl.validation;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.xtext.validation.Check;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Scheme;
import org.ilmpq.dsl.ilmpq.Share;
import org.ilmpq.dsl.ilmpq.Split;

/**
 * A split shares a layer's rows between distinct schemes, with percentages that are not negative and add up to
 * exactly 100 %; a split of one scheme may leave its percentage out. Each scheme has the bit widths it makes
 * sense at (see {@link SchemeKind}). How percentages become whole rows is the core's rule
 * ({@link org.ilmpq.core.quant.RowAllocator}); layers where that moves a share by more than a row are reported by
 * the analysis.
 */
public class SplitValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;
	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	@Check
	public void sharesAddUpToHundredPercent(Split split) {
		if (split.getShares().size() == 1 && split.getShares().get(0).getPercent() == null) {
			return;
		}
		BigDecimal total = BigDecimal.ZERO;
		for (Share share : split.getShares()) {
			if (share.getPercent() == null) {
				return; // reported as a share without percentage
			}
			total = total.add(share.getPercent());
		}
		if (total.compareTo(HUNDRED) != 0) {
			// the total as issue data: the quick fix scales only what has a share above 0
			error("the shares of a split add up to 100 %, these to " + total.stripTrailingZeros().toPlainString() + " %",
					split, null, IssueCodes.SPLIT_SUM, total.toPlainString());
		}
	}

	@Check
	public void everyShareHasAPercentage(Split split) {
		if (split.getShares().size() < 2) {
			return;
		}
		for (Share share : split.getShares()) {
			if (share.getPercent() == null && share.getScheme() != null) {
				error("with several schemes every share needs its percentage: '" + text(share.getScheme())
						+ "' has none", share, ILMPQ.getShare_Scheme(), IssueCodes.MISSING_PERCENT);
			}
		}
	}

	@Check
	public void shareIsNotNegative(Share share) {
		if (share.getPercent() != null && share.getPercent().signum() < 0) {
			error("a share cannot be negative: " + share.getPercent().toPlainString() + " %", share,
					ILMPQ.getShare_Percent(), IssueCodes.NEGATIVE_SHARE);
		}
	}

	@Check
	public void schemesAreDistinct(Split split) {
		Set<String> seen = new HashSet<>();
		for (Share share : split.getShares()) {
			if (share.getScheme() != null && !seen.add(text(share.getScheme()))) {
				error(text(share.getScheme()) + " appears twice in this split: give it one share", share,
						ILMPQ.getShare_Scheme(), IssueCodes.DUPLICATE_SCHEME);
			}
		}
	}

	@Check
	public void bitWidthSuitsScheme(Scheme scheme) {
		if (scheme.getKind() == null) {
			return;
		}
		SchemeKind kind = SchemeKind.valueOf(scheme.getKind().name());
		if (!kind.allows(scheme.getBits())) {
			error(scheme.getKind().getLiteral() + " takes " + kind.minBits() + " to " + kind.maxBits() + " bits, not "
					+ scheme.getBits() + why(kind), scheme, ILMPQ.getScheme_Bits(), IssueCodes.BIT_WIDTH);
		}
	}

	private static String why(SchemeKind kind) {
		return switch (kind) {
		case POT -> " (a sign and an exponent: at 6 bits it would shift by up to 30)";
		case SP2 -> " (a sign and two exponents)";
		case FIXED -> "";
		};
	}

	static String text(Scheme scheme) {
		return scheme.getKind().getLiteral() + " " + scheme.getBits();
	}
}
