package org.ilmpq.cli;

import java.util.List;
import java.util.Optional;

import org.ilmpq.dsl.ilmpq.Spec;

/**
 * The outcome of checking one file: its diagnostics and the parsed spec, or why it could not be read.
 *
 * @param file the path as the user gave it
 * @param spec the parsed spec, when the file could be read and parsed into one
 * @param failure a one-line reason the file could not be read, if it could not
 */
public record SpecCheck(String file, List<Diagnostic> diagnostics, Optional<Spec> spec, Optional<String> failure) {

	public static SpecCheck unreadable(String file, String reason) {
		return new SpecCheck(file, List.of(), Optional.empty(), Optional.of(reason));
	}

	public long errors() {
		return diagnostics.stream().filter(Diagnostic::isError).count();
	}

	public long warnings() {
		return diagnostics.size() - errors();
	}
}
