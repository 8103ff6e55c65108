package org.ilmpq.onnx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the structures an imported network repeats, so that the spec writes each once as a block: the basic blocks
 * of a ResNet, the inverted residuals of a MobileNetV2. A candidate is a module of the model (a scope of PyTorch's
 * node names, {@link LayerNames}) whose layers follow one another, read tensors from before them and give one tensor
 * to the layers after them. Two candidates are alike when they compute the same thing but for numbers (output
 * channels, strides), which become the block's int parameters.
 * <p>
 * Which alike candidates become blocks is a choice between granularities (a ResNet's stages against its blocks);
 * two greedy orders are tried, the groups that save the most lines first and the groups of most instances first,
 * and the choice that writes fewer lines is kept.
 */
final class BlockRecovery {

	/** A block: its alike instances, each a module path and its layers, in the network's order. */
	record Block(List<Instance> instances) {

		Instance first() {
			return instances.get(0);
		}
	}

	/**
	 * A candidate: the module path, its layers (a contiguous run of the network's), the tensors it reads from
	 * before it (its tensor parameters, in order of first reading) and the layer whose tensor leaves it.
	 */
	record Instance(List<String> scope, int start, List<ImportedNetwork.Layer> layers, List<String> inputs,
			ImportedNetwork.Layer output, String signature) {

		int end() {
			return start + layers.size();
		}

		boolean overlaps(Instance other) {
			return start < other.end() && other.start < end();
		}
	}

	private BlockRecovery() {
	}

	/** The blocks of a network: groups of at least two alike instances that do not overlap. */
	static List<Block> of(ImportedNetwork network) {
		Map<String, List<Instance>> groups = new LinkedHashMap<>();
		for (Instance candidate : candidates(network)) {
			groups.computeIfAbsent(candidate.signature(), key -> new ArrayList<>()).add(candidate);
		}
		List<Block> bySavings = choose(groups, Comparator.comparingLong(BlockRecovery::savings).reversed());
		List<Block> byInstances = choose(groups,
				Comparator.<List<Instance>>comparingInt(List::size).reversed().thenComparing(
						Comparator.comparingLong(BlockRecovery::savings).reversed()));
		return lines(network, bySavings) <= lines(network, byInstances) ? bySavings : byInstances;
	}

	/** Lines a group saves: its instances' layers written once, each instance a call, the block's three lines. */
	private static long savings(List<Instance> group) {
		long members = group.get(0).layers().size();
		return (group.size() - 1) * members - 3 - group.size();
	}

	/** Lines of the network's layers and blocks: a line per layer outside a block, per call, per member. */
	private static long lines(ImportedNetwork network, List<Block> blocks) {
		long lines = network.layers().size();
		for (Block block : blocks) {
			long members = block.first().layers().size();
			lines += members + 3 - block.instances().size() * (members - 1);
		}
		return lines;
	}

	/** Greedy: the best group (by {@code order}) of what is left, then the rest without its instances' overlaps. */
	private static List<Block> choose(Map<String, List<Instance>> groups, Comparator<List<Instance>> order) {
		List<List<Instance>> left = new ArrayList<>();
		for (List<Instance> group : groups.values()) {
			left.add(new ArrayList<>(group));
		}
		List<Block> chosen = new ArrayList<>();
		while (true) {
			// alike instances of one group may overlap one another (nested alike modules): keep the earliest
			for (List<Instance> group : left) {
				List<Instance> disjoint = new ArrayList<>();
				for (Instance instance : group) {
					if (disjoint.stream().noneMatch(instance::overlaps)) {
						disjoint.add(instance);
					}
				}
				group.retainAll(disjoint);
			}
			left.removeIf(group -> group.size() < 2 || savings(group) <= 0);
			if (left.isEmpty()) {
				break;
			}
			left.sort(order);
			List<Instance> best = left.remove(0);
			chosen.add(new Block(List.copyOf(best)));
			for (List<Instance> group : left) {
				group.removeIf(instance -> best.stream().anyMatch(instance::overlaps));
			}
		}
		chosen.sort(Comparator.comparingInt(block -> block.first().start()));
		return chosen;
	}

	/** Every module of at least two layers that could be a block's instance. */
	private static List<Instance> candidates(ImportedNetwork network) {
		List<ImportedNetwork.Layer> layers = network.layers();
		Set<List<String>> scopes = new HashSet<>();
		for (ImportedNetwork.Layer layer : layers) {
			for (int depth = 1; depth <= layer.scope().size(); depth++) {
				scopes.add(layer.scope().subList(0, depth));
			}
		}
		// who reads each symbol, by position in the network
		Map<String, List<Integer>> readers = new HashMap<>();
		for (int i = 0; i < layers.size(); i++) {
			for (String input : layers.get(i).inputs()) {
				readers.computeIfAbsent(input, key -> new ArrayList<>()).add(i);
			}
		}
		List<Instance> candidates = new ArrayList<>();
		for (List<String> scope : scopes) {
			int start = -1;
			int end = -1;
			boolean contiguous = true;
			for (int i = 0; i < layers.size(); i++) {
				if (within(layers.get(i).scope(), scope)) {
					if (start < 0) {
						start = i;
					} else if (end != i) {
						contiguous = false;
					}
					end = i + 1;
				}
			}
			if (!contiguous || end - start < 2) {
				continue;
			}
			List<ImportedNetwork.Layer> members = layers.subList(start, end);
			Set<String> inside = new HashSet<>();
			List<String> inputs = new ArrayList<>();
			for (ImportedNetwork.Layer member : members) {
				for (String input : member.inputs()) {
					if (!inside.contains(input) && !inputs.contains(input)) {
						inputs.add(input);
					}
				}
				inside.add(member.name());
			}
			List<ImportedNetwork.Layer> outputs = new ArrayList<>();
			for (int i = start; i < end; i++) {
				String name = layers.get(i).name();
				int last = end;
				boolean readOutside = name.equals(network.output())
						|| readers.getOrDefault(name, List.of()).stream().anyMatch(reader -> reader >= last);
				if (readOutside) {
					outputs.add(layers.get(i));
				}
			}
			if (outputs.size() != 1 || inputs.isEmpty()) {
				continue;
			}
			candidates.add(new Instance(List.copyOf(scope), start, List.copyOf(members), List.copyOf(inputs),
					outputs.get(0), signature(scope, members, inputs, outputs.get(0))));
		}
		candidates.sort(Comparator.comparingInt(Instance::start).thenComparing(c -> -c.layers().size()));
		return candidates;
	}

	private static boolean within(List<String> scope, List<String> module) {
		return scope.size() >= module.size() && scope.subList(0, module.size()).equals(module);
	}

	/**
	 * What the instance computes but for numbers: each member's name within the module, operation and non-numeric
	 * arguments, and what it reads (a tensor parameter by position, or a member by name).
	 */
	private static String signature(List<String> scope, List<ImportedNetwork.Layer> members, List<String> inputs,
			ImportedNetwork.Layer output) {
		StringBuilder signature = new StringBuilder();
		for (ImportedNetwork.Layer member : members) {
			signature.append(memberName(scope, member)).append('=').append(member.operation().keyword()).append('(');
			for (String input : member.inputs()) {
				int parameter = inputs.indexOf(input);
				signature.append(parameter >= 0 ? "#" + parameter : memberName(scope, members, input)).append(',');
			}
			for (ImportedOperation.Argument argument : member.operation().arguments()) {
				signature.append(argument.key()).append('=')
						.append(argument.numeric() ? "?" : argument.text()).append(',');
			}
			signature.append(");");
		}
		return signature.append("output ").append(memberName(scope, output)).toString();
	}

	private static String memberName(List<String> scope, List<ImportedNetwork.Layer> members, String name) {
		for (ImportedNetwork.Layer member : members) {
			if (member.name().equals(name)) {
				return memberName(scope, member);
			}
		}
		return name;
	}

	/**
	 * A member's name within its block: its layer name without the module's prefix ({@code layer1_0_conv1} in
	 * {@code layer1.0}: {@code conv1}), valid in the language.
	 */
	static String memberName(List<String> scope, ImportedNetwork.Layer member) {
		String prefix = LayerNames.identifier(String.join("_", scope)) + "_";
		String name = member.name().startsWith(prefix) ? member.name().substring(prefix.length()) : member.name();
		if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
			name = "n" + name;
		}
		return LayerNames.RESERVED.contains(name) ? name + "_" : name;
	}
}
