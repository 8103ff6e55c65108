package org.ilmpq.generator.pytorch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.export.BatchNormFolding;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.RowPlan;

/**
 * A network as the generated PyTorch module lays it out: Python names for its tensors, the tensor rank PyTorch
 * gives each (4 for feature maps, 2 for vectors), and what the quantized layers need to know about their
 * neighbours: whether the input is unsigned (it passed a ReLU), how wide it is, and which BatchNorm follows.
 */
public final class ScriptNetwork {

	private final NetworkSpec spec;
	private final NetworkAnalysis analysis;
	private final PythonNames names = new PythonNames();
	private final Map<String, Layer> byName = new HashMap<>();
	private final Map<String, Integer> ranks;
	private final List<LayerFacts> layers;
	/** Quantized layer to the BatchNorm folded into it. */
	private final Map<String, String> foldedInto = new HashMap<>();
	private final Map<String, Integer> inputBits = new HashMap<>();

	private ScriptNetwork(NetworkSpec spec, NetworkAnalysis analysis) {
		this.spec = spec;
		this.analysis = analysis;
		for (Layer layer : spec.network().layers()) {
			byName.put(layer.name(), layer);
		}
		layers = reachingOutput();
		// names in the order a reader meets them, so that a clash suffixes the later one
		spec.network().inputs().forEach(input -> names.of(input.name()));
		layers.forEach(facts -> names.of(facts.name()));
		ranks = ranks();
		Set<String> quantized = quantizedLayers().stream().map(LayerFacts::name).collect(Collectors.toSet());
		BatchNormFolding.of(spec.network(), quantized).forEach((norm, layer) -> foldedInto.put(layer, norm));
		Workload.of(analysis, spec.quantization().activations()).layers()
				.forEach(work -> inputBits.put(work.name(), work.inputBits()));
	}

	/**
	 * Throws IllegalArgumentException when the analysis found errors or the network has no output: generate only
	 * from a spec that validates.
	 */
	public static ScriptNetwork of(NetworkSpec spec, NetworkAnalysis analysis) {
		analysis.firstError().ifPresent(p -> {
			throw new IllegalArgumentException("network " + spec.network().name() + " has errors: " + p.message());
		});
		if (spec.network().output().isEmpty()) {
			throw new IllegalArgumentException("network " + spec.network().name() + " has no output");
		}
		if (spec.network().inputs().size() != 1) {
			throw new IllegalArgumentException("the PyTorch script trains networks of one input; network "
					+ spec.network().name() + " has " + spec.network().inputs().size());
		}
		return new ScriptNetwork(spec, analysis);
	}

	public NetworkSpec spec() {
		return spec;
	}

	public String networkName() {
		return spec.network().name();
	}

	/** The file name of the network module: {@code <identifier>.py} (see {@link PythonNames#moduleName}). */
	public String moduleFile() {
		return PythonNames.moduleName(networkName()) + ".py";
	}

	public String className() {
		return PythonNames.className(networkName());
	}

	/** The Python identifier of an input or a layer's result, which is also the attribute of its module. */
	public String name(String tensor) {
		return names.of(tensor);
	}

	public List<InputTensor> inputs() {
		return spec.network().inputs();
	}

	/**
	 * The layers that reach the output, in an order PyTorch can run them. A layer that does not (validation warns
	 * about it) would only be computed and thrown away.
	 */
	public List<LayerFacts> layers() {
		return layers;
	}

	private List<LayerFacts> reachingOutput() {
		Set<String> reaching = new HashSet<>();
		Deque<String> pending = new ArrayDeque<>(List.of(output()));
		while (!pending.isEmpty()) {
			String tensor = pending.pop();
			if (reaching.add(tensor) && byName.containsKey(tensor)) {
				pending.addAll(byName.get(tensor).inputs());
			}
		}
		return analysis.layers().stream().filter(facts -> reaching.contains(facts.name())).toList();
	}

	public String output() {
		return spec.network().output();
	}

