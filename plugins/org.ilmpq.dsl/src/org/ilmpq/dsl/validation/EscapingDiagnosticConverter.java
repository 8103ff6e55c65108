package org.ilmpq.dsl.validation;

import org.eclipse.emf.common.util.Diagnostic;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.util.IAcceptor;
import org.eclipse.xtext.validation.DiagnosticConverterImpl;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.core.text.MessageText;

/**
 * Xtext's conversion of diagnostics into issues, every message made safe to print ({@link MessageText#escape}):
 * syntax errors and "unknown name" messages quote the spec's text, which may hold a NUL, an escape sequence or a
 * line separator. The command line, the language server and the editor all receive issues from here.
 */
public class EscapingDiagnosticConverter extends DiagnosticConverterImpl {

	@Override
	public void convertResourceDiagnostic(Resource.Diagnostic diagnostic, Severity severity, IAcceptor<Issue> acceptor) {
		super.convertResourceDiagnostic(diagnostic, severity, escaping(acceptor));
	}

	@Override
	public void convertValidatorDiagnostic(Diagnostic diagnostic, IAcceptor<Issue> acceptor) {
		super.convertValidatorDiagnostic(diagnostic, escaping(acceptor));
	}

	private static IAcceptor<Issue> escaping(IAcceptor<Issue> acceptor) {
		return issue -> {
			if (issue instanceof Issue.IssueImpl impl && issue.getMessage() != null) {
				impl.setMessage(MessageText.escape(issue.getMessage()));
			}
			acceptor.accept(issue);
		};
	}
}
