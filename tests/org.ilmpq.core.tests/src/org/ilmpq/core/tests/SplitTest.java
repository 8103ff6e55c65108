package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;

/** A split: its total, its text, and which scheme takes the sensitive rows. */
class SplitTest {

	/** A split of these schemes; which one is sensitive does not depend on the percentages. */
	private static Split split(Scheme... schemes) {
		return new Split(List.of(schemes).stream().map(s -> new Share(s, BigDecimal.TEN)).toList());
	}

	@Test
	void theSensitiveRowsTakeTheWidestScheme() {
		assertEquals(Optional.of(Scheme.fixed(8)), split(Scheme.pot(4), Scheme.fixed(8), Scheme.fixed(4))
				.sensitiveScheme());
	}

	@Test
	void atEqualWidthFixedPointIsWiderThanSp2AndSp2ThanPowerOfTwo() {
		Scheme sp2 = new Scheme(SchemeKind.SP2, 4);
		assertEquals(Optional.of(Scheme.fixed(4)), split(Scheme.pot(4), sp2, Scheme.fixed(4)).sensitiveScheme());
		assertEquals(Optional.of(sp2), split(Scheme.pot(4), sp2).sensitiveScheme());
	}

	@Test
	void aSplitOfOneSchemeHasNoSensitiveShare() {
		assertEquals(Optional.empty(), Split.of(Scheme.fixed(8)).sensitiveScheme());
	}

	@Test
	void aSplitReadsAsTheSpecWritesIt() {
		assertEquals("60 % pot 4, 35 % fixed 4, 5 % fixed 8", new Split(List.of(
				new Share(Scheme.pot(4), new BigDecimal("60")), new Share(Scheme.fixed(4), new BigDecimal("35.0")),
				new Share(Scheme.fixed(8), new BigDecimal("5")))).toString());
		assertEquals("fixed 8", Split.of(Scheme.fixed(8)).toString());
	}

	@Test
	void sharesAreAddedExactly() {
		Split thirds = new Split(List.of(new Share(Scheme.pot(4), new BigDecimal("33.3")),
				new Share(Scheme.fixed(4), new BigDecimal("33.3")), new Share(Scheme.fixed(8), new BigDecimal("33.4"))));
		assertEquals(true, thirds.sumsToHundred());
	}
}
