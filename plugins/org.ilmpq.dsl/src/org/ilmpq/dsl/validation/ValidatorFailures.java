package org.ilmpq.dsl.validation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.apache.log4j.Logger;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.ilmpq.core.text.MessageText;

import com.google.inject.Singleton;

/**
 * The checks that threw instead of reporting: bugs, never diagnostics. Xtext's default turns such an exception into
 * an error "Error executing EValidator" at 0:0 and a stack trace on the log, which the command line would print on
 * standard output among the diagnostics. Every validator of the language hands its exceptions here instead: each
 * becomes one line on the log ({@code internal error: ...}) and waits for whoever ran the validation (the command
 * line prints it on standard error; the test fixtures fail on it).
 */
@Singleton
public class ValidatorFailures {

	/** One check that threw: which, on what, and the exception. */
	public record Failure(String check, String element, Throwable exception) {

		/** {@code internal error: check SplitValidator.sharesAddUp on Split at line 7 threw IllegalStateException: ...}. */
		public String describe() {
			return "internal error: check " + check + " on " + element + " threw " + exception.getClass().getSimpleName()
					+ (exception.getMessage() == null ? "" : ": " + MessageText.escape(exception.getMessage()));
		}
	}

	/** Failures kept per thread, at most: a long-running editor that never asks must not fill its heap. */
	private static final int KEPT = 100;

	private static final Logger LOG = Logger.getLogger(ValidatorFailures.class);

	/** Validation runs on its caller's thread: each thread's failures are its own validations'. */
	private final ThreadLocal<List<Failure>> failures = ThreadLocal.withInitial(ArrayList::new);

	void report(Class<?> validator, Method check, EObject element, Throwable exception) {
		Failure failure = new Failure(validator.getSimpleName() + "." + (check == null ? "?" : check.getName()),
				describe(element), exception);
		LOG.error(failure.describe());
		LOG.debug(failure.describe(), exception);
		List<Failure> mine = failures.get();
		if (mine.size() < KEPT) {
			mine.add(failure);
		}
	}

	/** The failures of validations on this thread since the last call, oldest first; forgets them. */
	public List<Failure> takeAll() {
		List<Failure> mine = failures.get();
		List<Failure> taken = List.copyOf(mine);
		mine.clear();
		return taken;
	}

	private static String describe(EObject element) {
		if (element == null) {
			return "nothing";
		}
		ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
		return element.eClass().getName() + (node == null ? "" : " at line " + node.getStartLine());
	}
}
