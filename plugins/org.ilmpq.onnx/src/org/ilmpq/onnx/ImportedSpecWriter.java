package org.ilmpq.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes an imported network as a spec a person would write: a header saying where it came from, the target and the
 * quantization where a user sees how to change them, each repeated structure once as a block ({@link BlockRecovery}),
 * then the input, the layers and block calls, and the output.
 */
public final class ImportedSpecWriter {

	/**
	 * What the spec says besides the network.
	 *
	 * @param target the board or part, as the language names it (PYNQ-Z2, ZC706, xc7z020clg400-1)
	 * @param clockMhz the clock
	 * @param split the split of every layer's rows, as the language writes it
	 * @param tool the tool and version that imports, for the header
	 */
	public record Settings(String target, String clockMhz, String split, String tool) {

		/** The defaults of the examples: the PYNQ-Z2 at 100 MHz, the split ILMPQ reports for the XC7Z020. */
		public static final String DEFAULT_TARGET = "PYNQ-Z2";
		public static final String DEFAULT_CLOCK = "100";
		public static final String DEFAULT_SPLIT = "60 % pot 4, 35 % fixed 4, 5 % fixed 8";
	}

	/**
	 * A written spec: its text, and by each imported layer's name the name it has once the spec's block calls are
	 * lowered ({@code call.member}), under which the generated script holds its parameters. (Keyed by name: a
	 * layer's record hashes its initializers, whole.)
	 */
	public record WrittenSpec(String text, Map<String, String> loweredNames, int blocks) {
	}

	private final ImportedNetwork network;
	private final Settings settings;
	private final StringBuilder out = new StringBuilder();
	private final Map<String, String> lowered = new LinkedHashMap<>();

	private ImportedSpecWriter(ImportedNetwork network, Settings settings) {
		this.network = network;
		this.settings = settings;
	}

	public static WrittenSpec write(ImportedNetwork network, Settings settings) {
		return new ImportedSpecWriter(network, settings).write();
	}

	private WrittenSpec write() {
		OnnxModelFile source = network.source();
		// what the model file says goes into comments: no control character may end one
		String producer = comment(source.model().getProducerName() + " " + source.model().getProducerVersion()).trim();
		line("// " + network.name() + ", imported from " + comment(String.valueOf(source.path().getFileName())) + " by "
				+ settings.tool() + ".");
		line("// ONNX IR version " + source.model().getIrVersion() + ", opset " + source.opset()
				+ (producer.isEmpty() ? "" : ", produced by " + producer) + "; SHA-256 " + source.sha256());
		line("network " + network.name());
		line("");
		line("// The board and clock the design is estimated and generated for: change them here (the devices are in");
		line("// the README), or import again with --target and --clock.");
		line("target " + settings.target() + " clock " + settings.clockMhz() + " MHz budget dsp 100 %, lut 90 %, bram 90 %");
		line("");
		line("// Every weight layer's rows split between the schemes: change the shares here, or import again with --split.");
		line("quantization {");
		line("    split " + settings.split());
		line("    activations fixed 4");
		line("    sensitive rows by output-error");
		line("    pot rows by variance");
		line("}");
		List<BlockRecovery.Block> blocks = BlockRecovery.of(network);
		Map<Integer, Call> calls = new HashMap<>();
		Set<String> used = new HashSet<>();
		network.layers().forEach(layer -> used.add(layer.name()));
		used.add(network.input().name());
		int index = 0;
		for (BlockRecovery.Block block : blocks) {
			String name = blockName(index++, used);
			BlockText text = blockText(name, block);
			line("");
			line("// The structure of " + joinScopes(block) + ".");
			out.append(text.definition);
			for (int i = 0; i < block.instances().size(); i++) {
				BlockRecovery.Instance instance = block.instances().get(i);
				String callName = unique(LayerNames.identifier(String.join("_", instance.scope())), used);
				calls.put(instance.start(), new Call(callName, name, instance, text.arguments.get(i)));
				for (ImportedNetwork.Layer member : instance.layers()) {
					lowered.put(member.name(), callName + "." + BlockRecovery.memberName(instance.scope(), member));
				}
			}
		}
		line("");
		line("input " + network.input().name() + ": "
				+ network.input().dims().stream().map(String::valueOf).collect(Collectors.joining(" x ")));
		line("");
		// a block instance's output is read under the call's name
		Map<String, String> symbol = new HashMap<>();
		for (int i = 0; i < network.layers().size(); i++) {
			Call call = calls.get(i);
			if (call != null) {
				String inputs = call.instance.inputs().stream().map(input -> symbol.getOrDefault(input, input))
						.collect(Collectors.joining(", "));
				line(call.name + " = " + call.block + "(" + inputs + call.arguments + ")");
				symbol.put(call.instance.output().name(), call.name);
				i = call.instance.end() - 1;
				continue;
			}
			ImportedNetwork.Layer layer = network.layers().get(i);
			lowered.put(layer.name(), layer.name());
			line(layer.name() + " = " + operation(layer, layer.inputs().stream().map(input -> symbol.getOrDefault(input, input)).toList(),
					new HashMap<>()));
		}
		line("output " + symbol.getOrDefault(network.output(), network.output()));
		return new WrittenSpec(out.toString(), Map.copyOf(lowered), blocks.size());
	}