	/** The layers that hold a module: conv, linear, batchnorm. */
	public List<LayerFacts> moduleLayers() {
		return layers().stream().filter(f -> f.layer().operation().hasWeights()
				|| f.layer().operation() instanceof Operation.BatchNorm).toList();
	}

	/** The weight layers the spec quantizes: those with a split. */
	public List<LayerFacts> quantizedLayers() {
		return layers().stream().filter(f -> f.allocation().isPresent()).toList();
	}

	public TensorShape shape(String tensor) {
		return analysis.shapeOf(tensor).orElseThrow();
	}

	public TensorShape inputShape(LayerFacts facts) {
		return shape(facts.layer().inputs().get(0));
	}

	/** Features a linear layer reads, or channels a conv reads. */
	public long inputFeatures(LayerFacts facts) {
		TensorShape in = inputShape(facts);
		return facts.layer().operation() instanceof Operation.Linear ? in.elements() : in.channels();
	}

	/**
	 * 2 for a tensor PyTorch holds as (batch, features), 4 for (batch, channels, height, width): a flat network
	 * input, flatten and linear give vectors; global pooling keeps its 1 x 1 map, as nn.AdaptiveAvgPool2d does; an
	 * add or concat of a vector and such a map is a vector (the template flattens the map).
	 */
	public int rank(String tensor) {
		return ranks.get(tensor);
	}

	private Map<String, Integer> ranks() {
		Map<String, Integer> result = new HashMap<>();
		for (InputTensor input : spec.network().inputs()) {
			result.put(input.name(), input.shape().isFlat() ? 2 : 4);
		}
		for (LayerFacts facts : layers) {
			Operation operation = facts.layer().operation();
			int rank;
			if (operation instanceof Operation.Flatten || operation instanceof Operation.Linear) {
				rank = 2;
			} else if (operation instanceof Operation.Conv2d || operation instanceof Operation.Pool2d
					|| operation instanceof Operation.GlobalAvgPool) {
				rank = 4;
			} else {
				rank = facts.layer().inputs().stream().mapToInt(result::get).min().orElse(4);
			}
			result.put(facts.name(), rank);
		}
		return result;
	}

	/** The BatchNorm that export folds into a quantized layer ({@link BatchNormFolding}), if any. */
	public Optional<String> batchNormAfter(LayerFacts facts) {
		return Optional.ofNullable(foldedInto.get(facts.name()));
	}

	/**
	 * The BatchNorms that no quantized layer folds: those after an add, a concat, an activation, or a layer that
	 * another layer reads too. The export format has no record for them, so export refuses such a network.
	 */
	public List<String> unfoldedBatchNorms() {
		return layers().stream().filter(f -> f.layer().operation() instanceof Operation.BatchNorm)
				.map(LayerFacts::name).filter(name -> !foldedInto.containsValue(name)).toList();
	}

	/**
	 * Whether a tensor holds no negative value: a ReLU's result, and what pooling, flattening, concatenating or
	 * adding such tensors gives. Its activations are quantized unsigned, which keeps one more bit of resolution.
	 */
	public boolean isUnsigned(String tensor) {
		Layer layer = byName.get(tensor);
		if (layer == null) {
			return false;
		}
		Operation operation = layer.operation();
		if (operation instanceof Operation.Activation) {
			return true;
		}
		if (operation instanceof Operation.Pool2d || operation instanceof Operation.GlobalAvgPool
				|| operation instanceof Operation.Flatten || operation instanceof Operation.Add
				|| operation instanceof Operation.Concat) {
			return layer.inputs().stream().allMatch(this::isUnsigned);
		}
		return false;
	}

	/**
	 * The width of a quantized layer's input, as the hardware model has it ({@link Workload}): 8 bits where the layer
	 * reads a network input through layers without weights (image pixels), the spec's activation width otherwise.
	 */
	public int inputBits(LayerFacts facts) {
		return inputBits.get(facts.name());
	}

	public RowPlan plan(LayerFacts facts) {
		return RowPlan.of(facts.allocation().orElseThrow());
	}
}
