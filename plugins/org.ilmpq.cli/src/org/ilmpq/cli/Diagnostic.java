package org.ilmpq.cli;

import java.util.Locale;

import org.eclipse.xtext.validation.Issue;

/**
 * One finding about one file, with 1-based line and column of its start and end, as the command line reports
 * it.
 */
public record Diagnostic(String file, String severity, int line, int column, int endLine, int endColumn, int offset,
		int length, String code, String message) {

	static Diagnostic of(String file, Issue issue) {
		return new Diagnostic(file, issue.getSeverity().name().toLowerCase(Locale.ROOT), orZero(issue.getLineNumber()),
				orZero(issue.getColumn()), orZero(issue.getLineNumberEnd()), orZero(issue.getColumnEnd()),
				orZero(issue.getOffset()), orZero(issue.getLength()), issue.getCode() == null ? "" : issue.getCode(),
				issue.getMessage());
	}

	public boolean isError() {
		return severity.equals("error");
	}

	private static int orZero(Integer value) {
		return value == null ? 0 : value;
	}
}
