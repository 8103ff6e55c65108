package org.ilmpq.dsl.lowering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Network;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.LayerSplit;
import org.ilmpq.core.quant.QuantizationPolicy;
import org.ilmpq.core.quant.SplitSource;
import org.ilmpq.dsl.ilmpq.Argument;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.BlockMember;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.MergeOperation;
import org.ilmpq.dsl.ilmpq.Output;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamArgument;
import org.ilmpq.dsl.ilmpq.ParamKind;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;
import org.ilmpq.dsl.ilmpq.Symbol;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.ilmpq.TensorArgument;
import org.ilmpq.dsl.ilmpq.UnaryOperation;
import org.ilmpq.dsl.validation.IssueCodes;

import com.google.inject.Inject;

/**
 * The one place that knows both the grammar and the core model: lowers a parsed spec to a {@link NetworkSpec}.
 * Block instances are expanded (layer {@code c1} of instance {@code l1_0} becomes {@code l1_0.c1}); each layer
 * gets the split the lexical precedence gives it (its own, then the nearest enclosing block instance's, then
 * the nearest enclosing block's, then the network's; see {@link SplitSource}); parameters and integer
 * expressions are evaluated.
 * <p>
 * Lowering never fails on a broken spec: what cannot be lowered becomes an {@link Operation.Unresolved} layer,
 * so that the analysis still checks everything else (and says nothing about what validation has reported).
 * The work is linear in the size of the expanded network; recursion is bounded by the nesting depth of blocks,
 * never by the length of the network.
 */
public class SpecLowering {

	/**
	 * The most layers a network may expand to (docs/language.md, "Limits"): far beyond any published network (a
	 * ResNet-1001 has about 3,000 with its batch norms and activations), low enough that a file of a few lines
	 * whose blocks each call the one before twice (2^40 layers at 40 levels) is refused at once, not expanded until
	 * the memory runs out.
	 */
	public static final long MAX_LAYERS = 50_000;

	@Inject
	private DeviceLibrary devices;

	public LoweredSpec lower(Spec spec) {
		return new Run(spec).lower();
	}

	/** The state of one lowering. */
	private final class Run {
		final Spec spec;
		final QuantizationPolicy policy;
		final List<org.ilmpq.core.model.Layer> layers = new ArrayList<>();
		final Map<String, EObject> origins = new HashMap<>();
		final Set<String> expanded = new HashSet<>();
		final Set<Input> loweredInputs = new HashSet<>();
		final Map<Layer, String> instanceResults = new IdentityHashMap<>();
		final List<LoweringProblem> problems = new ArrayList<>();
		final List<EObject> refused = new ArrayList<>();
		final Map<Block, Long> blockSizes = new IdentityHashMap<>();
		/** Layers of the network body and of the instances expanded in it so far. */
		long admitted;
		/** Block instances expanded so far, at every depth. */
		long expansions;
		/** Whether the expansion stopped at {@link #MAX_LAYERS} (said once, on the instance that passed it). */
		boolean capped;

		/**
		 * Whether the network may take more: fewer than {@link #MAX_LAYERS} layers and instances so far. The estimate
		 * of an instance's size ({@link #size}) counts a recursive call once, as its expansion does, but a block
		 * reached along two paths (a file broken into duplicate blocks) may expand further than it counted: this is
		 * the bound itself, on the work actually done.
		 */
		boolean mayGrow(Layer instance) {
			if (layers.size() < MAX_LAYERS && expansions < MAX_LAYERS) {
				return true;
			}
			if (!capped) {
				capped = true;
				problems.add(new LoweringProblem(instance, IssueCodes.EXPANSION_LIMIT, "block instance '"
						+ instance.getName() + "' makes the network more than " + String.format(Locale.ROOT, "%,d",
								MAX_LAYERS) + " layers, the most a network may have: the layers past them are not checked"));
			}
			return false;
		}

		Run(Spec spec) {
			this.spec = spec;
			this.policy = QuantizationLowering.policy(first(spec, Quantization.class), refused::add);
		}

