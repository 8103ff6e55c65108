package org.ilmpq.generator.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.generator.UniqueIdentifiers;

/**
 * Python identifiers for the names of a spec. A spec name may be a Python keyword ({@code class}), hold a dot
 * (block instances: {@code l1_0.c1}) or clash with a name the generated module uses ({@code torch}, {@code self});
 * each spec name gets one identifier, distinct from every other: characters outside {@code [A-Za-z0-9_]} become
 * {@code _}, a leading digit gets a {@code _} before it, a reserved word a {@code _} after it, and a clash a
 * numeric suffix.
 */
public final class PythonNames {

	/**
	 * Python 3.11's keywords and soft keywords, and the names the generated module itself binds (its activation
	 * quantizers are the attribute {@code activations}).
	 */
	private static final Set<String> KEYWORDS_AND_BOUND_NAMES = Set.of("False", "None", "True", "and", "as", "assert",
			"async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
			"from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
			"try", "while", "with", "yield", "match", "case", "_", "self", "super", "torch", "nn", "F", "sys",
			"ilmpq_quant", "ilmpq_train", "SPEC", "main", "print", "len", "range", "list", "dict", "tuple", "type",
			"object", "input", "activations");

	/** nn-module-attributes.txt: what a submodule attribute of the same name would hide or be hidden by. */
	private static final Set<String> MODULE_ATTRIBUTES = readNames("nn-module-attributes.txt");

	/** python-modules.txt: the modules a file beside the script must not shadow (its folder is first on sys.path). */
	private static final Set<String> MODULES = readNames("python-modules.txt");

	private final UniqueIdentifiers identifiers = new UniqueIdentifiers(PythonNames::sanitize);

	/** The identifier of a spec name; the same for every call with that name. */
	public String of(String specName) {
		return identifiers.of(specName);
	}

	public static String sanitize(String name) {
		StringBuilder identifier = new StringBuilder();
		for (char c : name.toCharArray()) {
			identifier.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
		}
		if (identifier.isEmpty() || Character.isDigit(identifier.charAt(0))) {
			identifier.insert(0, '_');
		}
		String result = identifier.toString();
		return reserved(result) ? result + "_" : result;
	}

	private static boolean reserved(String identifier) {
		return KEYWORDS_AND_BOUND_NAMES.contains(identifier) || MODULE_ATTRIBUTES.contains(identifier);
	}

	/**
	 * The module name of a network file: its identifier, or {@code <identifier>_network} where that would shadow a
	 * module the script or Python needs ({@code copy.py} beside the script breaks {@code import torch}).
	 */
	public static String moduleName(String specName) {
		String identifier = sanitize(specName);
		return MODULES.contains(identifier) ? identifier + "_network" : identifier;
	}

	/** A list of names beside this class, one a line, {@code #} comments. */
	private static Set<String> readNames(String file) {
		try (InputStream in = PythonNames.class.getResourceAsStream(file)) {
			if (in == null) {
				throw new IllegalStateException(file + " is missing from the generator bundle");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
					.filter(line -> !line.isBlank() && !line.startsWith("#")).collect(Collectors.toUnmodifiableSet());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A class name: {@code digits_cnn} becomes {@code DigitsCnn}, {@code class} becomes {@code Class_}. */
	public static String className(String specName) {
		StringBuilder name = new StringBuilder();
		for (String part : sanitize(specName).split("_")) {
			if (!part.isEmpty()) {
				name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
			}
		}
		String result = name.isEmpty() ? "Network" : name.toString();
		if (Character.isDigit(result.charAt(0))) {
			result = "Network" + result;
		}
		return reserved(result) ? result + "_" : result;
	}
}