	private record Call(String name, String block, BlockRecovery.Instance instance, String arguments) {
	}

	private record BlockText(String definition, List<String> arguments) {
	}

	/**
	 * A block's definition: its tensor parameters (x, x2, ...), an int parameter for each number that differs
	 * between its instances (channels, channels2, ..., stride, stride2, ...; a number that is a multiple of one of
	 * them written as that multiple), its members, its output; and each instance's int arguments.
	 */
	private BlockText blockText(String name, BlockRecovery.Block block) {
		BlockRecovery.Instance first = block.first();
		int count = block.instances().size();
		// each numeric argument of each member, as its values over the instances
		Map<String, String> expressions = new LinkedHashMap<>();
		List<String> parameters = new ArrayList<>();
		List<long[]> parameterValues = new ArrayList<>();
		for (int m = 0; m < first.layers().size(); m++) {
			List<ImportedOperation.Argument> arguments = first.layers().get(m).operation().arguments();
			for (int a = 0; a < arguments.size(); a++) {
				if (!arguments.get(a).numeric()) {
					continue;
				}
				long[] values = new long[count];
				for (int i = 0; i < count; i++) {
					values[i] = block.instances().get(i).layers().get(m).operation().arguments().get(a).value();
				}
				String key = m + "/" + a;
				if (java.util.Arrays.stream(values).allMatch(v -> v == values[0])) {
					continue;
				}
				String expression = null;
				for (int p = 0; p < parameters.size() && expression == null; p++) {
					long[] known = parameterValues.get(p);
					if (java.util.Arrays.equals(known, values)) {
						expression = parameters.get(p);
					} else if (known[0] > 0 && values[0] % known[0] == 0) {
						long factor = values[0] / known[0];
						boolean multiple = factor > 1;
						for (int i = 0; i < count && multiple; i++) {
							multiple = values[i] == factor * known[i];
						}
						if (multiple) {
							expression = parameters.get(p) + " * " + factor;
						}
					}
				}
				if (expression == null) {
					String base = arguments.get(a).key().equals("out") ? "channels" : arguments.get(a).key();
					long same = parameters.stream().filter(p -> p.equals(base) || p.matches(base + "\\d+")).count();
					expression = same == 0 ? base : base + (same + 1);
					parameters.add(expression);
					parameterValues.add(values);
				}
				expressions.put(key, expression);
			}
		}
		StringBuilder definition = new StringBuilder();
		List<String> tensors = new ArrayList<>();
		for (int t = 0; t < first.inputs().size(); t++) {
			tensors.add(t == 0 ? "x" : "x" + (t + 1));
		}
		List<String> header = new ArrayList<>();
		tensors.forEach(tensor -> header.add("tensor " + tensor));
		parameters.forEach(parameter -> header.add("int " + parameter));
		definition.append("block ").append(name).append('(').append(String.join(", ", header)).append(") {\n");
		Map<String, String> names = new HashMap<>();
		for (int t = 0; t < tensors.size(); t++) {
			names.put(first.inputs().get(t), tensors.get(t));
		}
		for (int m = 0; m < first.layers().size(); m++) {
			ImportedNetwork.Layer member = first.layers().get(m);
			String memberName = BlockRecovery.memberName(first.scope(), member);
			Map<Integer, String> replaced = new HashMap<>();
			for (Map.Entry<String, String> expression : expressions.entrySet()) {
				String[] key = expression.getKey().split("/");
				if (Integer.parseInt(key[0]) == m) {
					replaced.put(Integer.parseInt(key[1]), expression.getValue());
				}
			}
			definition.append("    ").append(memberName).append(" = ")
					.append(operation(member, member.inputs().stream().map(input -> names.getOrDefault(input, input)).toList(),
							replaced))
					.append('\n');
			names.put(member.name(), memberName);
		}
		definition.append("    output ").append(names.get(first.output().name())).append("\n}\n");
		List<String> arguments = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			StringBuilder text = new StringBuilder();
			for (int p = 0; p < parameters.size(); p++) {
				text.append(", ").append(parameters.get(p)).append('=').append(parameterValues.get(p)[i]);
			}
			arguments.add(text.toString());
		}
		return new BlockText(definition.toString(), arguments);
	}

	/**
	 * A layer's operation: keyword, inputs, then the arguments that are not the language's defaults; the numeric
	 * argument at index k replaced by {@code replaced.get(k)} where a block takes it as a parameter.
	 */
	private static String operation(ImportedNetwork.Layer layer, List<String> inputs, Map<Integer, String> replaced) {
		List<String> parts = new ArrayList<>(inputs);
		List<ImportedOperation.Argument> arguments = layer.operation().arguments();
		for (int a = 0; a < arguments.size(); a++) {
			ImportedOperation.Argument argument = arguments.get(a);
			String text = replaced.getOrDefault(a, argument.text());
			if (!replaced.containsKey(a) && text.equals(argument.defaultText())) {
				continue;
			}
			parts.add(argument.key() + "=" + text);
		}
		return layer.operation().keyword() + "(" + String.join(", ", parts) + ")";
	}

	/** Where a block's instances are in the model: all of them, or of many the first two and the last. */
	private static String joinScopes(BlockRecovery.Block block) {
		List<String> scopes = block.instances().stream().map(instance -> String.join(".", instance.scope())).toList();
		int count = scopes.size();
		if (count > 5) {
			return scopes.get(0) + ", " + scopes.get(1) + ", ... and " + scopes.get(count - 1) + " (" + count
					+ " modules)";
		}
		return count == 2 ? scopes.get(0) + " and " + scopes.get(1)
				: String.join(", ", scopes.subList(0, count - 1)) + " and " + scopes.get(count - 1);
	}

	/** BlockA to BlockZ, then BlockAA, BlockAB, ...; none a name the spec has. */
	private static String blockName(int index, Set<String> used) {
		for (int k = index;; k++) {
			StringBuilder letters = new StringBuilder();
			for (int n = k; n >= 0; n = n / 26 - 1) {
				letters.insert(0, (char) ('A' + n % 26));
			}
			String name = "Block" + letters;
			if (used.add(name)) {
				return name;
			}
		}
	}

	/** Text for a line comment: control characters (a line break would end it) as blanks. */
	private static String comment(String text) {
		return text.replaceAll("\\p{Cntrl}", " ");
	}

	private static String unique(String name, Set<String> used) {
		String base = LayerNames.RESERVED.contains(name) || name.isEmpty() ? name + "_" : name;
		String candidate = base;
		for (int k = 2; !used.add(candidate); k++) {
			candidate = base + "_" + k;
		}
		return candidate;
	}

	private void line(String text) {
		out.append(text).append('\n');
	}
}