		/**
		 * The layers an instance of {@code block} expands to, at most a little over {@link #MAX_LAYERS}: worked out
		 * from the block's calls, never by expanding them. A recursive call (reported by validation) counts as one.
		 */
		long size(Block block, Set<Block> calling) {
			Long known = blockSizes.get(block);
			if (known != null) {
				return known;
			}
			calling.add(block);
			long size = 0;
			for (Layer layer : members(block.getMembers())) {
				Block callee = callee(layer);
				size += callee == null || calling.contains(callee) ? 1 : size(callee, calling);
				if (size > MAX_LAYERS) {
					size = MAX_LAYERS + 1; // enough to know it is too many; and no overflow
					break;
				}
			}
			calling.remove(block);
			blockSizes.put(block, size);
			return size;
		}

		/**
		 * How {@code block} comes to its size: the block it calls for the most layers and how often, then that
		 * block's, a few steps down ("b20 calls b19 2 times, b19 calls b18 2 times, ...").
		 */
		String chain(Block block) {
			List<String> steps = new ArrayList<>();
			Block current = block;
			Set<Block> seen = new HashSet<>();
			while (current != null && seen.add(current) && steps.size() < 4) {
				Map<Block, Integer> calls = new LinkedHashMap<>();
				for (Layer layer : members(current.getMembers())) {
					Block callee = callee(layer);
					if (callee != null) {
						calls.merge(callee, 1, Integer::sum);
					}
				}
				Block largest = null;
				for (Block callee : calls.keySet()) {
					if (largest == null || size(callee, new HashSet<>()) * calls.get(callee) > size(largest,
							new HashSet<>()) * calls.get(largest)) {
						largest = callee;
					}
				}
				if (largest == null) {
					break;
				}
				steps.add(current.getName() + " calls " + largest.getName() + " " + calls.get(largest)
						+ (calls.get(largest) == 1 ? " time" : " times"));
				current = largest;
			}
			return String.join(", ", steps) + (current != null && steps.size() == 4 ? ", ..." : "");
		}

		/** A split as written, or empty (and refused) where the core does not take it. */
		Optional<org.ilmpq.core.quant.Split> split(org.ilmpq.dsl.ilmpq.Split split, EObject owner) {
			Optional<org.ilmpq.core.quant.Split> lowered = QuantizationLowering.split(split);
			if (lowered.isEmpty()) {
				refused.add(owner);
			}
			return lowered;
		}

		LoweredSpec lower() {
			Scope network = new Scope(this);
			admitted = members(spec.getElements()).stream().filter(l -> !(l.getOperation() instanceof BlockCall)).count();
			List<InputTensor> inputs = new ArrayList<>();
			Set<String> inputNames = new HashSet<>();
			for (SpecElement element : spec.getElements()) {
				if (element instanceof Input input && input.getName() != null && inputNames.add(input.getName())) {
					inputShape(input, network).ifPresent(shape -> {
						inputs.add(new InputTensor(input.getName(), shape));
						origins.put(input.getName(), input);
						loweredInputs.add(input);
					});
				}
			}
			network.emit(members(spec.getElements()), inputNames);
			String output = first(spec, Output.class).map(o -> network.nameOf(o.getTensor())).orElse("");
			Network lowered = new Network(spec.getName() == null ? "" : spec.getName(), inputs, layers,
					output == null ? "" : output);
			NetworkSpec networkSpec = new NetworkSpec(lowered, policy,
					TargetLowering.target(first(spec, Target.class), devices, refused::add));
			return new LoweredSpec(networkSpec, origins, expanded, instanceResults, problems, refused);
		}

		private Optional<TensorShape> inputShape(Input input, Scope network) {
			if (input.getShape() == null) {
				return Optional.empty();
			}
			List<Long> dims = network.operations.values(input.getShape());
			if (dims == null) {
				return Optional.empty();
			}
			return switch (dims.size()) {
			case 1 -> Optional.of(TensorShape.flat(dims.get(0)));
			case 3 -> Optional.of(new TensorShape(dims.get(0), dims.get(1), dims.get(2)));
			default -> Optional.empty(); // reported by validation
			};
		}
	}

