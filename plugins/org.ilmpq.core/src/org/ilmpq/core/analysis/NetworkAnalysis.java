package org.ilmpq.core.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Network;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.LayerSplit;
import org.ilmpq.core.quant.QuantizationPolicy;
import org.ilmpq.core.quant.RowAllocation;
import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.SplitSource;

/**
 * Everything that follows from a lowered network without a device: the graph order, every tensor's shape,
 * MACs and parameters per layer, which layers are first and last, the split of each weight layer and its
 * rows per scheme, and the problems met on the way. Computed once, in time linear in the number of layers and
 * without recursion, so a 10,000-layer chain is as safe as ResNet-18.
 */
public final class NetworkAnalysis {

	/** Cycles longer than this are shown with their first members only. */
	private static final int CYCLE_MEMBERS_SHOWN = 6;

	private final Network network;
	private final List<Problem> problems = new ArrayList<>();
	private final Map<String, TensorShape> shapes = new LinkedHashMap<>();
	private final Map<String, LayerFacts> facts = new LinkedHashMap<>();
	private final Set<String> firstWeightLayers = new LinkedHashSet<>();
	private final Set<String> lastWeightLayers = new LinkedHashSet<>();
	private long totalMacs;
	private long totalParameters;

	private NetworkAnalysis(Network network) {
		this.network = network;
	}

	public static NetworkAnalysis of(Network network, QuantizationPolicy policy) {
		NetworkAnalysis analysis = new NetworkAnalysis(network);
		analysis.run(policy);
		return analysis;
	}

	private void run(QuantizationPolicy policy) {
		NetworkGraph graph = new NetworkGraph(network);
		problems.addAll(graph.problems());
		int[] order = graph.topologicalOrder();
		reportCycles(graph, graph.cycles(order));

		LayerShapeInference.Inferred[] inferredPerNode = inferShapes(graph, order);
		reportUnused(graph, order);
		findFirstAndLastWeightLayers(graph, order);

		for (int node : order) {
			LayerShapeInference.Inferred inferred = inferredPerNode[node];
			if (inferred == null) {
				continue;
			}
			Layer layer = graph.layer(node);
			Optional<LayerSplit> split = layer.operation().hasWeights() ? effectiveSplit(layer, policy) : Optional.empty();
			Optional<RowAllocation> allocation = split.filter(s -> s.split().sumsToHundred())
					.map(s -> RowAllocator.allocate(s.split(), inferred.rows()));
			allocation.ifPresent(a -> checkRounding(layer, a));
			facts.put(layer.name(), new LayerFacts(layer, inferred.output(), inferred.macs(), inferred.parameters(),
					inferred.rows(), split, allocation));
			try {
				totalMacs = Math.addExact(totalMacs, inferred.macs());
				totalParameters = Math.addExact(totalParameters, inferred.parameters());
			} catch (ArithmeticException overflow) {
				problems.add(Problem.error(layer.name(), ProblemCode.SIZE_LIMIT, Focus.LAYER,
						"the network's total MAC or parameter count does not fit in 64 bits"));
			}
		}
	}

	/** Shapes in topological order; the result has an entry for every layer whose shape is known. */
	private LayerShapeInference.Inferred[] inferShapes(NetworkGraph graph, int[] order) {
		LayerShapeInference inference = new LayerShapeInference(problems::add);
		TensorShape[] nodeShapes = new TensorShape[graph.size()];
		LayerShapeInference.Inferred[] inferred = new LayerShapeInference.Inferred[graph.size()];
		List<InputTensor> inputs = network.inputs();
		for (int node : order) {
			if (graph.isInput(node)) {
				InputTensor input = inputs.get(node);
				if (inference.checkInput(input.name(), input.shape())) {
					nodeShapes[node] = input.shape();
					shapes.put(input.name(), input.shape());
				}
				continue;
			}
			int[] preds = graph.predecessors(node);
			Layer layer = graph.layer(node);
			if (preds.length != layer.inputs().size()) {
				continue; // an unknown reference, reported by the graph
			}
			List<TensorShape> inputShapes = new ArrayList<>(preds.length);
			for (int pred : preds) {
				inputShapes.add(nodeShapes[pred]);
			}
			if (inputShapes.contains(null)) {
				continue; // downstream of an error: say nothing more
			}
			LayerShapeInference.Inferred result = inference.infer(layer, inputShapes);
			if (result != null) {
				inferred[node] = result;
				nodeShapes[node] = result.output();
				shapes.put(layer.name(), result.output());
			}
		}
		return inferred;
	}

	private void reportCycles(NetworkGraph graph, List<int[]> cycles) {
		for (int[] cycle : cycles) {
			String path = describeCycle(graph, cycle);
			for (int node : cycle) {
				problems.add(Problem.error(graph.name(node), ProblemCode.CYCLE, Focus.LAYER,
						"'" + graph.name(node) + "' is on a cycle: " + path));
			}
		}
	}

	private static String describeCycle(NetworkGraph graph, int[] cycle) {
		if (cycle.length == 1) {
			return graph.name(cycle[0]) + " reads itself";
		}
		StringBuilder path = new StringBuilder(graph.name(cycle[0]));
		int shown = Math.min(cycle.length, CYCLE_MEMBERS_SHOWN);
		for (int i = 1; i < shown; i++) {
			path.append(i == 1 ? " reads " : ", which reads ").append(graph.name(cycle[i]));
		}
		if (shown < cycle.length) {
			path.append(", ... (").append(cycle.length).append(" layers in all)");
		}
		return path.append(", which reads ").append(graph.name(cycle[0])).toString();
	}

