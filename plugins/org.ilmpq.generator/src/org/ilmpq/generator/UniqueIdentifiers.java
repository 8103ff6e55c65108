package org.ilmpq.generator;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One identifier per spec name, all different: a sanitizer makes a name an identifier of the generated language,
 * and a name whose identifier is already taken gets a numbered suffix ({@code a_b}, {@code a_b_2}). Names are
 * given identifiers in the order they are asked for, so the later of two clashing names gets the suffix.
 */
public final class UniqueIdentifiers {

	private final UnaryOperator<String> sanitizer;
	private final Map<String, String> identifiers = new HashMap<>();
	private final Set<String> taken = new HashSet<>();

	public UniqueIdentifiers(UnaryOperator<String> sanitizer) {
		this.sanitizer = sanitizer;
	}

	/** An identifier no spec name may get (one the generated code defines itself). */
	public void reserve(String identifier) {
		taken.add(identifier);
	}

	/** The identifier of a spec name; the same for every call with that name. */
	public String of(String specName) {
		return identifiers.computeIfAbsent(specName, name -> {
			String base = sanitizer.apply(name);
			String candidate = base;
			for (int suffix = 2; taken.contains(candidate); suffix++) {
				candidate = base + "_" + suffix;
			}
			taken.add(candidate);
			return candidate;
		});
	}
}