	/**
	 * One body being expanded: the network's, or a block's for one instance. Knows the lowered name of every
	 * symbol its layers can refer to, the values of its parameters, and where to report problems: on the
	 * element itself in the network body, on the network-body instance for anything inside a block.
	 */
	private final class Scope {
		final Run run;
		final Scope outer;
		final String prefix;
		final Layer instance;
		final Block block;
		final Map<Param, Long> ints;
		final Map<Param, Symbol> tensorArguments;
		final Layer origin;
		final Set<Block> enclosingBlocks;
		final IntExpressions expressions;
		final OperationLowering operations;
		final Map<Layer, Optional<Scope>> children = new IdentityHashMap<>();
		final Set<Layer> resolving = new HashSet<>();
		Optional<LayerSplit> inheritedSplit;

		/** The network body. */
		Scope(Run run) {
			this(run, null, "", null, null, Map.of(), Map.of(), null, Set.of());
		}

		private Scope(Run run, Scope outer, String prefix, Layer instance, Block block, Map<Param, Long> ints,
				Map<Param, Symbol> tensorArguments, Layer origin, Set<Block> enclosingBlocks) {
			this.run = run;
			this.outer = outer;
			this.prefix = prefix;
			this.instance = instance;
			this.block = block;
			this.ints = ints;
			this.tensorArguments = tensorArguments;
			this.origin = origin;
			this.enclosingBlocks = enclosingBlocks;
			this.expressions = new IntExpressions(ints, this::report);
			this.operations = new OperationLowering(expressions);
		}

		/** An expression of this body that does not evaluate. */
		void report(EObject element, String message) {
			report(element, IssueCodes.EXPRESSION, message);
		}

		void report(EObject element, String code, String message) {
			if (origin == null) {
				run.problems.add(new LoweringProblem(element, code, message));
			} else {
				run.problems.add(new LoweringProblem(origin, code,
						"in block instance '" + origin.getName() + "' (" + describeInstancePath() + "): " + message));
			}
		}

		private String describeInstancePath() {
			return block.getName() + (outer != null && outer.block != null ? " in " + outer.describeInstancePath() : "");
		}

		/** The lowered name of what {@code symbol} stands for here; null where it cannot be known. */
		String nameOf(Symbol symbol) {
			if (symbol == null || symbol.eIsProxy()) {
				return null;
			}
			if (symbol instanceof Input input) {
				// an input whose shape is wrong is not lowered: what reads it is left alone
				return run.loweredInputs.contains(input) ? input.getName() : null;
			}
			if (symbol instanceof Param param) {
				Symbol argument = tensorArguments.get(param);
				return argument == null || outer == null ? null : outer.nameOf(argument);
			}
			Layer layer = (Layer) symbol;
			if (layer.getOperation() instanceof BlockCall) {
				Optional<Scope> child = child(layer);
				if (child.isEmpty()) {
					return prefix + layer.getName(); // lowered as one unresolved layer
				}
				if (!resolving.add(layer)) {
					report(layer, IssueCodes.SELF_DEPENDENT_INSTANCE,
							"the result of block instance '" + layer.getName() + "' depends on itself");
					return null;
				}
				try {
					return child.get().resultName();
				} finally {
					resolving.remove(layer);
				}
			}
			return prefix + layer.getName();
		}

		Set<String> paramNames() {
			Set<String> names = new HashSet<>();
			block.getParams().forEach(p -> names.add(p.getName()));
			return names;
		}

		/** The lowered name of this instance's result: what the block's output stands for. */
		String resultName() {
			for (BlockMember member : block.getMembers()) {
				if (member instanceof Output output) {
					return nameOf(output.getTensor());
				}
			}
			return null;
		}

		/** The expansion of a block instance of this body; empty where the instance cannot be expanded. */
		Optional<Scope> child(Layer layer) {
			return children.computeIfAbsent(layer, this::expand);
		}

