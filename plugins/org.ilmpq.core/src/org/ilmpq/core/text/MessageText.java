package org.ilmpq.core.text;

/**
 * Makes a message that quotes a user's text safe to print as one line: a terminal, a JSON consumer or an editor's
 * problem view must not receive a NUL, an escape sequence or a line separator from a spec, nor a name of 30,000
 * characters.
 */
public final class MessageText {

	/** The longest message printed whole; a longer one keeps its start and end. */
	public static final int MAX_LENGTH = 1_000;

	private MessageText() {
	}

	/**
	 * The message with every control, format or separator character written as {@code \\uXXXX} ({@code \\t},
	 * {@code \\n}, {@code \\r} as such), cut in the middle when longer than {@link #MAX_LENGTH}.
	 */
	public static String escape(String message) {
		String text = message.length() <= MAX_LENGTH ? message
				: message.substring(0, MAX_LENGTH / 2) + "[... " + (message.length() - MAX_LENGTH) + " characters ...]"
						+ message.substring(message.length() - MAX_LENGTH / 2);
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1));
			if (pair) {
				if (escaped != null) {
					escaped.append(c).append(text.charAt(i + 1));
				}
				i++;
				continue;
			}
			if (isSafe(c)) {
				if (escaped != null) {
					escaped.append(c);
				}
				continue;
			}
			if (escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			switch (c) {
			case '\t' -> escaped.append("\\t");
			case '\n' -> escaped.append("\\n");
			case '\r' -> escaped.append("\\r");
			default -> escaped.append(String.format("\\u%04X", (int) c));
			}
		}
		return escaped == null ? text : escaped.toString();
	}

	private static boolean isSafe(char c) {
		return switch (Character.getType(c)) {
		case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
				Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
		default -> true;
		};
	}
}
