package org.ilmpq.core.integer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.RowPlan;
import org.ilmpq.core.quant.Scheme;

/**
 * A network as an integer-only accelerator runs it, in no particular language: the steps in the order they run,
 * the tensors they store (as integer codes), and each stored tensor's code format. The generated script trains
 * with exactly these tensors quantized and exports their integers, {@code ReferenceInference} runs the steps in
 * Java, the HLS generator writes one function per step, and the hardware model costs the weight steps with
 * these formats: one layout, four readers.
 * <p>
 * What becomes a step:
 * <ul>
 * <li>every conv and linear layer that reaches the output is a {@link WeightStep}, with the layers fused into its
 * output stage: the BatchNorm folded into its rows ({@link BatchNormFolding}), a residual add of two operands whose
 * other operand is already stored, and one ReLU or ReLU6, each only where it alone reads the chain so far, and
 * never past the network's output;</li>
 * <li>pooling, global pooling, the adds and activations not fused, and concat are steps of their own;</li>
 * <li>flatten and a folded BatchNorm compute nothing: their result is their input's stored tensor (an alias).</li>
 * </ul>
 * Code formats, one per <em>quantization group</em>: a max or average pool writes its input's codes at its
 * input's scale, and a concat's operands and result share one scale, so that pooling is arithmetic on codes and
 * concat a copy. A group is 8 bits wide when it holds a network input (image pixels) or the network's output, the
 * spec's activation width otherwise; unsigned when every tensor in it has passed a ReLU, signed otherwise (e.g. a
 * tensor before a residual add).
 */
public final class IntegerNetwork {

	/** Bits of a network input (image pixels) and of the network's output. */
	public static final int INPUT_BITS = 8;

	/** How a stored tensor comes about, which says what the script's quantizer does at it. */
	public enum Production {
		/** A network input: quantized by the host; its quantizer observes the input's range. */
		INPUT,
		/** Requantized from integers (a weight layer, an add, an activation): its quantizer observes the range. */
		REQUANTIZED,
		/** An average of codes, rounded back to its input's codes: quantized at its group's scale, not observed. */
		ROUNDED,
		/** Codes copied or compared (max pooling, concat): on its group's grid already. */
		COPIED
	}

	/**
	 * A tensor the accelerator writes to memory as codes.
	 *
	 * @param group the name of the quantization group's first tensor: tensors of one group share format and scale
	 */
	public record StoredTensor(String name, TensorShape shape, String group, Production production) {
	}

	/**
	 * One step of the accelerator: a function of the HLS design, named after the spec's layer it computes. What runs
	 * a program (the Java reference, the export calibration, the firmware, the script's integer pipeline) takes every
	 * kind of step through {@link Visitor}: a new kind fails compilation in each until it says how to compute it.
	 */
	public sealed interface Step permits WeightStep, PoolStep, GlobalPoolStep, AddStep, ConcatStep, ActivationStep {
		/** Calls the method of {@code visitor} for this kind of step. */
		<R> R accept(Visitor<R> visitor);

		/** One method per kind of step. */
		interface Visitor<R> {
			R weight(WeightStep step);

			R pool(PoolStep step);

			R globalPool(GlobalPoolStep step);

			R add(AddStep step);

			R concat(ConcatStep step);

			R activation(ActivationStep step);
		}

		/** The spec's layer the step computes (a fused chain is named after its weight layer). */
		String name();

		/** The stored tensors it reads. */
		List<String> inputs();

		/** The stored tensor it writes. */
		String output();
	}