		private Optional<Scope> expand(Layer layer) {
			BlockCall call = (BlockCall) layer.getOperation();
			Block callee = call.getBlock();
			if (callee == null || callee.eIsProxy() || enclosingBlocks.contains(callee)) {
				return Optional.empty(); // unresolved, or recursive: reported by validation
			}
			if (!run.mayGrow(origin != null ? origin : layer)) {
				return Optional.empty();
			}
			run.expansions++;
			if (outer == null) {
				// the network's instances take their whole expansion from the budget, nested ones included
				long size = run.size(callee, new HashSet<>());
				if (run.admitted + size > MAX_LAYERS) {
					report(layer, IssueCodes.EXPANSION_LIMIT, "block instance '" + layer.getName() + "' would make the "
							+ "network more than " + String.format(Locale.ROOT, "%,d", MAX_LAYERS)
							+ " layers, the most a network may have (block " + callee.getName() + " expands to "
							+ (size > MAX_LAYERS ? "more than that" : String.format(Locale.ROOT, "%,d", size))
							+ (run.chain(callee).isEmpty() ? "" : ": " + run.chain(callee)) + ")");
					return Optional.empty();
				}
				run.admitted += size;
			}
			Map<Param, Symbol> tensors = new HashMap<>();
			Map<Param, Long> values = new LinkedHashMap<>();
			List<Param> tensorParams = callee.getParams().stream().filter(p -> p.getKind() == ParamKind.TENSOR).toList();
			int position = 0;
			for (Argument argument : call.getArguments()) {
				if (argument instanceof TensorArgument tensor) {
					if (position >= tensorParams.size()) {
						return Optional.empty(); // too many tensors: reported by validation
					}
					tensors.put(tensorParams.get(position++), tensor.getTensor());
				} else if (argument instanceof ParamArgument named && named.getParam() != null
						&& !named.getParam().eIsProxy()) {
					OptionalLong value = expressions.evaluate(named.getValue());
					if (value.isEmpty()) {
						return Optional.empty();
					}
					values.putIfAbsent(named.getParam(), value.getAsLong());
				}
			}
			if (position != tensorParams.size()) {
				return Optional.empty();
			}
			Layer childOrigin = origin != null ? origin : layer;
			// defaults may refer to the parameters before them: int stride = 1, int out = width * 4
			IntExpressions defaults = new IntExpressions(values, (element, message) -> run.problems.add(new LoweringProblem(
					childOrigin, IssueCodes.EXPRESSION, "in block instance '" + childOrigin.getName()
							+ "': the defaults of block " + callee.getName() + ": " + message)));
			for (Param param : callee.getParams()) {
				if (param.getKind() == ParamKind.INTEGER && !values.containsKey(param)) {
					if (param.getDefault() == null) {
						return Optional.empty(); // missing argument: reported by validation
					}
					OptionalLong value = defaults.evaluate(param.getDefault());
					if (value.isEmpty()) {
						return Optional.empty();
					}
					values.put(param, value.getAsLong());
				}
			}
			Set<Block> blocks = new HashSet<>(enclosingBlocks);
			blocks.add(callee);
			return Optional.of(new Scope(run, this, prefix + layer.getName() + ".", layer, callee, values, tensors,
					childOrigin, blocks));
		}

		/**
		 * Lowers the layers of this body, expanding block instances in place. A layer whose name is taken (by an
		 * input, a parameter or an earlier layer) is left out: validation reports it, references go to the first.
		 */
		void emit(List<Layer> body, Set<String> taken) {
			Set<String> names = new HashSet<>(taken);
			for (Layer layer : body) {
				if (!run.mayGrow(origin != null ? origin : layer)) {
					return;
				}
				if (layer.getName() == null || !names.add(layer.getName())) {
					continue; // a syntax error, or a duplicate name: reported by validation
				}
				String name = prefix + layer.getName();
				if (layer.getOperation() instanceof BlockCall) {
					Optional<Scope> child = child(layer);
					if (child.isPresent()) {
						child.get().emit(members(child.get().block.getMembers()), child.get().paramNames());
						if (origin == null) {
							String result = child.get().resultName();
							if (result != null) {
								run.instanceResults.put(layer, result);
							}
						}
						continue;
					}
				}
				add(layer, name);
			}
		}

