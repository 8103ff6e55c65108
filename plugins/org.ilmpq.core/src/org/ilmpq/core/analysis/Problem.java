package org.ilmpq.core.analysis;

import java.util.Locale;

/**
 * A finding of the analysis about one input or layer (the {@code subject}, by name).
 */
public record Problem(String subject, Severity severity, ProblemCode code, String message, Focus focus) {

	public static Problem error(String subject, ProblemCode code, Focus focus, String message) {
		return new Problem(subject, Severity.ERROR, code, message, focus);
	}

	public static Problem warning(String subject, ProblemCode code, Focus focus, String message) {
		return new Problem(subject, Severity.WARNING, code, message, focus);
	}

	@Override
	public String toString() {
		return severity.name().toLowerCase(Locale.ROOT) + " " + subject + ": " + message;
	}
}
