package org.ilmpq.core.hardware;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.LayerSplit;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SplitSource;

/**
 * A network as the accelerator sees it: its weight layers in execution order, each with the work fused into it.
 * Batch normalisation, activations, pooling, flatten and concat are fused into the output stage of the weight
 * layer before them (FILM-QNN's design); a residual {@code add} is fused too, but reads its other operand from
 * DRAM, which is counted in that layer's traffic.
 *
 * @param activations the activation scheme (fixed-point, unsigned after ReLU)
 */
public record Workload(String network, List<LayerWork> layers, Scheme activations) {

	/** Bits of a network input: 8-bit image pixels. */
	public static final int INPUT_BITS = 8;

	public Workload {
		layers = List.copyOf(layers);
	}

	/**
	 * The weight layers of an analysed network; a network with errors (a weight layer without known shape or
	 * split) has none of those layers, so estimate only error-free networks.
	 */
	public static Workload of(NetworkAnalysis analysis, Scheme activations) {
		Set<String> inputs = analysis.network().inputs().stream().map(InputTensor::name).collect(Collectors.toSet());
		Map<String, Layer> byName = new HashMap<>();
		analysis.network().layers().forEach(layer -> byName.put(layer.name(), layer));
		Map<String, Integer> order = new HashMap<>();
		analysis.layers().forEach(facts -> order.put(facts.name(), order.size()));
		Map<String, Long> fusedReads = fusedReads(analysis, byName, order);
		List<LayerWork> work = new ArrayList<>();
		for (LayerFacts facts : analysis.layers()) {
			Layer layer = facts.layer();
			Optional<LayerSplit> split = facts.split();
			if (!layer.operation().hasWeights() || split.isEmpty() || facts.allocation().isEmpty()) {
				continue;
			}
			String input = layer.inputs().get(0);
			TensorShape in = analysis.shapeOf(input).orElseThrow();
			TensorShape out = facts.output();
			int inputBits = inputs.contains(source(input, byName)) ? INPUT_BITS : activations.bits();
			long read = fusedReads.getOrDefault(layer.name(), 0L);
			if (layer.operation() instanceof Operation.Conv2d conv) {
				long groups = conv.grouping().groupsFor(in.channels());
				work.add(new LayerWork(layer.name(), facts.rows(), groups, in.channels() / groups, in.height(),
						in.width(), out.height(), out.width(), conv.kernel().height(), conv.kernel().width(),
						conv.stride().height(), conv.stride().width(), inputBits, read, split.get().split(),
						LayerWork.rowsPerScheme(facts.allocation().get())));
			} else {
				work.add(new LayerWork(layer.name(), facts.rows(), 1, in.channels(), 1, 1, 1, 1, 1, 1, 1, 1, inputBits,
						read, split.get().split(), LayerWork.rowsPerScheme(facts.allocation().get())));
			}
		}
		return new Workload(analysis.network().name(), work, activations);
	}

	/** The same network where every layer that takes the network's default split takes {@code split} instead. */
	public Workload withDefaultSplit(org.ilmpq.core.quant.Split split, Set<String> defaultSplitLayers) {
		return new Workload(network, layers.stream()
				.map(layer -> defaultSplitLayers.contains(layer.name()) ? layer.withSplit(split) : layer).toList(),
				activations);
	}

	/** The layers whose split is the network's default, which an optimiser of the default split may change. */
	public static Set<String> defaultSplitLayers(NetworkAnalysis analysis) {
		return analysis.layers().stream()
				.filter(f -> f.split().map(s -> s.source().kind() == SplitSource.Kind.NETWORK).orElse(false))
				.map(LayerFacts::name).collect(Collectors.toSet());
	}

	public long macs() {
		return layers.stream().mapToLong(LayerWork::macs).sum();
	}

	/** Every scheme some layer uses: the engines a design for this workload needs. */
	public List<Scheme> schemes() {
		return layers.stream().flatMap(l -> l.rowsPerScheme().entrySet().stream()).filter(e -> e.getValue() > 0)
				.map(Map.Entry::getKey).distinct().toList();
	}

	/**
	 * For each {@code add}, the values of its other operands, charged to the weight layer that produces an operand
	 * (through fused layers) last in execution order: the add can only run in that layer's output stage, when
	 * every operand exists, and reads the others from DRAM. The order of the operands in the spec does not matter.
	 */
	private static Map<String, Long> fusedReads(NetworkAnalysis analysis, Map<String, Layer> byName,
			Map<String, Integer> order) {
		Map<String, Long> reads = new HashMap<>();
		for (Layer layer : analysis.network().layers()) {
			if (!(layer.operation() instanceof Operation.Add)) {
				continue;
			}
			String producer = null;
			String producerInput = null;
			for (String input : layer.inputs()) {
				String weightLayer = producingWeightLayer(input, byName);
				if (weightLayer != null && (producer == null || order.get(weightLayer) > order.get(producer))) {
					producer = weightLayer;
					producerInput = input;
				}
			}
			if (producer == null) {
				continue;
			}
			long others = 0;
			boolean skipped = false;
			for (String input : layer.inputs()) {
				if (!skipped && input.equals(producerInput)) {
					skipped = true; // the producer's own operand, once (add(x, x) reads x once more)
				} else {
					others += analysis.shapeOf(input).map(TensorShape::elements).orElse(0L);
				}
			}
			reads.merge(producer, others, Long::sum);
		}
		return reads;
	}

	/** The weight layer a tensor comes from through single-input fused layers, or null. */
	private static String producingWeightLayer(String tensor, Map<String, Layer> byName) {
		String source = source(tensor, byName);
		return source != null && byName.containsKey(source) ? source : null;
	}

	/**
	 * Where a tensor comes from through single-input layers without weights (activations, pooling): the name of a
	 * weight layer or of a network input; null when a layer of several inputs (add, concat) is in the way.
	 */
	private static String source(String tensor, Map<String, Layer> byName) {
		String current = tensor;
		for (int steps = 0; steps <= byName.size(); steps++) {
			Layer layer = byName.get(current);
			if (layer == null || layer.operation().hasWeights()) {
				return current;
			}
			if (layer.inputs().size() != 1) {
				return null;
			}
			current = layer.inputs().get(0);
		}
		return null;
	}
}
