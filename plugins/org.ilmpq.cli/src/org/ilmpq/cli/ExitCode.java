package org.ilmpq.cli;

/** The exit codes of every {@code ilmpq} command. */
public final class ExitCode {

	/** Done, and no spec has an error (warnings allowed). */
	public static final int OK = 0;
	/** At least one spec has an error. */
	public static final int ERRORS = 1;
	/** The command could not do its job: wrong arguments, a file that cannot be read. */
	public static final int USAGE = 2;
	/** A check failed inside ilmpq (a bug, said on standard error): what was printed is incomplete. */
	public static final int INTERNAL = 3;

	private ExitCode() {
	}
}
