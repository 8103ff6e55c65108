package org.ilmpq.core.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/** Levenshtein distance, for "did you mean" suggestions on misspelt names. */
public final class EditDistance {

	private EditDistance() {
	}

	/**
	 * The farthest two names are told apart: a suggestion is for a typo, so nothing farther counts, and no pair of
	 * names (a spec may have names of 30,000 characters, each referenced many times) costs more than
	 * O(length x MAX_DISTANCE).
	 */
	public static final int MAX_DISTANCE = 16;

	/** Case-insensitive Levenshtein distance (insertions, deletions, substitutions), at most {@link #MAX_DISTANCE}. */
	public static int between(String a, String b) {
		return atMost(a, b, MAX_DISTANCE);
	}

	/**
	 * The case-insensitive Levenshtein distance when it is at most {@code limit}, else {@code limit + 1}: the
	 * dynamic programme on the diagonal band of width 2 x limit + 1 only (Ukkonen), time O(length x limit).
	 */
	public static int atMost(String a, String b, int limit) {
		String s = a.toLowerCase(Locale.ROOT);
		String t = b.toLowerCase(Locale.ROOT);
		if (Math.abs(s.length() - t.length()) > limit) {
			return limit + 1;
		}
		int far = limit + 1;
		int[] previous = new int[t.length() + 1];
		int[] current = new int[t.length() + 1];
		for (int j = 0; j <= t.length(); j++) {
			previous[j] = Math.min(j, far);
		}
		for (int i = 1; i <= s.length(); i++) {
			int from = Math.max(1, i - limit);
			int to = Math.min(t.length(), i + limit);
			current[0] = Math.min(i, far);
			if (from > 1) {
				current[from - 1] = far;
			}
			int best = current[0];
			for (int j = from; j <= to; j++) {
				int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
				int value = Math.min(substitution, Math.min((j < i + limit ? previous[j] : far) + 1, current[j - 1] + 1));
				current[j] = Math.min(value, far);
				best = Math.min(best, current[j]);
			}
			if (to < t.length()) {
				current[to + 1] = far;
			}
			if (best >= far) {
				return far;
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return Math.min(previous[t.length()], far);
	}

	/**
	 * The candidate closest to {@code name}, if it is close enough to be a plausible typo: at most a third of
	 * the name's length away (at least 1, at most 3 edits). Ties go to the candidate first in iteration order.
	 */
	public static Optional<String> closest(String name, Collection<String> candidates) {
		int allowed = Math.max(1, Math.min(3, name.length() / 3));
		String best = null;
		int bestDistance = allowed + 1;
		for (String candidate : candidates) {
			int distance = atMost(name, candidate, allowed);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return Optional.ofNullable(best);
	}

	/**
	 * Candidates ordered by distance to {@code name}, closest first (those over {@link #MAX_DISTANCE} apart last, in
	 * their order); at most {@code limit} of them.
	 */
	public static List<String> nearest(String name, Collection<String> candidates, int limit) {
		Map<String, Integer> distances = new HashMap<>();
		for (String candidate : candidates) {
			distances.computeIfAbsent(candidate, c -> between(name, c));
		}
		return candidates.stream().sorted(Comparator.comparingInt(distances::get)).limit(limit).toList();
	}
}
