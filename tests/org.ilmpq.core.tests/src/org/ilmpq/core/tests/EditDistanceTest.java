package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.ilmpq.core.text.EditDistance;
import org.ilmpq.core.text.MessageText;
import org.junit.jupiter.api.Test;

/** "Did you mean" distances, bounded in cost; messages made safe to print. */
class EditDistanceTest {

	@Test
	void aTypoIsItsEditsAway() {
		assertEquals(1, EditDistance.between("conv1", "conv2"));
		assertEquals(2, EditDistance.between("relu", "reul"));
		assertEquals(1, EditDistance.between("PYNQ-Z2", "pynq-z"));
	}

	@Test
	void theBoundedDistanceIsExactUpToItsLimitAndOneMoreBeyond() {
		assertEquals(3, EditDistance.atMost("kitten", "sitting", 3));
		assertEquals(3, EditDistance.atMost("kitten", "sitting", 2));
		assertEquals(0, EditDistance.atMost("Layer", "layer", 0));
		assertEquals(2, EditDistance.atMost("a", "abcdef", 1));
	}

	@Test
	void namesOfThirtyThousandCharactersAreFarApartAtOnce() {
		String name = "n".repeat(30_000);
		assertEquals(EditDistance.MAX_DISTANCE + 1, EditDistance.between(name, "m".repeat(30_000)));
		assertEquals(1, EditDistance.between(name, name.substring(1) + "m"));
	}

	@Test
	void theClosestCandidateIsAPlausibleTypoOnly() {
		assertEquals(Optional.of("conv1"), EditDistance.closest("cnv1", List.of("relu", "conv1", "conv12")));
		assertEquals(Optional.empty(), EditDistance.closest("fc", List.of("conv1", "relu")));
	}

	@Test
	void controlCharactersAndSeparatorsAreWrittenAsEscapes() {
		assertEquals("a\\u0000b\\u2028c\\td\\u001B[2J", MessageText.escape("a\u0000b\u2028c\td\u001b[2J"));
		assertEquals("ok \uD83D\uDE00", MessageText.escape("ok \uD83D\uDE00"));
		assertEquals("lone \\uD83D", MessageText.escape("lone \uD83D"));
	}

	@Test
	void aVeryLongMessageKeepsItsStartAndEnd() {
		String message = "unknown tensor '" + "n".repeat(5_000) + "'";
		String escaped = MessageText.escape(message);
		assertEquals(MessageText.MAX_LENGTH + ("[... " + (message.length() - MessageText.MAX_LENGTH) + " characters ...]")
				.length(), escaped.length());
		assertEquals("unknown tensor 'nnn", escaped.substring(0, 19));
		assertEquals("nnn'", escaped.substring(escaped.length() - 4));
	}
}
