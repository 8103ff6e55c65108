package org.ilmpq.generator.hls;

import java.util.Set;

import org.ilmpq.generator.UniqueIdentifiers;

/**
 * C++ identifiers for the spec's names, one each and all different: characters that cannot be in an identifier
 * become {@code _} (a block instance's {@code layer1_0.conv1} becomes {@code layer1_0_conv1}), a leading digit gets
 * a {@code _} before it, and a name C++ or the generated code reserves gets one after it (a layer named
 * {@code class}, {@code int} or {@code INFINITY} still gives valid C++). A name that would repeat an earlier one
 * gets a numbered suffix.
 */
public final class CppNames {

	/** C++17 keywords and alternative tokens (ISO/IEC 14882:2017, 5.11 and 5.12), and C++20's. */
	private static final Set<String> KEYWORDS = Set.of("alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand",
			"bitor", "bool", "break", "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl",
			"concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
			"co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
			"explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
			"mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
			"private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed",
			"sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
			"throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
			"volatile", "wchar_t", "while", "xor", "xor_eq",
			// names the generated code and its headers use in the same scope
			"main", "ilmpq", "layers", "std", "weight_layer", "word_t");

	private final UniqueIdentifiers identifiers = new UniqueIdentifiers(CppNames::sanitize);

	/** A name that is not a spec name but must not be taken by one (the top function's). */
	public void reserve(String identifier) {
		identifiers.reserve(identifier);
	}

	/** The identifier of a spec name; the same name always gives the same identifier. */
	public String of(String specName) {
		return identifiers.of(specName);
	}

	/** An identifier made of a name, without regard to clashes. */
	public static String sanitize(String name) {
		StringBuilder identifier = new StringBuilder();
		for (char c : name.toCharArray()) {
			boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || c == '_');
			// the standard reserves a double underscore anywhere: runs of them become one
			if (allowed || identifier.isEmpty() || identifier.charAt(identifier.length() - 1) != '_') {
				identifier.append(allowed ? c : '_');
			}
		}
		String result = identifier.toString().replaceAll("_{2,}", "_");
		// a leading digit is no identifier; a leading underscore and capital is the implementation's
		if (result.isEmpty() || result.equals("_") || Character.isDigit(result.charAt(0))
				|| result.length() > 1 && result.charAt(0) == '_' && Character.isUpperCase(result.charAt(1))) {
			result = "n" + (result.startsWith("_") ? "" : "_") + result;
		}
		// keywords, and names without a lower-case letter, which could be a macro of a standard header (NAN, EOF)
		// or of the design's own (HLS_PRAGMA)
		if (KEYWORDS.contains(result) || result.chars().noneMatch(Character::isLowerCase)) {
			result += "_";
		}
		return result;
	}
}
