package org.ilmpq.dsl.ide.server;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/** JSON text as the JSON-RPC layer sees it before lsp4j does. */
final class JsonValues {

	private JsonValues() {
	}

	/** Whether {@code text} is exactly one JSON value, blanks around it allowed. */
	static boolean isComplete(String text) {
		try (JsonReader reader = new JsonReader(new StringReader(text))) {
			reader.setLenient(false);
			JsonParser.parseReader(reader);
			return reader.peek() == JsonToken.END_DOCUMENT;
		} catch (RuntimeException | IOException e) {
			return false;
		}
	}

	/** The value of {@code text}, or null when it is not one JSON value. */
	static JsonElement parse(String text) {
		return isComplete(text) ? JsonParser.parseString(text) : null;
	}
}