		private void add(Layer layer, String name) {
			Operation operation = layer.getOperation() instanceof BlockCall ? new Operation.Unresolved("block instance")
					: operations.lower(layer.getOperation());
			List<String> inputs = new ArrayList<>();
			for (Symbol symbol : inputsOf(layer.getOperation())) {
				String input = nameOf(symbol);
				if (input == null) {
					operation = new Operation.Unresolved("unresolved input");
					break;
				}
				inputs.add(input);
			}
			org.ilmpq.core.model.Layer lowered = new org.ilmpq.core.model.Layer(name, operation, inputs);
			if (operation.hasWeights()) {
				Optional<LayerSplit> split = layer.getSplit() != null
						? run.split(layer.getSplit(), layer).map(s -> new LayerSplit(s, SplitSource.LAYER))
						: inheritedSplit();
				if (split.isPresent()) {
					lowered = lowered.withSplit(split.get());
				}
			}
			run.layers.add(lowered);
			run.origins.put(name, origin != null ? origin : layer);
			if (origin != null) {
				run.expanded.add(name);
			}
		}

		/** The split of the nearest enclosing instance or block that has one; the network's default otherwise. */
		Optional<LayerSplit> inheritedSplit() {
			if (inheritedSplit == null) {
				if (instance == null) {
					inheritedSplit = run.policy.defaultSplit().map(s -> new LayerSplit(s, SplitSource.NETWORK));
				} else if (instance.getSplit() != null) {
					inheritedSplit = run.split(instance.getSplit(), instance).map(s -> new LayerSplit(s,
							new SplitSource(SplitSource.Kind.BLOCK_INSTANCE, prefix.substring(0, prefix.length() - 1))));
				} else if (block.getSplit() != null) {
					inheritedSplit = run.split(block.getSplit().getSplit(), block.getSplit())
							.map(s -> new LayerSplit(s, new SplitSource(SplitSource.Kind.BLOCK, block.getName())));
				} else {
					inheritedSplit = outer.inheritedSplit();
				}
			}
			return inheritedSplit;
		}
	}

	/**
	 * What an operation reads; a missing input (a syntax error) is a null element. A block instance that could
	 * not be expanded reads its tensor arguments, so that the graph around it stays connected.
	 */
	private static List<Symbol> inputsOf(org.ilmpq.dsl.ilmpq.Operation operation) {
		if (operation instanceof UnaryOperation unary) {
			return Collections.singletonList(unary.getInput());
		}
		if (operation instanceof MergeOperation merge) {
			return merge.getInputs();
		}
		if (operation instanceof BlockCall call) {
			List<Symbol> tensors = new ArrayList<>();
			for (Argument argument : call.getArguments()) {
				if (argument instanceof TensorArgument tensor) {
					tensors.add(tensor.getTensor());
				}
			}
			return tensors;
		}
		return List.of();
	}

	/** The block a layer instantiates; null for an operation or an unresolved call. */
	private static Block callee(Layer layer) {
		return layer.getOperation() instanceof BlockCall call && call.getBlock() != null && !call.getBlock().eIsProxy()
				? call.getBlock()
				: null;
	}

	private static List<Layer> members(List<? extends EObject> elements) {
		List<Layer> layers = new ArrayList<>();
		for (EObject element : elements) {
			if (element instanceof Layer layer) {
				layers.add(layer);
			}
		}
		return layers;
	}

	private static <T> Optional<T> first(Spec spec, Class<T> type) {
		for (SpecElement element : spec.getElements()) {
			if (type.isInstance(element)) {
				return Optional.of(type.cast(element));
			}
		}
		return Optional.empty();
	}
}
