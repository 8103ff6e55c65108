package org.ilmpq.dsl.ide.quickfix;

import java.util.List;
import java.util.Optional;

import org.eclipse.lsp4j.Diagnostic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/**
 * The issue data of a validation finding, as it reaches a quick fix: Xtext puts the issue's {@code String[]} into
 * the diagnostic in process; through the language server's JSON it comes back as an array or a string.
 */
final class IssueData {

	private IssueData() {
	}

	static Optional<String> first(Diagnostic diagnostic) {
		Object data = diagnostic.getData();
		if (data instanceof String[] strings && strings.length > 0) {
			return Optional.ofNullable(strings[0]);
		}
		if (data instanceof List<?> list && !list.isEmpty() && list.get(0) != null) {
			return Optional.of(list.get(0).toString());
		}
		if (data instanceof JsonArray array && array.size() > 0) {
			return text(array.get(0));
		}
		if (data instanceof JsonElement element) {
			return text(element);
		}
		if (data instanceof String string) {
			return Optional.of(string);
		}
		return Optional.empty();
	}

	private static Optional<String> text(JsonElement element) {
		return element instanceof JsonPrimitive primitive && primitive.isString() ? Optional.of(primitive.getAsString())
				: Optional.empty();
	}
}
