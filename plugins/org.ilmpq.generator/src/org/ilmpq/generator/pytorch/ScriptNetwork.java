package org.ilmpq.generator.pytorch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.generator.GenerationRefusal;

/**
 * A network as the generated PyTorch module lays it out: Python names for its tensors and the tensor rank PyTorch
 * gives each (4 for feature maps, 2 for vectors). What it quantizes and how (which tensors are stored as codes, in
 * which format, which BatchNorm folds into which layer) is the integer program's ({@link IntegerNetwork}), the
 * same the HLS design and the Java reference run.
 */
public final class ScriptNetwork {

	private final NetworkSpec spec;
	private final NetworkAnalysis analysis;
	private final IntegerNetwork program;
	private final PythonNames names = new PythonNames();
	private final Map<String, Integer> ranks;
	private final Map<String, IntegerNetwork.StoredTensor> stored = new HashMap<>();

	private ScriptNetwork(NetworkSpec spec, NetworkAnalysis analysis) {
		this.spec = spec;
		this.analysis = analysis;
		this.program = IntegerNetwork.of(analysis, spec.quantization().activations().bits());
		// names in the order a reader meets them, so that a clash suffixes the later one
		spec.network().inputs().forEach(input -> names.of(input.name()));
		program.layers().forEach(facts -> names.of(facts.name()));
		ranks = ranks();
		program.tensors().forEach(tensor -> stored.put(tensor.name(), tensor));
	}

	/**
	 * Throws IllegalArgumentException when the analysis found errors or the network has no output (generate only
	 * from a spec that validates), and {@link GenerationRefusal} for a network of more than one input.
	 */
	public static ScriptNetwork of(NetworkSpec spec, NetworkAnalysis analysis) {
		analysis.firstError().ifPresent(p -> {
			throw new IllegalArgumentException("network " + spec.network().name() + " has errors: " + p.message());
		});
		if (spec.network().output().isEmpty()) {
			throw new IllegalArgumentException("network " + spec.network().name() + " has no output");
		}
		if (spec.network().inputs().size() != 1) {
			throw new GenerationRefusal("the PyTorch script trains networks of one input; network "
					+ spec.network().name() + " has " + spec.network().inputs().size());
		}
		return new ScriptNetwork(spec, analysis);
	}

	public NetworkSpec spec() {
		return spec;
	}

	/** The network as the integer accelerator runs it: its stored tensors and steps. */
	public IntegerNetwork program() {
		return program;
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
		return program.layers();
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
		for (LayerFacts facts : layers()) {
			int inputRank = facts.layer().inputs().stream().mapToInt(result::get).min().orElse(4);
			result.put(facts.name(), facts.layer().operation().accept(new Operation.Visitor<Integer>() {
				@Override
				public Integer conv2d(Operation.Conv2d conv) {
					return 4;
				}

				@Override
				public Integer linear(Operation.Linear linear) {
					return 2;
				}

				@Override
				public Integer batchNorm(Operation.BatchNorm batchNorm) {
					return inputRank;
				}

				@Override
				public Integer activation(Operation.Activation activation) {
					return inputRank;
				}

				@Override
				public Integer pool2d(Operation.Pool2d pool) {
					return 4;
				}

				@Override
				public Integer globalAvgPool(Operation.GlobalAvgPool pool) {
					return 4;
				}

				@Override
				public Integer flatten(Operation.Flatten flatten) {
					return 2;
				}

				@Override
				public Integer add(Operation.Add add) {
					return inputRank;
				}

				@Override
				public Integer concat(Operation.Concat concat) {
					return inputRank;
				}

				@Override
				public Integer unresolved(Operation.Unresolved unresolved) {
					throw new IllegalStateException("layer " + facts.name() + " did not lower: " + unresolved.reason());
				}
			}));
		}
		return result;
	}

	/** The BatchNorm that export folds into a quantized layer, if any. */
	public Optional<String> batchNormAfter(LayerFacts facts) {
		return program.batchNormOf(facts.name());
	}

	public RowPlan plan(LayerFacts facts) {
		return RowPlan.of(facts.allocation().orElseThrow());
	}

	/** The stored tensor of this name (an input, or the last layer of a step), if the accelerator stores one. */
	public Optional<IntegerNetwork.StoredTensor> stored(String tensor) {
		return Optional.ofNullable(stored.get(tensor));
	}
}
