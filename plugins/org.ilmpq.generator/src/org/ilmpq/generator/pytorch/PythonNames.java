package org.ilmpq.generator.pytorch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Python identifiers for the names of a spec. A spec name may be a Python keyword ({@code class}), hold a dot
 * (block instances: {@code l1_0.c1}) or clash with a name the generated module uses ({@code torch}, {@code self});
 * each spec name gets one identifier, distinct from every other: characters outside {@code [A-Za-z0-9_]} become
 * {@code _}, a leading digit gets a {@code _} before it, a reserved word a {@code _} after it, and a clash a
 * numeric suffix.
 */
public final class PythonNames {

	/**
	 * Python 3.11's keywords and soft keywords, the names the generated module itself binds, and the attributes of
	 * torch.nn.Module that a submodule of the same name would hide.
	 */
	private static final Set<String> RESERVED = Set.of("False", "None", "True", "and", "as", "assert", "async",
			"await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
			"global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
			"while", "with", "yield", "match", "case", "_", "self", "super", "torch", "nn", "F", "sys", "ilmpq_quant", "ilmpq_train",
			"SPEC", "main", "print", "len", "range", "list", "dict", "tuple", "type", "object", "input", "forward",
			"training", "train", "eval", "modules", "children", "parameters", "buffers", "named_modules",
			"named_children", "named_parameters", "named_buffers", "state_dict", "load_state_dict", "to", "to_empty",
			"cpu", "cuda", "xpu", "ipu", "float", "double", "half", "bfloat16", "apply", "zero_grad", "requires_grad_",
			"register_buffer", "register_parameter", "register_module", "add_module", "get_submodule", "get_parameter",
			"get_buffer", "get_extra_state", "set_extra_state", "extra_repr", "share_memory", "dump_patches",
			"call_super_init", "register_forward_hook", "register_forward_pre_hook", "register_backward_hook",
			"register_full_backward_hook", "register_full_backward_pre_hook", "_modules", "_parameters", "_buffers",
			"_version", "_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_state_dict_hooks",
			"_load_state_dict_pre_hooks", "_non_persistent_buffers_set", "_is_full_backward_hook");

	private final Map<String, String> identifiers = new HashMap<>();
	private final Set<String> taken = new HashSet<>();

	/** The identifier of a spec name; the same for every call with that name. */
	public String of(String specName) {
		return identifiers.computeIfAbsent(specName, name -> {
			String base = sanitize(name);
			String candidate = base;
			for (int suffix = 2; taken.contains(candidate); suffix++) {
				candidate = base + "_" + suffix;
			}
			taken.add(candidate);
			return candidate;
		});
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
		return RESERVED.contains(result) ? result + "_" : result;
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
		return RESERVED.contains(result) ? result + "_" : result;
	}
}
