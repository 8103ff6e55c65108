package org.ilmpq.dsl.ui.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.templates.DocumentTemplateContext;
import org.eclipse.jface.text.templates.GlobalTemplateVariables;
import org.eclipse.jface.text.templates.Template;
import org.eclipse.jface.text.templates.TemplateContextType;
import org.eclipse.jface.text.templates.TemplateProposal;

/**
 * LSP snippets (what the language's content assist gives as templates) as JFace templates: {@code ${1:conv}}
 * becomes the template variable {@code ${conv}}, so that the editor's linked mode lets the user type over each
 * name once for all its places, Tab goes from one to the next, and {@code $0} is where the caret ends. The
 * snippet's lines after the first take the indentation of the line the template is inserted on, and its tabs the
 * editor's indentation of four blanks.
 */
public final class SnippetTemplates {

	/** The context type of the snippets: no variables but the cursor. */
	public static final String CONTEXT_TYPE = "org.ilmpq.dsl.ui.bridge.snippet";

	private static final TemplateContextType TYPE = new TemplateContextType(CONTEXT_TYPE, "Language snippets");
	static {
		TYPE.addResolver(new GlobalTemplateVariables.Cursor());
	}

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\d+):([^}]*)\\}|\\$(\\d+)");

	private SnippetTemplates() {
	}

	/** The snippet as a template proposal that replaces {@code length} characters at {@code offset}. */
	public static ICompletionProposal proposal(IDocument document, int offset, int length, String name,
			String display, String snippet) {
		Template template = new Template(name, display, CONTEXT_TYPE, pattern(snippet, indentation(document, offset)),
				true);
		DocumentTemplateContext context = new DocumentTemplateContext(TYPE, document, offset, length);
		return new TemplateProposal(template, context, new Region(offset, length), null) {
			@Override
			public String getDisplayString() {
				return display;
			}
		};
	}

	/** The JFace template pattern of an LSP snippet, its later lines indented by {@code indentation}. */
	public static String pattern(String snippet, String indentation) {
		Matcher matcher = PLACEHOLDER.matcher(snippet);
		StringBuilder pattern = new StringBuilder();
		while (matcher.find()) {
			String replacement;
			if (matcher.group(2) != null) {
				// a name for a placeholder: what it holds, made an identifier (template variables are names)
				replacement = "${" + matcher.group(2).replaceAll("[^A-Za-z0-9_]", "_") + "}";
			} else {
				replacement = matcher.group(3).equals("0") ? "${" + GlobalTemplateVariables.Cursor.NAME + "}" : "";
			}
			matcher.appendReplacement(pattern, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(pattern);
		return pattern.toString().replace("\t", "    ").replace("\n", "\n" + indentation);
	}

	private static String indentation(IDocument document, int offset) {
		try {
			int lineStart = document.getLineOffset(document.getLineOfOffset(offset));
			String line = document.get(lineStart, offset - lineStart);
			int end = 0;
			while (end < line.length() && Character.isWhitespace(line.charAt(end))) {
				end++;
			}
			return line.substring(0, end);
		} catch (BadLocationException e) {
			return "";
		}
	}
}
