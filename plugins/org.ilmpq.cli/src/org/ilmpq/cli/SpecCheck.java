package org.ilmpq.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import org.ilmpq.dsl.ilmpq.Spec;

/**
 * The outcome of checking one file: its diagnostics and the parsed spec, or why it could not be read.
 *
 * @param file the path as the user gave it
 * @param spec the parsed spec, when the file could be read and parsed into one
 * @param failure a one-line reason the file could not be read, if it could not
 * @param internalErrors the checks that threw while validating it (bugs of ilmpq, one line each): the file's other
 *        diagnostics stand, but the checks are incomplete
 */
public record SpecCheck(String file, List<Diagnostic> diagnostics, Optional<Spec> spec, Optional<String> failure,
		List<String> internalErrors) {

	public static SpecCheck unreadable(String file, String reason) {
		return new SpecCheck(file, List.of(), Optional.empty(), Optional.of(reason), List.of());
	}

	/** Prints the internal errors, one line each, on {@code err}. */
	public void printInternalErrors(PrintWriter err) {
		internalErrors.forEach(error -> err.println("ilmpq: " + file + ": " + error));
	}

	public long errors() {
		return diagnostics.stream().filter(Diagnostic::isError).count();
	}

	public long warnings() {
		return diagnostics.size() - errors();
	}

	/**
	 * For the commands that work on a spec ({@code report}, {@code generate}): {@link ExitCode#OK} when there is a
	 * spec without errors to work on; otherwise prints why not, its diagnostics as {@code validate} prints them and
	 * {@code "ilmpq: <refusal> FILE: it has errors"}, and returns the exit code.
	 *
	 * @param refusal what is not done, e.g. {@code "no report for"}
	 */
	public int refuse(String refusal, PrintWriter out, PrintWriter err) {
		if (failure.isPresent()) {
			err.println("ilmpq: cannot read " + file + ": " + failure.get());
			return ExitCode.USAGE;
		}
		if (!internalErrors.isEmpty()) {
			ReportFormat.GCC.print(List.of(this), out, err);
			err.println("ilmpq: " + refusal + " " + file + ": its checks failed inside ilmpq");
			return ExitCode.INTERNAL;
		}
		if (errors() > 0 || spec.isEmpty()) {
			ReportFormat.GCC.print(List.of(this), out, err);
			err.println("ilmpq: " + refusal + " " + file + ": it has errors");
			return ExitCode.ERRORS;
		}
		if (spec.get().isLibrary()) {
			err.println("ilmpq: " + refusal + " " + file + ": it is library " + spec.get().getName()
					+ ", a file of blocks; give a network that imports it");
			return ExitCode.USAGE;
		}
		return ExitCode.OK;
	}
}
