package org.ilmpq.core.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Network;

/**
 * The dataflow graph of a network: nodes are its inputs and layers, edges go from the tensors a layer reads to
 * the layer. Every algorithm here is iterative, so a chain of any length is fine for the stack.
 * <p>
 * Node numbering: inputs first, in spec order, then layers in spec order. Of two nodes with one name the first
 * is kept and the second reported; a reference to an unknown name is reported and leaves that edge out.
 */
final class NetworkGraph {

	private final Network network;
	private final int inputCount;
	private final String[] names;
	private final int[][] predecessors;
	private final int[][] successors;
	private final int outputNode;
	private final List<Problem> problems = new ArrayList<>();

	NetworkGraph(Network network) {
		this.network = network;
		List<InputTensor> inputs = network.inputs();
		List<Layer> layers = network.layers();
		inputCount = inputs.size();
		int n = inputCount + layers.size();
		names = new String[n];
		Map<String, Integer> index = new HashMap<>(n * 2);
		for (int i = 0; i < n; i++) {
			names[i] = i < inputCount ? inputs.get(i).name() : layers.get(i - inputCount).name();
			Integer previous = index.putIfAbsent(names[i], i);
			if (previous != null) {
				problems.add(Problem.error(names[i], ProblemCode.DUPLICATE_NAME, Focus.LAYER,
						"'" + names[i] + "' is defined twice"));
			}
		}
		predecessors = new int[n][];
		int[] outDegree = new int[n];
		for (int i = 0; i < inputCount; i++) {
			predecessors[i] = new int[0];
		}
		for (int l = 0; l < layers.size(); l++) {
			Layer layer = layers.get(l);
			int node = inputCount + l;
			List<String> refs = layer.inputs();
			int[] preds = new int[refs.size()];
			int count = 0;
			for (int r = 0; r < refs.size(); r++) {
				Integer pred = index.get(refs.get(r));
				if (pred == null) {
					problems.add(Problem.error(layer.name(), ProblemCode.UNKNOWN_TENSOR, Focus.input(r),
							"'" + refs.get(r) + "' is neither an input nor a layer"));
				} else {
					preds[count++] = pred;
					outDegree[pred]++;
				}
			}
			predecessors[node] = count == preds.length ? preds : Arrays.copyOf(preds, count);
		}
		successors = new int[n][];
		for (int i = 0; i < n; i++) {
			successors[i] = new int[outDegree[i]];
		}
		int[] fill = new int[n];
		for (int i = 0; i < n; i++) {
			for (int pred : predecessors[i]) {
				successors[pred][fill[pred]++] = i;
			}
		}
		Integer output = index.get(network.output());
		outputNode = output == null ? -1 : output;
		if (output == null && !network.output().isEmpty()) {
			problems.add(Problem.error(network.name(), ProblemCode.UNKNOWN_TENSOR, Focus.LAYER,
					"the output '" + network.output() + "' is neither an input nor a layer"));
		}
	}

	int size() {
		return names.length;
	}

	int inputCount() {
		return inputCount;
	}

	boolean isInput(int node) {
		return node < inputCount;
	}

	Layer layer(int node) {
		return network.layers().get(node - inputCount);
	}

	String name(int node) {
		return names[node];
	}

	int[] predecessors(int node) {
		return predecessors[node];
	}

	int outputNode() {
		return outputNode;
	}

	/** Problems met while building the graph: duplicate names, unknown references. */
	List<Problem> problems() {
		return Collections.unmodifiableList(problems);
	}

	/**
	 * Kahn's algorithm. Returns the nodes that do not depend on a cycle, in an order where every node comes after
	 * the nodes it reads; ties are broken by spec order, so the order is deterministic.
	 */
	int[] topologicalOrder() {
		int n = size();
		int[] inDegree = new int[n];
		for (int i = 0; i < n; i++) {
			inDegree[i] = predecessors[i].length;
		}
		int[] order = new int[n];
		int head = 0;
		int tail = 0;
		for (int i = 0; i < n; i++) {
			if (inDegree[i] == 0) {
				order[tail++] = i;
			}
		}
		while (head < tail) {
			int node = order[head++];
			for (int succ : successors[node]) {
				if (--inDegree[succ] == 0) {
					order[tail++] = succ;
				}
			}
		}
		return Arrays.copyOf(order, tail);
	}

	/**
	 * The cycles among the nodes that {@link #topologicalOrder()} left out, each as its node list in reading
	 * order (a reads b reads a: [a, b]). Found by an iterative depth-first search over predecessors; each node is
	 * reported in at most one cycle.
	 */
	List<int[]> cycles(int[] topologicalOrder) {
		int n = size();
		BitSet ordered = new BitSet(n);
		for (int node : topologicalOrder) {
			ordered.set(node);
		}
		// 0 = unvisited, 1 = on the current path, 2 = done
		byte[] state = new byte[n];
		int[] pathIndex = new int[n];
		List<int[]> cycles = new ArrayList<>();
		int[] path = new int[n];
		int[] nextPred = new int[n];
		for (int start = ordered.nextClearBit(0); start < n; start = ordered.nextClearBit(start + 1)) {
			if (state[start] != 0) {
				continue;
			}
			int depth = 0;
			path[depth] = start;
			nextPred[depth] = 0;
			state[start] = 1;
			pathIndex[start] = 0;
			while (depth >= 0) {
				int node = path[depth];
				int[] preds = predecessors[node];
				if (nextPred[depth] < preds.length) {
					int pred = preds[nextPred[depth]++];
					if (ordered.get(pred)) {
						continue;
					}
					if (state[pred] == 0) {
						depth++;
						path[depth] = pred;
						nextPred[depth] = 0;
						state[pred] = 1;
						pathIndex[pred] = depth;
					} else if (state[pred] == 1) {
						cycles.add(Arrays.copyOfRange(path, pathIndex[pred], depth + 1));
					}
				} else {
					state[node] = 2;
					depth--;
				}
			}
		}
		return cycles;
	}

	/** The nodes whose value reaches the output: the output and everything it reads, transitively. */
	BitSet contributing() {
		BitSet reached = new BitSet(size());
		if (outputNode < 0) {
			return reached;
		}
		Deque<Integer> work = new ArrayDeque<>();
		reached.set(outputNode);
		work.push(outputNode);
		while (!work.isEmpty()) {
			for (int pred : predecessors[work.pop()]) {
				if (!reached.get(pred)) {
					reached.set(pred);
					work.push(pred);
				}
			}
		}
		return reached;
	}
}
