package org.ilmpq.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ilmpq.onnx.proto.OnnxProto.NodeProto;

/**
 * The names of an imported spec: each layer named after the module it came from, valid and unique. PyTorch (1.13
 * on) names a node after its module scopes, {@code /layer1/layer1.0/conv1/Conv}: each scope is the module's path
 * relative to an enclosing one, so that the path is rebuilt as [layer1, 0, conv1] and the layer is
 * {@code layer1_0_conv1}. A node outside any module ({@code /Flatten}, an add in a block's forward) is named after
 * what it does ({@code flat}, {@code sum}); other exporters' node names are made valid as they are.
 */
final class LayerNames {

	/** Words the language reserves, which a name cannot be (Ilmpq.xtext: keywords that are not ValidIDs). */
	static final Set<String> RESERVED = Set.of("network", "target", "MHz", "dsp", "lut", "ff", "bram", "quantization",
			"split", "activations", "sensitive", "pot", "variance", "reassign", "fixed", "sp2", "block", "tensor", "int",
			"input", "output", "conv", "depthwise", "linear", "batchnorm", "relu", "relu6", "maxpool", "avgpool",
			"globalavgpool", "add", "concat", "flatten", "true", "false");

	/** What a node outside any module is called after its operator. */
	private static final Map<String, String> NOUNS = Map.ofEntries(Map.entry("Add", "sum"), Map.entry("Concat", "cat"),
			Map.entry("Flatten", "flat"), Map.entry("Reshape", "flat"), Map.entry("GlobalAveragePool", "gap"),
			Map.entry("AveragePool", "avg"), Map.entry("MaxPool", "maxp"), Map.entry("Relu", "act"),
			Map.entry("Clip", "act"), Map.entry("Gemm", "fc"), Map.entry("MatMul", "fc"), Map.entry("Conv", "conv_"),
			Map.entry("BatchNormalization", "bn"));

	/** A layer's name and the module path it came from (empty where the node name has none). */
	record Named(String name, List<String> scope) {
	}

	/** The operators that become layers of their own (an Add of a constant joins its MatMul's layer). */
	private static final Set<String> LAYER_OPERATORS = Set.of("Conv", "BatchNormalization", "Relu", "Clip", "MaxPool",
			"AveragePool", "GlobalAveragePool", "Add", "Concat", "Flatten", "Reshape", "Gemm", "MatMul");

	private final Set<String> used = new HashSet<>();
	/** How many layer nodes each module path holds directly, and every path that holds others below it. */
	private final Map<List<String>, Integer> nodesIn = new HashMap<>();
	private final Set<List<String>> containers = new HashSet<>();

	/**
	 * Looks at every node before any is named: a node named after a module's scope is that module's own (a
	 * convolution module's Conv) where the module holds no other layer; otherwise (an add in a block's forward, a
	 * flatten at the top) it is named after what it does.
	 */
	void survey(List<NodeProto> nodes, Set<String> constants) {
		for (NodeProto node : nodes) {
			boolean constantAdd = node.getOpType().equals("Add")
					&& node.getInputList().stream().anyMatch(constants::contains);
			if (!node.getName().startsWith("/") || !LAYER_OPERATORS.contains(node.getOpType()) || constantAdd) {
				continue;
			}
			List<String> scope = scope(levels(node.getName()));
			nodesIn.merge(scope, 1, Integer::sum);
			for (int depth = 0; depth < scope.size(); depth++) {
				containers.add(List.copyOf(scope.subList(0, depth)));
			}
		}
	}

	private static List<String> levels(String nodeName) {
		List<String> levels = new ArrayList<>();
		for (String level : nodeName.substring(1).split("/")) {
			if (!level.isEmpty()) {
				levels.add(level);
			}
		}
		// the last is the node's own: its operator, Conv or Conv_1
		if (!levels.isEmpty()) {
			levels.remove(levels.size() - 1);
		}
		return levels;
	}

	/** The graph input's name; "image" or "features" where the model's is not a valid name. */
	String input(String onnxName, boolean image) {
		String name = identifier(onnxName);
		if (name.isEmpty() || RESERVED.contains(name)) {
			name = image ? "image" : "features";
		}
		return unique(name);
	}

	Named layer(NodeProto node, ImportedOperation operation) {
		String nodeName = node.getName();
		if (nodeName.startsWith("/")) {
			String[] segments = nodeName.split("/");
			String op = segments.length == 0 ? node.getOpType() : segments[segments.length - 1];
			List<String> scope = scope(levels(nodeName));
			List<String> parts = new ArrayList<>(scope);
			boolean own = !scope.isEmpty() && !containers.contains(scope) && nodesIn.getOrDefault(scope, 0) == 1;
			if (!own || !isOperatorSegment(op, node.getOpType())) {
				parts.add(noun(op, node.getOpType()));
			}
			String name = valid(identifier(String.join("_", parts)), node);
			return new Named(unique(name), List.copyOf(scope));
		}
		String name = nodeName.isEmpty() ? noun(node.getOpType(), node.getOpType()) : identifier(nodeName);
		return new Named(unique(valid(name, node)), List.of());
	}

	/**
	 * The module path of PyTorch's scope names: each level is a path relative to one of the modules before it
	 * ({@code features.1} under {@code features}, {@code conv.0.0} under {@code features.1}).
	 */
	static List<String> scope(List<String> levels) {
		List<String> path = new ArrayList<>();
		for (String level : levels) {
			int at = path.size();
			for (int k = 0; k < path.size(); k++) {
				if (level.startsWith(String.join(".", path.subList(k, path.size())) + ".")) {
					at = k;
					break;
				}
			}
			path.subList(at, path.size()).clear();
			path.addAll(List.of(level.split("\\.")));
		}
		return path;
	}

	/**
	 * Whether the last segment of a node name only repeats the operator ({@code Conv}, {@code Conv_1}): the node is
	 * the module's own, named by the module.
	 */
	private static boolean isOperatorSegment(String segment, String opType) {
		return segment.equals(opType) || segment.matches(java.util.regex.Pattern.quote(opType) + "_\\d+");
	}

	/** sum, sum_1, ... for Add, Add_1, ... */
	private static String noun(String segment, String opType) {
		String noun = NOUNS.getOrDefault(opType, opType.toLowerCase());
		String suffix = segment.startsWith(opType + "_") ? segment.substring(opType.length()) : "";
		return noun + suffix;
	}

	/** A name made of letters, digits and underscores, not starting with a digit. */
	static String identifier(String text) {
		String name = text.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
		if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
			name = "n" + name;
		}
		return name;
	}

	private static String valid(String name, NodeProto node) {
		if (name.isEmpty()) {
			name = noun(node.getOpType(), node.getOpType());
		}
		return RESERVED.contains(name) ? name + "_" : name;
	}

	private String unique(String name) {
		String candidate = name;
		for (int k = 2; !used.add(candidate); k++) {
			candidate = name + "_" + k;
		}
		return candidate;
	}
}
