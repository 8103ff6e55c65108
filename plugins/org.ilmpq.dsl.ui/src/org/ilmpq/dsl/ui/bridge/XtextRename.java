package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

/**
 * Rename in the editor (Alt+Shift+R): every occurrence of the element at the caret ({@link XtextOccurrences})
 * replaced by the new name, refused when the renamed text would have an error that the text had not: a name that
 * is no identifier, a keyword, or a name another element has in the same scope. The check is the language's own
 * validation of the result, so it knows every rule the language has, not a copy of them.
 */
public final class XtextRename {

	/** What renaming would do: the edits (regions of the old text and their new text), or why it cannot. */
	public record Outcome(List<Occurrence> renamed, String refusal) {

		public boolean refused() {
			return refusal != null;
		}
	}

	/** One replacement, in the old text. */
	public record Occurrence(int offset, int length) {
	}

	private final XtextOccurrences occurrences;
	private final IResourceValidator validator;
	private final ParsedDocument scratch;
	/** The last text renamed in and its errors: the dialog checks every name typed against one text. */
	private String checkedText;
	private Set<String> checkedErrors;

	public XtextRename(XtextLanguage language, ParsedDocument parsed, ParsedDocument scratch) {
		this.occurrences = new XtextOccurrences(language, parsed);
		this.validator = language.injector().getInstance(IResourceValidator.class);
		this.scratch = scratch;
	}

	/** The name at {@code offset} that a rename would change, or null where no element is declared or referred to. */
	public String nameAt(String text, int offset) {
		List<XtextOccurrences.Occurrence> found = occurrences.at(text, offset);
		if (found.isEmpty() || found.stream().noneMatch(XtextOccurrences.Occurrence::declaration)) {
			return null;
		}
		XtextOccurrences.Occurrence declaration = found.stream().filter(XtextOccurrences.Occurrence::declaration)
				.findFirst().get();
		return text.substring(declaration.offset(), declaration.offset() + declaration.length());
	}

	/** Renames the element at {@code offset} of {@code text} to {@code name}, or says why not. */
	public Outcome rename(String text, int offset, String name) {
		String old = nameAt(text, offset);
		if (old == null) {
			return new Outcome(List.of(), "nothing to rename here: put the caret on a name that is declared in this file");
		}
		if (old.equals(name)) {
			return new Outcome(List.of(), "the new name is the old one");
		}
		List<Occurrence> renamed = occurrences.at(text, offset).stream()
				.map(o -> new Occurrence(o.offset(), o.length())).toList();
		IDocument result = new Document(text);
		try {
			// from the last to the first, so that each region is still where it was
			for (int i = renamed.size() - 1; i >= 0; i--) {
				result.replace(renamed.get(i).offset(), renamed.get(i).length(), name);
			}
		} catch (BadLocationException e) {
			throw new IllegalStateException("an occurrence lies outside the text", e);
		}
		Set<String> before = errors(text);
		checkedText = text;
		checkedErrors = before;
		List<String> added = new ArrayList<>();
		for (String error : errors(result.get())) {
			if (!before.contains(error.replace(name, old))) {
				added.add(error);
			}
		}
		if (!added.isEmpty()) {
			return new Outcome(renamed, "renaming '" + old + "' to '" + name + "' gives " + added.size()
					+ (added.size() == 1 ? " error: " : " errors, the first: ") + added.get(0));
		}
		return new Outcome(renamed, null);
	}

	/**
	 * The messages of the errors of {@code text}, fast checks (those of a name: syntax, linking, duplicates);
	 * those of the last text renamed in are not computed again.
	 */
	private Set<String> errors(String text) {
		if (text.equals(checkedText)) {
			return checkedErrors;
		}
		return scratch.read(text, state -> validator.validate(state.resource(), CheckMode.FAST_ONLY,
				CancelIndicator.NullImpl).stream().filter(issue -> issue.getSeverity() == Severity.ERROR)
				.map(Issue::getMessage).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
	}

}