	/**
	 * A conv or linear layer with what is fused into its output stage.
	 *
	 * @param input the stored tensor it reads; for a linear layer behind a flatten, the map before the flatten
	 * @param inputShape the shape the layer reads: {@code input}'s, or its flattened vector
	 * @param batchNorm the BatchNorm folded into its rows
	 * @param residual the stored tensor a fused add adds
	 * @param activation the fused ReLU or ReLU6
	 * @param fused the layers fused into it, in order (BatchNorm, add, activation)
	 * @param plan its rows per scheme; empty for a layer without a split, which an integer accelerator cannot run
	 */
	public record WeightStep(LayerFacts facts, String input, TensorShape inputShape, Optional<String> batchNorm,
			Optional<String> residual, Optional<Operation.Activation.Function> activation, List<String> fused,
			String output, Optional<RowPlan> plan) implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.weight(this);
		}

		@Override
		public String name() {
			return facts.name();
		}

		@Override
		public List<String> inputs() {
			return residual.isPresent() ? List.of(input, residual.get()) : List.of(input);
		}

		public Operation operation() {
			return facts.layer().operation();
		}

		public boolean conv() {
			return operation() instanceof Operation.Conv2d;
		}
	}

	public record PoolStep(String name, Operation.Pool2d pool, String input, String output) implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.pool(this);
		}

		@Override
		public List<String> inputs() {
			return List.of(input);
		}
	}

	public record GlobalPoolStep(String name, String input, String output) implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.globalPool(this);
		}

		@Override
		public List<String> inputs() {
			return List.of(input);
		}
	}

	/** An add not fused into a weight layer: its operands' codes, each rescaled to the output's step, summed. */
	public record AddStep(String name, List<String> operands, String output) implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.add(this);
		}

		@Override
		public List<String> inputs() {
			return operands;
		}
	}

	public record ConcatStep(String name, List<String> operands, String output) implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.concat(this);
		}

		@Override
		public List<String> inputs() {
			return operands;
		}
	}

	/** A ReLU or ReLU6 not fused into a weight layer: its input's codes rescaled to its own unsigned codes. */
	public record ActivationStep(String name, Operation.Activation.Function function, String input, String output)
			implements Step {
		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.activation(this);
		}

		@Override
		public List<String> inputs() {
			return List.of(input);
		}
	}

	private final NetworkAnalysis analysis;
	private final int activationBits;
	private final List<LayerFacts> layers;
	private final List<Step> steps = new ArrayList<>();
	private final Map<String, StoredTensor> tensors = new LinkedHashMap<>();
	/** Spec tensor (layer or input) to the stored tensor holding its values. */
	private final Map<String, String> storedAs = new HashMap<>();
	private final Map<String, List<Layer>> readers = new HashMap<>();
	private final Map<String, Step> producers = new HashMap<>();
	private final Map<String, String> foldedInto = new HashMap<>();
	private final Map<String, CodeFormat> formats = new HashMap<>();
	private final List<String> limitations = new ArrayList<>();
	private final String output;

	private IntegerNetwork(NetworkAnalysis analysis, int activationBits) {
		this.analysis = analysis;
		this.activationBits = activationBits;
		this.layers = reachingOutput(analysis);
		for (LayerFacts facts : layers) {
			facts.layer().inputs().forEach(input -> readers.computeIfAbsent(input, k -> new ArrayList<>())
					.add(facts.layer()));
		}
		Set<String> quantized = new HashSet<>();
		layers.stream().filter(f -> f.layer().operation().hasWeights()).forEach(f -> quantized.add(f.name()));
		BatchNormFolding.of(analysis.network(), quantized).forEach((norm, layer) -> foldedInto.put(layer, norm));
		for (InputTensor input : analysis.network().inputs()) {
			store(input.name(), input.name(), input.shape(), Production.INPUT);
		}
		for (LayerFacts facts : layers) {
			if (!storedAs.containsKey(facts.name())) {
				schedule(facts);
			}
		}
		this.output = storedAs.get(analysis.network().output());
		assignFormats();
	}

	/**
	 * The integer program of an analysed network without errors.
	 *
	 * @param activationBits the spec's activation width
	 * @throws IllegalArgumentException when the analysis has errors or the network names no output
	 */
	public static IntegerNetwork of(NetworkAnalysis analysis, int activationBits) {
		analysis.firstError().ifPresent(p -> {
			throw new IllegalArgumentException("network " + analysis.network().name() + " has errors: " + p.message());
		});
		if (analysis.network().output().isEmpty()) {
			throw new IllegalArgumentException("network " + analysis.network().name() + " has no output");
		}
		return new IntegerNetwork(analysis, activationBits);
	}

	private static List<LayerFacts> reachingOutput(NetworkAnalysis analysis) {
		Map<String, Layer> byName = new HashMap<>();
		analysis.network().layers().forEach(layer -> byName.put(layer.name(), layer));
		Set<String> reaching = new HashSet<>();
		Deque<String> pending = new ArrayDeque<>(List.of(analysis.network().output()));
		while (!pending.isEmpty()) {
			String tensor = pending.pop();
			if (reaching.add(tensor) && byName.containsKey(tensor)) {
				pending.addAll(byName.get(tensor).inputs());
			}
		}
		return analysis.layers().stream().filter(facts -> reaching.contains(facts.name())).toList();
	}

	private void schedule(LayerFacts facts) {
		Layer layer = facts.layer();
		String name = facts.name();
		Step step = layer.operation().accept(new Operation.Visitor<Step>() {
			@Override
			public Step conv2d(Operation.Conv2d conv) {
				return weightStep(facts);
			}

			@Override
			public Step linear(Operation.Linear linear) {
				return weightStep(facts);
			}

			@Override
			public Step batchNorm(Operation.BatchNorm batchNorm) {
				// one folded into the weight layer before it is scheduled with that layer; this one follows none alone
				limitations.add("batchnorm " + name + " does not alone follow a conv or linear layer, so it cannot be "
						+ "folded into one");
				return sameCodesAsInput();
			}

			@Override
			public Step activation(Operation.Activation activation) {
				return new ActivationStep(name, activation.function(), input(), output(Production.REQUANTIZED));
			}

			@Override
			public Step pool2d(Operation.Pool2d pool) {
				return new PoolStep(name, pool, input(),
						output(pool.kind() == Operation.Pool2d.Kind.MAX ? Production.COPIED : Production.ROUNDED));
			}

			@Override
			public Step globalAvgPool(Operation.GlobalAvgPool pool) {
				return new GlobalPoolStep(name, input(), output(Production.ROUNDED));
			}

			@Override
			public Step flatten(Operation.Flatten flatten) {
				// the codes of a C x H x W map, read in order, are the vector: nothing to compute or store
				return sameCodesAsInput();
			}

			@Override
			public Step add(Operation.Add add) {
				return new AddStep(name, inputs(), output(Production.REQUANTIZED));
			}

			@Override
			public Step concat(Operation.Concat concat) {
				return new ConcatStep(name, inputs(), output(Production.COPIED));
			}

			@Override
			public Step unresolved(Operation.Unresolved unresolved) {
				// an analysis with errors is refused before scheduling
				throw new IllegalStateException("layer " + name + " did not lower: " + unresolved.reason());
			}

			private String input() {
				return stored(layer.inputs().get(0));
			}

			private List<String> inputs() {
				return layer.inputs().stream().map(IntegerNetwork.this::stored).toList();
			}

			/** The tensor the layer's result is stored as, made by {@code production}. */
			private String output(Production production) {
				return store(name, name, facts.output(), production);
			}

			/** No step: the layer's result is its input's codes as they are. */
			private Step sameCodesAsInput() {
				storedAs.put(name, input());
				return null;
			}
		});
		if (step != null) {
			add(step);
		}
	}

	private WeightStep weightStep(LayerFacts facts) {
		Layer layer = facts.layer();
		String input = stored(layer.inputs().get(0));
		TensorShape inputShape = analysis.shapeOf(layer.inputs().get(0)).orElseThrow();
		Optional<String> batchNorm = Optional.empty();
		Optional<String> residual = Optional.empty();
		Optional<Operation.Activation.Function> activation = Optional.empty();
		List<String> fused = new ArrayList<>();
		String last = facts.name();
		String networkOutput = analysis.network().output();
		while (activation.isEmpty() && !last.equals(networkOutput) && readers.getOrDefault(last, List.of()).size() == 1) {
			Layer next = readers.get(last).get(0);
			Operation operation = next.operation();
			if (operation instanceof Operation.BatchNorm && next.name().equals(foldedInto.get(facts.name()))) {
				batchNorm = Optional.of(next.name());
			} else if (operation instanceof Operation.Add && residual.isEmpty() && next.inputs().size() == 2) {
				String other = next.inputs().get(next.inputs().get(0).equals(last) ? 1 : 0);
				if (other.equals(last) || !storedAs.containsKey(other)) {
					break;
				}
				residual = Optional.of(storedAs.get(other));
			} else if (operation instanceof Operation.Activation a) {
				activation = Optional.of(a.function());
			} else {
				break;
			}
			fused.add(next.name());
			last = next.name();
		}
		Optional<RowPlan> plan = facts.allocation().map(RowPlan::of);
		if (plan.isEmpty()) {
			limitations.add("layer " + facts.name() + " has no split: an integer accelerator runs quantized layers only");
		}
		String out = store(last, last, facts.output(), Production.REQUANTIZED);
		storedAs.put(facts.name(), out);
		fused.forEach(name -> storedAs.put(name, out));
		return new WeightStep(facts, input, inputShape, batchNorm, residual, activation, fused, out, plan);
	}

	private void add(Step step) {
		steps.add(step);
		producers.put(step.output(), step);
	}

	private String store(String name, String group, TensorShape shape, Production production) {
		tensors.put(name, new StoredTensor(name, shape, group, production));
		storedAs.put(name, name);
		return name;
	}

	private String stored(String tensor) {
		String name = storedAs.get(tensor);
		if (name == null) {
			throw new IllegalStateException("tensor " + tensor + " is read before it is computed");
		}
		return name;
	}

	/**
	 * Groups (pools with their inputs, concats with their operands), then each group's format: 8 bits with a
	 * network input or the output in it, and signed unless every tensor in it is known not to be negative. An add
	 * is unsigned when its operands are, which a later concat can change: repeated until nothing changes.
	 */
	private void assignFormats() {
		Map<String, String> parent = new HashMap<>();
		tensors.keySet().forEach(name -> parent.put(name, name));
		for (Step step : steps) {
			if (step instanceof PoolStep || step instanceof GlobalPoolStep || step instanceof ConcatStep) {
				for (String input : step.inputs()) {
					union(parent, input, step.output());
				}
			}
		}
		Map<String, List<StoredTensor>> members = new LinkedHashMap<>();
		for (StoredTensor tensor : tensors.values()) {
			members.computeIfAbsent(find(parent, tensor.name()), k -> new ArrayList<>()).add(tensor);
		}
		Map<String, String> groupOf = new HashMap<>();
		for (List<StoredTensor> group : members.values()) {
			String first = group.get(0).name();
			group.forEach(tensor -> groupOf.put(tensor.name(), first));
		}
		tensors.replaceAll((name, t) -> new StoredTensor(name, t.shape(), groupOf.get(name), t.production()));

		Set<String> signedGroups = new HashSet<>();
		boolean changed = true;
		while (changed) {
			changed = false;
			for (StoredTensor tensor : tensors.values()) {
				if (!signedGroups.contains(tensor.group()) && maybeNegative(tensor, signedGroups)) {
					signedGroups.add(tensor.group());
					changed = true;
				}
			}
		}
		int wide = Math.max(INPUT_BITS, activationBits);
		for (StoredTensor tensor : tensors.values()) {
			List<StoredTensor> group = members.get(find(parent, tensor.name()));
			boolean edge = group.stream().anyMatch(t -> t.production() == Production.INPUT || t.name().equals(output));
			formats.put(tensor.name(), new CodeFormat(edge ? wide : activationBits, signedGroups.contains(tensor.group())));
		}
	}

	private boolean maybeNegative(StoredTensor tensor, Set<String> signedGroups) {
		if (tensor.production() == Production.INPUT) {
			return true;
		}
		Step producer = producer(tensor.name());
		if (producer instanceof WeightStep weight) {
			return weight.activation().isEmpty();
		}
		if (producer instanceof AddStep add) {
			return add.operands().stream().anyMatch(operand -> signedGroups.contains(tensors.get(operand).group()));
		}
		return false; // activations; pools and concats take their group's sign
	}

	private static String find(Map<String, String> parent, String name) {
		String root = name;
		while (!parent.get(root).equals(root)) {
			root = parent.get(root);
		}
		parent.put(name, root);
		return root;
	}

	private static void union(Map<String, String> parent, String a, String b) {
		String ra = find(parent, a);
		String rb = find(parent, b);
		if (!ra.equals(rb)) {
			parent.put(rb, ra);
		}
	}

	public NetworkAnalysis analysis() {
		return analysis;
	}

	public String name() {
		return analysis.network().name();
	}

	/** The steps in the order the accelerator runs them. */
	public List<Step> steps() {
		return Collections.unmodifiableList(steps);
	}

	public List<WeightStep> weightSteps() {
		return steps.stream().filter(WeightStep.class::isInstance).map(WeightStep.class::cast).toList();
	}

	/** The stored tensors in the order they are written, the network inputs first. */
	public List<StoredTensor> tensors() {
		return List.copyOf(tensors.values());
	}

	public StoredTensor tensor(String stored) {
		StoredTensor tensor = tensors.get(stored);
		if (tensor == null) {
			throw new IllegalArgumentException("no stored tensor " + stored);
		}
		return tensor;
	}

	/** The stored tensor that holds a spec tensor's values (itself, or the tensor a flatten or fusion aliases). */
	public String storedAs(String specTensor) {
		return stored(specTensor);
	}

	public CodeFormat format(String stored) {
		CodeFormat format = formats.get(stored);
		if (format == null) {
			throw new IllegalArgumentException("no stored tensor " + stored);
		}
		return format;
	}

	/** The stored tensor of the network's output. */
	public String output() {
		return output;
	}

	public List<String> inputs() {
		return analysis.network().inputs().stream().map(InputTensor::name).toList();
	}

	/** The layers that reach the output, in an order they can run in. */
	public List<LayerFacts> layers() {
		return layers;
	}

	/** The step that writes a stored tensor; empty for a network input. */
	public Optional<Step> producerOf(String stored) {
		return Optional.ofNullable(producer(stored));
	}

	private Step producer(String stored) {
		return producers.get(stored);
	}

	/** The BatchNorm folded into a weight layer, by the rule of {@link BatchNormFolding}. */
	public Optional<String> batchNormOf(String weightLayer) {
		return Optional.ofNullable(foldedInto.get(weightLayer));
	}

	/**
	 * Why an integer accelerator cannot run this network, if it cannot: a weight layer without a split, a
	 * BatchNorm that cannot be folded. The script trains such a network in float all the same; its export and the
	 * HLS design refuse it.
	 */
	public List<String> limitations() {
		return Collections.unmodifiableList(limitations);
	}

	/** The rows per scheme of every weight layer, for the export's checks. */
	public Map<String, Map<Scheme, Long>> rowsPerScheme() {
		Map<String, Map<Scheme, Long>> rows = new LinkedHashMap<>();
		for (WeightStep step : weightSteps()) {
			step.plan().ifPresent(plan -> {
				Map<Scheme, Long> perScheme = new LinkedHashMap<>();
				for (int i = 0; i < plan.schemes().size(); i++) {
					perScheme.merge(plan.schemes().get(i), plan.rows().get(i), Long::sum);
				}
				rows.put(step.name(), perScheme);
			});
		}
		return rows;
	}
}
