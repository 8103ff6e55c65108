package org.ilmpq.generator.tests;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Checks a JSON document against a JSON Schema, for the keywords docs/report.schema.json uses: {@code type} (one or
 * several, {@code integer} included), {@code required}, {@code properties}, {@code items}, {@code enum},
 * {@code minimum} and local {@code $ref}s to {@code #/$defs/...}. Anything else in a schema is refused, so that the
 * check never passes a document by ignoring a rule.
 */
final class JsonSchemaCheck {

	private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "required",
			"properties", "items", "enum", "minimum", "$ref", "$defs");

	private final JsonObject root;
	private final List<String> errors = new ArrayList<>();

	private JsonSchemaCheck(JsonObject root) {
		this.root = root;
	}

	/** Every violation, as "path: what is wrong"; empty when the document conforms. */
	static List<String> errors(JsonObject schema, JsonElement document) {
		JsonSchemaCheck check = new JsonSchemaCheck(schema);
		check.check(schema, document, "$");
		return check.errors;
	}

	private void check(JsonObject schema, JsonElement value, String path) {
		for (String keyword : schema.keySet()) {
			if (!KNOWN.contains(keyword)) {
				throw new IllegalArgumentException("schema keyword " + keyword + " at " + path + " is not supported");
			}
		}
		if (schema.has("$ref")) {
			String ref = schema.get("$ref").getAsString();
			if (!ref.startsWith("#/$defs/")) {
				throw new IllegalArgumentException("only #/$defs/ references are supported: " + ref);
			}
			check(root.getAsJsonObject("$defs").getAsJsonObject(ref.substring("#/$defs/".length())), value, path);
			return;
		}
		if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
			errors.add(path + ": expected " + schema.get("type") + ", found " + value);
			return;
		}
		if (schema.has("enum") && !schema.getAsJsonArray("enum").contains(value)) {
			errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
		}
		if (schema.has("minimum") && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
				&& value.getAsBigDecimal().compareTo(schema.get("minimum").getAsBigDecimal()) < 0) {
			errors.add(path + ": " + value + " is below " + schema.get("minimum"));
		}
		if (value.isJsonObject()) {
			JsonObject object = value.getAsJsonObject();
			if (schema.has("required")) {
				for (JsonElement name : schema.getAsJsonArray("required")) {
					if (!object.has(name.getAsString())) {
						errors.add(path + ": missing " + name.getAsString());
					}
				}
			}
			if (schema.has("properties")) {
				for (Map.Entry<String, JsonElement> property : schema.getAsJsonObject("properties").entrySet()) {
					if (object.has(property.getKey())) {
						check(property.getValue().getAsJsonObject(), object.get(property.getKey()),
								path + "." + property.getKey());
					}
				}
			}
		}
		if (value.isJsonArray() && schema.has("items")) {
			JsonArray array = value.getAsJsonArray();
			for (int i = 0; i < array.size(); i++) {
				check(schema.getAsJsonObject("items"), array.get(i), path + "[" + i + "]");
			}
		}
	}

	private static boolean typeMatches(JsonElement type, JsonElement value) {
		if (type.isJsonArray()) {
			for (JsonElement one : type.getAsJsonArray()) {
				if (typeMatches(one, value)) {
					return true;
				}
			}
			return false;
		}
		return switch (type.getAsString()) {
		case "null" -> value.isJsonNull();
		case "object" -> value.isJsonObject();
		case "array" -> value.isJsonArray();
		case "string" -> isPrimitive(value) && value.getAsJsonPrimitive().isString();
		case "boolean" -> isPrimitive(value) && value.getAsJsonPrimitive().isBoolean();
		case "number" -> isPrimitive(value) && value.getAsJsonPrimitive().isNumber();
		case "integer" -> isPrimitive(value) && value.getAsJsonPrimitive().isNumber() && isWhole(value.getAsBigDecimal());
		default -> throw new IllegalArgumentException("type " + type);
		};
	}

	private static boolean isPrimitive(JsonElement value) {
		return value instanceof JsonPrimitive;
	}

	private static boolean isWhole(BigDecimal number) {
		return number.stripTrailingZeros().scale() <= 0;
	}
}
