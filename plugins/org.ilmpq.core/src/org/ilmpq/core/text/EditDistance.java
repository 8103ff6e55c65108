package org.ilmpq.core.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Levenshtein distance, for "did you mean" suggestions on misspelt names. */
public final class EditDistance {

	private EditDistance() {
	}

	/** Case-insensitive Levenshtein distance (insertions, deletions, substitutions). */
	public static int between(String a, String b) {
		String s = a.toLowerCase(Locale.ROOT);
		String t = b.toLowerCase(Locale.ROOT);
		int[] previous = new int[t.length() + 1];
		int[] current = new int[t.length() + 1];
		for (int j = 0; j <= t.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= s.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= t.length(); j++) {
				int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[t.length()];
	}

	/**
	 * The candidate closest to {@code name}, if it is close enough to be a plausible typo: at most a third of
	 * the name's length away (at least 1, at most 3 edits). Ties go to the candidate first in iteration order.
	 */
	public static Optional<String> closest(String name, Collection<String> candidates) {
		int allowed = Math.max(1, Math.min(3, name.length() / 3));
		return candidates.stream().filter(c -> between(name, c) <= allowed)
				.min(Comparator.comparingInt((String c) -> between(name, c)));
	}

	/** Candidates ordered by distance to {@code name}, closest first; at most {@code limit} of them. */
	public static List<String> nearest(String name, Collection<String> candidates, int limit) {
		return candidates.stream().sorted(Comparator.comparingInt((String c) -> between(name, c))).limit(limit)
				.toList();
	}
}