	private void reportUnused(NetworkGraph graph, int[] order) {
		if (graph.outputNode() < 0) {
			return;
		}
		BitSet contributing = graph.contributing();
		String output = graph.name(graph.outputNode());
		for (int node : order) {
			if (contributing.get(node)) {
				continue;
			}
			String name = graph.name(node);
			if (graph.isInput(node)) {
				problems.add(Problem.warning(name, ProblemCode.UNUSED_INPUT, Focus.LAYER,
						"input '" + name + "' does not reach the output '" + output + "'"));
			} else {
				problems.add(Problem.warning(name, ProblemCode.UNUSED_LAYER, Focus.LAYER,
						"layer '" + name + "' does not reach the output '" + output + "'"));
			}
		}
	}

	/**
	 * First weight layers: those with no weight layer upstream; last: those with no weight layer downstream.
	 * Defined on the graph rather than on the text, so that a stem of two parallel convolutions has two first
	 * layers.
	 */
	private void findFirstAndLastWeightLayers(NetworkGraph graph, int[] order) {
		int n = graph.size();
		boolean[] weightUpstream = new boolean[n];
		boolean[] weightDownstream = new boolean[n];
		for (int node : order) {
			if (!graph.isInput(node)) {
				boolean self = graph.layer(node).operation().hasWeights();
				boolean upstream = false;
				for (int pred : graph.predecessors(node)) {
					upstream |= weightUpstream[pred] || (!graph.isInput(pred) && graph.layer(pred).operation().hasWeights());
				}
				weightUpstream[node] = upstream;
				if (self && !upstream) {
					firstWeightLayers.add(graph.name(node));
				}
			}
		}
		for (int k = order.length - 1; k >= 0; k--) {
			int node = order[k];
			if (graph.isInput(node)) {
				continue;
			}
			boolean self = graph.layer(node).operation().hasWeights();
			for (int pred : graph.predecessors(node)) {
				weightDownstream[pred] |= self || weightDownstream[node];
			}
		}
		for (int node : order) {
			if (!graph.isInput(node) && graph.layer(node).operation().hasWeights() && !weightDownstream[node]) {
				lastWeightLayers.add(graph.name(node));
			}
		}
	}

	/**
	 * The lowering resolved the lexical precedence (layer, block instance, block, network); the first/last-layer
	 * policy needs the graph, so it is applied here, above everything but a layer's own split
	 * (see {@link SplitSource}).
	 */
	private Optional<LayerSplit> effectiveSplit(Layer layer, QuantizationPolicy policy) {
		Optional<LayerSplit> lowered = layer.split();
		if (lowered.isPresent() && lowered.get().source().kind() == SplitSource.Kind.LAYER) {
			return lowered;
		}
		if (firstWeightLayers.contains(layer.name()) && policy.firstLayer().isPresent()) {
			return Optional.of(new LayerSplit(policy.firstLayer().get(),
					new SplitSource(SplitSource.Kind.LAYER_POLICY, "first")));
		}
		if (lastWeightLayers.contains(layer.name()) && policy.lastLayer().isPresent()) {
			return Optional.of(new LayerSplit(policy.lastLayer().get(),
					new SplitSource(SplitSource.Kind.LAYER_POLICY, "last")));
		}
		return lowered;
	}

	private void checkRounding(Layer layer, RowAllocation allocation) {
		RowAllocation.Part moved = allocation.largestDeviation();
		if (moved.deviation().abs().compareTo(BigDecimal.ONE) <= 0) {
			return;
		}
		String perScheme = allocation.parts().stream().map(p -> p.rows() + " " + p.share().scheme())
				.collect(Collectors.joining(", "));
		problems.add(Problem.warning(layer.name(), ProblemCode.SPLIT_ROUNDING, Focus.LAYER,
				"'" + layer.name() + "' has " + allocation.rows() + " rows: " + moved.share() + " asks for "
						+ moved.exact().toPlainString() + " and gets " + moved.rows() + " (moved by "
						+ moved.deviation().abs().toPlainString()
						+ " rows), so that every scheme of the split keeps at least one row; rows per scheme: "
						+ perScheme));
	}

	public Network network() {
		return network;
	}

	/** Errors and warnings, in the order found: graph, cycles, shapes, unused layers, splits. */
	public List<Problem> problems() {
		return Collections.unmodifiableList(problems);
	}

	/** The first error found, if any: a network with one is not one to estimate, generate or run. */
	public Optional<Problem> firstError() {
		return problems.stream().filter(p -> p.severity() == Severity.ERROR).findFirst();
	}

	/** The shape of an input or a layer's result, where known. */
	public Optional<TensorShape> shapeOf(String tensor) {
		return Optional.ofNullable(shapes.get(tensor));
	}

	public Optional<LayerFacts> facts(String layer) {
		return Optional.ofNullable(facts.get(layer));
	}

	/** The layers whose shapes are known, in topological order. */
	public List<LayerFacts> layers() {
		return List.copyOf(facts.values());
	}

	public long totalMacs() {
		return totalMacs;
	}

	public long totalParameters() {
		return totalParameters;
	}

	public Set<String> firstWeightLayers() {
		return Collections.unmodifiableSet(firstWeightLayers);
	}

	public Set<String> lastWeightLayers() {
		return Collections.unmodifiableSet(lastWeightLayers);
	}
}
