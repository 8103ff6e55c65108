package org.ilmpq.core.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SplitSource;

/**
 * A network as the accelerator's engines see it: the weight steps of its integer program ({@link IntegerNetwork})
 * in execution order, each with the code formats of what it reads and writes. The program fuses a folded
 * BatchNorm, a residual add and a ReLU into the output stage of the weight layer before them; a fused add reads
 * its other operand from DRAM, which is counted in that layer's traffic.
 *
 * @param activations the activation scheme (fixed-point, unsigned after ReLU)
 */
public record Workload(String network, List<LayerWork> layers, Scheme activations) {

	/** Bits of a network input: 8-bit image pixels. */
	public static final int INPUT_BITS = IntegerNetwork.INPUT_BITS;

	public Workload {
		layers = List.copyOf(layers);
	}

	/**
	 * The weight layers of an analysed network without errors that reach its output, as its integer program runs
	 * them; a weight layer without a split is left out (nothing to put on the engines).
	 */
	public static Workload of(NetworkAnalysis analysis, Scheme activations) {
		return of(IntegerNetwork.of(analysis, activations.bits()), activations);
	}

	public static Workload of(IntegerNetwork program, Scheme activations) {
		List<LayerWork> work = new ArrayList<>();
		for (IntegerNetwork.WeightStep step : program.weightSteps()) {
			LayerFacts facts = step.facts();
			if (step.plan().isEmpty() || facts.split().isEmpty()) {
				continue;
			}
			Size2d one = Size2d.square(1);
			Size2d kernel = one, stride = one, padding = Size2d.square(0), dilation = one;
			long groups = 1;
			if (step.operation() instanceof Operation.Conv2d conv) {
				kernel = conv.kernel();
				stride = conv.stride();
				padding = conv.padding();
				dilation = conv.dilation();
				groups = conv.grouping().groupsFor(step.inputShape().channels());
			}
			work.add(new LayerWork(step.name(), facts.rows(), groups, step.conv() ? step.inputShape()
					: TensorShape.flat(step.inputShape().elements()), facts.output(), kernel, stride,
					padding, dilation, program.format(step.input()), program.format(step.output()),
					step.residual().map(program::format), facts.split().get().split(),
					LayerWork.rowsPerScheme(facts.allocation().get())));
		}
		return new Workload(program.name(), work, activations);
	}

	/**
	 * The same network with the scheme each row of a layer took, by layer name (an export's): the layers named cost
	 * what their rows take ({@link LayerWork#withRowSchemes}).
	 */
	public Workload withRowSchemes(Map<String, List<Scheme>> schemes) {
		return new Workload(network, layers.stream()
				.map(layer -> schemes.containsKey(layer.name()) ? layer.withRowSchemes(schemes.get(layer.name())) : layer)
				.toList(), activations);
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
}
