package org.ilmpq.generator.hls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DepthwiseUnit;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.EngineWidths;
import org.ilmpq.core.hardware.FeatureMapLayout;
import org.ilmpq.core.hardware.LatencyModel;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.MemoryBandwidth;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.generator.GenerationRefusal;

/**
 * A network as the HLS design runs it on one accelerator: the engines the hardware model sized, the steps of the
 * network's integer program ({@link IntegerNetwork}) in the order the top function calls them, where each stored
 * tensor lies in DRAM as packed codes, and where each step's weights and integer parameters lie
 * ({@link FeatureMapLayout}'s rules, which the hardware model counts the traffic with).
 */
public final class HlsNetwork {

	/** Where a tensor lives: one of the top function's three feature-map ports. */
	public enum Port {
		INPUT("network_input"), OUTPUT("network_output"), SCRATCH("scratch");

		private final String parameter;

		Port(String parameter) {
			this.parameter = parameter;
		}

		public String parameter() {
			return parameter;
		}
	}

	/**
	 * A stored tensor in DRAM: pixel by pixel, each pixel {@code wordsPerPixel} words of {@code codesPerWord} codes.
	 *
	 * @param index its place in the tensor table
	 * @param offset its first word in its port
	 */
	public record Tensor(int index, String name, String cppName, TensorShape shape, CodeFormat format, Port port,
			long offset, int codesPerWord, long wordsPerPixel, String producer) {
		public long words() {
			return shape.height() * shape.width() * wordsPerPixel;
		}

		/** The C++ pointer expression of the tensor in the top function. */
		public String pointer() {
			return offset == 0 ? port.parameter() : port.parameter() + " + " + offset;
		}

		/** log2 of the codes per word, a power of two. */
		public int codesPerWordLog2() {
			return Integer.numberOfTrailingZeros(codesPerWord);
		}
	}

	/**
	 * One engine of the design, with its integer widths derived from the layers it serves.
	 *
	 * @param packing products one DSP multiplier computes per cycle in the C++ (1 on LUT engines): weights of
	 *            {@code packing} rows side by side in the multiplier's A input, {@code fieldBits} apart, times one
	 *            lane, each product exact in its field; the hardware model's {@code DspPacking}
	 * @param fieldBits the distance between two packed rows' products: {@code DspPacking.fieldBits}
	 * @param packedBits the width of the packed weights, at most the slice's A input
	 * @param blockWords words of one kernel position's weights of a full row step: ROWS x {@code rowCodes} codes
	 * @param rowCodes codes of one row's weights of a kernel position: LANES, or on the depthwise unit its taps
	 */
	public record Engine(EngineConfig config, String prefix, int weightBits, int productBits, int sumBits,
			int accumulatorBits, long largestAccumulator, int packing, int fieldBits, int packedBits, int codesPerWord,
			long blockWords, int rowCodes) {
		public Scheme scheme() {
			return config.scheme();
		}

		public int rows() {
			return config.rows();
		}
	}

	/** A step of the schedule: a call in the top function, named after the spec's layer it computes. */
	public sealed interface Step permits WeightStep, PoolStep, GlobalPoolStep, RescaleStep, ConcatStep {
		IntegerNetwork.Step step();

		String function();

		Tensor output();
	}

	/**
	 * A conv or linear layer on the engines.
	 *
	 * @param input the stored tensor it reads; {@code inputShape} is how it reads it (a flattened map a vector of
	 *            its codes in pixel order: the host orders the weights so)
	 * @param groups the groups the engines run ({@code LayerWork.onLanes}: a depthwise layer's channels share the
	 *            lanes); {@code specGroups} the spec's
	 * @param columnsOnLanes 1, or the kernel's width when its columns share the lanes ({@code LayerWork.onLanes})
	 * @param laneGroups the lane groups of a group ({@code LayerWork.laneGroups})
	 * @param slices activation-wide slices of an input code: 1, or 2 for 8-bit pixels on 4-bit engines
	 * @param lanesPerValue 1, or 2 where a value takes a lane of each half of the lanes, a slice each
	 * @param passes passes over the pixels per kernel position: the slices over the lanes a value takes
	 * @param onDepthwiseUnit whether it runs on the depthwise unit ({@code LayerWork.onDepthwiseUnit}): a group's
	 *            rows there, none on the engines, and a pass per kernel row
	 * @param rowsPerEngine the spec's rows of each engine's scheme in this layer
	 * @param weightsOffset its first word in the weights port; {@code weightsSize} words, for the rows per group that
	 *            take the most words
	 * @param paramsOffset its first word in the params port: the layer's word, then per group its counts and rows
	 */
	public record WeightStep(IntegerNetwork.WeightStep step, String function, int index, Tensor input,
			TensorShape inputShape, Optional<Tensor> residual, Tensor output, long groups, long specGroups,
			long columnsOnLanes, long laneGroups, int slices, int lanesPerValue, int passes, boolean onDepthwiseUnit,
			int tile, long[] rowsPerEngine, long weightsOffset, long weightsSize, long paramsOffset, long paramsSize)
			implements Step {
		public boolean conv() {
			return step.conv();
		}

		public Optional<Operation.Conv2d> convolution() {
			return step.operation() instanceof Operation.Conv2d c ? Optional.of(c) : Optional.empty();
		}

		public long kernelArea() {
			return convolution().map(c -> c.kernel().height() * c.kernel().width()).orElse(1L);
		}

		/** Lanes of a group, with the kernel columns on the lanes too: (input channels / groups) x columns. */
		public long lanesPerGroup() {
			return inChannels() / groups * columnsOnLanes;
		}

		/**
		 * Kernel positions a lane group passes for: the kernel's, or its rows with the columns on the lanes or on the
		 * depthwise unit's taps.
		 */
		public long positionsPerLaneGroup() {
			return onDepthwiseUnit ? convolution().map(c -> c.kernel().height()).orElse(1L) : kernelArea() / columnsOnLanes;
		}

		public long outChannels() {
			return step.facts().rows();
		}

		public long inChannels() {
			return conv() ? inputShape.channels() : inputShape.elements();
		}

		/** Whether the layer reads a map as a vector: a linear layer behind a flatten. */
		public boolean flattens() {
			return !conv() && !input.shape().isFlat();
		}
	}

	public record PoolStep(IntegerNetwork.PoolStep step, String function, Tensor input, Tensor output)
			implements Step {
	}

	public record GlobalPoolStep(IntegerNetwork.GlobalPoolStep step, String function, Tensor input, Tensor output)
			implements Step {
	}

	/**
	 * An add or an activation of its own: each operand's codes times its multiplier, summed, rounded and clamped.
	 *
	 * @param paramsOffset its words in the params port: the clamp, then one multiplier per operand
	 */
	public record RescaleStep(IntegerNetwork.Step step, String function, String kind, int index, List<Tensor> operands,
			Tensor output, long paramsOffset) implements Step {
	}

	public record ConcatStep(IntegerNetwork.ConcatStep step, String function, List<Tensor> operands, Tensor output)
			implements Step {
	}

	/** The widest weights the engines take: a byte per code in the weight registers. */
	public static final int MAX_WEIGHT_BITS = 8;

	/** File names beside the network's own in firmware/ and tb/: a network of that name gets a suffix. */
	private static final Set<String> FILE_NAMES = Set.of("engines", "ilmpq_types", "ilmpq_layers", "ilmpq_export");

	private final IntegerNetwork program;
	private final Target target;
	private final AcceleratorConfig config;
	private final WorkloadBounds bounds;
	private final int wordBits;
	private final MemoryBandwidth bandwidth;
	private final int activationBits;
	private final String topFunction;
	private final List<Engine> engines;
	private final Optional<Engine> depthwiseUnit;
	private final long depthwiseLineWidth;
	private final Map<String, Tensor> tensors = new LinkedHashMap<>();
	private final List<Step> steps = new ArrayList<>();
	private final CppNames names = new CppNames();
	private final Map<String, LayerWork> work = new HashMap<>();
	private final Workload workload;
	private long scratchSize;
	private long weightsSize;
	private long paramsSize;

	private HlsNetwork(IntegerNetwork program, Target target, AcceleratorConfig config, Workload workload) {
		this.program = program;
		this.target = target;
		this.config = config;
		this.workload = workload;
		this.wordBits = target.part().device().memory().hpWidthBits();
		this.bandwidth = MemoryBandwidth.of(target.part(), target.clockMhz().doubleValue());
		this.activationBits = workload.activations().bits();
		this.bounds = WorkloadBounds.of(workload, config.tile(), wordBits);
		workload.layers().forEach(layer -> work.put(layer.name(), layer));
		String top = CppNames.sanitize(program.name());
		this.topFunction = FILE_NAMES.contains(top) ? top + "_network" : top;
		names.reserve(topFunction);
		for (IntegerNetwork.StoredTensor tensor : program.tensors()) {
			allocate(tensor);
		}
		for (IntegerNetwork.Step step : program.steps()) {
			schedule(step);
		}
		this.engines = sizedEngines();
		Optional<DepthwiseUnit> unitDesign = DepthwiseUnit.of(config, workload);
		this.depthwiseLineWidth = unitDesign.map(DepthwiseUnit::lineWidth).orElse(0L);
		this.depthwiseUnit = unitDesign.map(unit -> new Engine(
				new EngineConfig(Scheme.fixed(DepthwiseUnit.WEIGHT_BITS), config.lanes(), DspPacking.NONE), "dw",
				DepthwiseUnit.WEIGHT_BITS, unit.productBits(), unit.sumBits(), unit.accumulatorBits(),
				unit.largestAccumulator(), 1, 0, DepthwiseUnit.WEIGHT_BITS,
				CodeFormat.codesPerWord(DepthwiseUnit.WEIGHT_BITS, wordBits),
				DepthwiseUnit.blockWords(config.lanes(), wordBits), DepthwiseUnit.TAPS));
	}

	/**
	 * @param workload the hardware model's workload of the program, whose layers give the rows per scheme
	 * @throws GenerationRefusal for a network the design cannot run: one of the program's limitations, more than
	 *             one input, an output that is the input, weights wider than the engines take, a flattened map whose
	 *             pixels leave gaps in its words
	 */
	public static HlsNetwork of(IntegerNetwork program, Target target, AcceleratorConfig config, Workload workload) {
		if (!program.limitations().isEmpty()) {
			throw new GenerationRefusal(program.limitations().get(0));
		}
		if (program.inputs().size() != 1) {
			throw new GenerationRefusal("the accelerator's top function takes one input; network " + program.name()
					+ " has " + program.inputs().size());
		}
		if (program.output().equals(program.inputs().get(0))) {
			throw new GenerationRefusal("the output of network " + program.name() + " is its input");
		}
		for (EngineConfig engine : config.engines()) {
			if (engine.scheme().bits() > MAX_WEIGHT_BITS) {
				throw new GenerationRefusal("the engines take weights of at most " + MAX_WEIGHT_BITS + " bits, not "
						+ engine.scheme());
			}
		}
		int wordBits = target.part().device().memory().hpWidthBits();
		for (IntegerNetwork.Step step : program.steps()) {
			for (String input : step.inputs()) {
				TensorShape stored = program.tensor(input).shape();
				boolean flattened = step instanceof IntegerNetwork.WeightStep weight && !weight.conv() && !stored.isFlat();
				if (flattened && stored.channels() % program.format(input).codesPerWord(wordBits) != 0) {
					throw new GenerationRefusal("layer " + step.name() + " reads the " + stored + " map " + input
							+ " flattened, but the accelerator stores maps pixel by pixel, "
							+ program.format(input).codesPerWord(wordBits) + " codes a word, and " + stored.channels()
							+ " channels leave gaps: give the map a multiple of "
							+ program.format(input).codesPerWord(wordBits) + " channels, or pool it to 1 x 1 first");
				}
			}
		}
		return new HlsNetwork(program, target, config, workload);
	}

	private void allocate(IntegerNetwork.StoredTensor stored) {
		CodeFormat format = program.format(stored.name());
		Port port = program.inputs().contains(stored.name()) ? Port.INPUT
				: stored.name().equals(program.output()) ? Port.OUTPUT : Port.SCRATCH;
		int perWord = format.codesPerWord(wordBits);
		long wordsPerPixel = FeatureMapLayout.wordsPerPixel(stored.shape().channels(), format, wordBits);
		String producer = program.producerOf(stored.name()).map(IntegerNetwork.Step::name).orElse(stored.name());
		Tensor tensor = new Tensor(tensors.size(), stored.name(), CppNames.sanitize(stored.name()), stored.shape(), format,
				port, port == Port.SCRATCH ? scratchSize : 0, perWord, wordsPerPixel, producer);
		if (port == Port.SCRATCH) {
			scratchSize += tensor.words();
		}
		tensors.put(stored.name(), tensor);
	}

	private void schedule(IntegerNetwork.Step step) {
		String function = names.of(step.name());
		Tensor output = tensors.get(step.output());
		step.accept(new IntegerNetwork.Step.Visitor<Void>() {
			@Override
			public Void weight(IntegerNetwork.WeightStep weight) {
				weightStep(weight, function, output);
				return null;
			}

			@Override
			public Void pool(IntegerNetwork.PoolStep pool) {
				steps.add(new PoolStep(pool, function, tensors.get(pool.input()), output));
				return null;
			}

			@Override
			public Void globalPool(IntegerNetwork.GlobalPoolStep global) {
				steps.add(new GlobalPoolStep(global, function, tensors.get(global.input()), output));
				return null;
			}

			@Override
			public Void add(IntegerNetwork.AddStep add) {
				return rescale(add, "add");
			}

			@Override
			public Void concat(IntegerNetwork.ConcatStep concat) {
				steps.add(new ConcatStep(concat, function, concat.operands().stream().map(tensors::get).toList(),
						output));
				return null;
			}

			@Override
			public Void activation(IntegerNetwork.ActivationStep activation) {
				return rescale(activation, activation.function() == Operation.Activation.Function.RELU ? "relu" : "relu6");
			}

			/** An add or activation: a rescale of the runtime, with its multipliers at the next place in params. */
			private Void rescale(IntegerNetwork.Step step, String kind) {
				int index = (int) steps.stream().filter(RescaleStep.class::isInstance).count();
				steps.add(new RescaleStep(step, function, kind, index, step.inputs().stream().map(tensors::get).toList(),
						output, paramsSize));
				paramsSize += 1 + step.inputs().size();
				return null;
			}
		});
	}

	private void weightStep(IntegerNetwork.WeightStep step, String function, Tensor output) {
		LayerWork spec = work.get(step.name());
		LayerWork layer = spec.onLanes(config.lanes(), config.outputLanes(), activationBits());
		long groups = layer.groups();
		long perGroup = layer.rows() / groups;
		long laneGroups = layer.laneGroups(config.lanes());
		long[] rowsPerEngine = new long[config.engines().size()];
		// on the depthwise unit, a kernel row of each of a group's channels per pass
		long weights = layer.onDepthwiseUnit() ? groups * layer.kernelArea() * DepthwiseUnit.blockWords(perGroup, wordBits)
				: 0;
		for (int e = 0; e < config.engines().size(); e++) {
			EngineConfig engine = config.engines().get(e);
			long count = layer.rowsPerScheme().getOrDefault(engine.scheme(), 0L);
			rowsPerEngine[e] = count;
			// the most row steps the rows can take, however they spread over the groups (which rows take a scheme
			// is decided in training, per row)
			if (count > 0 && !layer.onDepthwiseUnit()) {
				weights += Math.min(groups, count) * laneGroups * layer.kernelArea() * FeatureMapLayout.stepBlockWords(
						Math.min(perGroup, count), engine.rows(), config.lanes(), engine.scheme().bits(), wordBits);
			}
		}
		long params = layer.parameterWords();
		int index = (int) steps.stream().filter(WeightStep.class::isInstance).count();
		steps.add(new WeightStep(step, function, index, tensors.get(step.input()), step.inputShape(),
				step.residual().map(tensors::get), output, groups, spec.groups(), layer.columnsOnLanes(), laneGroups,
				(int) layer.slices(activationBits()), layer.lanesPerValue(), (int) layer.passes(activationBits()),
				layer.onDepthwiseUnit(), LatencyModel.tile(layer, config, activationBits(), bandwidth), rowsPerEngine,
				weightsSize, weights, paramsSize, params));
		weightsSize += weights;
		paramsSize += params;
	}

	/** The engines with their integer widths: the hardware model's ({@link EngineWidths}), which it costs. */
	private List<Engine> sizedEngines() {
		List<Engine> result = new ArrayList<>();
		int activationBits = activationBits();
		for (EngineConfig engine : config.engines()) {
			Scheme scheme = engine.scheme();
			EngineWidths widths = EngineWidths.of(engine, workload, config.lanes());
			String prefix = scheme.kind().keyword() + scheme.bits();
			// the hardware model's packing, fields of its width: one number in the model and the C++
			int packing = engine.onDsp() ? engine.packing().productsPerDsp() : 1;
			int field = DspPacking.fieldBits(scheme.bits(), activationBits);
			int packedBits = (packing - 1) * field + scheme.bits();
			if (packing > 1 && (field < widths.productBits() || packedBits > target.part().device().dspType().aBits())) {
				throw new IllegalArgumentException(engine + ": " + packing + " products of " + widths.productBits()
						+ " bits do not fit side by side in the A input of a " + target.part().device().dspType());
			}
			int codesPerWord = CodeFormat.codesPerWord(scheme.bits(), wordBits);
			result.add(new Engine(engine, prefix, scheme.bits(), widths.productBits(), widths.sumBits(),
					widths.accumulatorBits(), widths.largestAccumulator(), packing, field, packedBits, codesPerWord,
					FeatureMapLayout.blockWords(engine.rows(), config.lanes(), scheme.bits(), wordBits), config.lanes()));
		}
		return result;
	}


	public IntegerNetwork program() {
		return program;
	}

	public String networkName() {
		return program.name();
	}

	public Target target() {
		return target;
	}

	public AcceleratorConfig config() {
		return config;
	}

	public WorkloadBounds bounds() {
		return bounds;
	}

	public String topFunction() {
		return topFunction;
	}

	public List<Engine> engines() {
		return engines;
	}

	/** The depthwise unit, where a layer runs on it ({@link DepthwiseUnit}). */
	public Optional<Engine> depthwiseUnit() {
		return depthwiseUnit;
	}

	/** Codes of each of the depthwise unit's line buffers: the widest input tile row of a layer on it (0: none). */
	public long depthwiseLineWidth() {
		return depthwiseLineWidth;
	}

	/**
	 * What takes a group's rows, in the order of the row counts and the weights of a group: the engines, then the
	 * depthwise unit where there is one.
	 */
	public List<Engine> units() {
		List<Engine> units = new ArrayList<>(engines);
		depthwiseUnit.ifPresent(units::add);
		return units;
	}

	public List<Step> steps() {
		return steps;
	}

	public List<WeightStep> weightSteps() {
		return steps.stream().filter(WeightStep.class::isInstance).map(WeightStep.class::cast).toList();
	}

	public List<RescaleStep> rescaleSteps() {
		return steps.stream().filter(RescaleStep.class::isInstance).map(RescaleStep.class::cast).toList();
	}

	public List<Tensor> tensors() {
		return List.copyOf(tensors.values());
	}

	public Tensor inputTensor() {
		return tensors.get(program.inputs().get(0));
	}

	public Tensor outputTensor() {
		return tensors.get(program.output());
	}

	/** The DRAM bandwidth the hardware model gives the design: what bounds the counted cycles of a layer. */
	public MemoryBandwidth bandwidth() {
		return MemoryBandwidth.of(target.part(), target.clockMhz().doubleValue());
	}

	/** Bits of a feature-map and weight word: the AXI HP ports' width. */
	public int wordBits() {
		return wordBits;
	}

	/** Whether any feature map lives between the layers (a network of one step has none). */
	public boolean usesScratch() {
		return scratchSize > 0;
	}

	/** Words of the scratch port; at least 1, as a C++ array cannot be empty. */
	public long scratchSize() {
		return Math.max(1, scratchSize);
	}

	public long weightsSize() {
		return Math.max(1, weightsSize);
	}

	public long paramsSize() {
		return Math.max(1, paramsSize);
	}

	/** The engines' activation width: the spec's. */
	public int activationBits() {
		return activationBits;
	}

	/** The widest input code of any weight layer, in bits. */
	public int maxInputBits() {
		return weightSteps().stream().mapToInt(s -> s.input().format().bits()).max().orElse(activationBits());
	}

	/** The largest number of passes of any weight layer. */
	public int maxPasses() {
		return weightSteps().stream().mapToInt(WeightStep::passes).max().orElse(1);
	}

	/** The most activation-wide slices of an input code of any weight layer. */
	public int maxSlices() {
		return weightSteps().stream().mapToInt(WeightStep::slices).max().orElse(1);
	}

	/** Whether a layer takes each value on two lanes, a slice on each half: the engines then weigh the halves. */
	public boolean halves() {
		return weightSteps().stream().anyMatch(s -> s.lanesPerValue() > 1);
	}

	/** The code widths of the design's stored tensors, ascending: the formats its functions are instantiated for. */
	public List<Integer> codeWidths() {
		TreeSet<Integer> widths = new TreeSet<>();
		tensors.values().forEach(t -> widths.add(t.format().bits()));
		return List.copyOf(widths);
	}

	/** The most codes a feature-map word holds: the banks of the tile buffers. */
	public int maxCodesPerWord() {
		return tensors.values().stream().mapToInt(Tensor::codesPerWord).max().orElse(1);
	}

	/** The output tile buffer: codes per bank of the largest layer, and the widest code with a sign bit. */
	public WorkloadBounds.TileBuffer outputTile() {
		return bounds.outputTile();
	}

	public WorkloadBounds.TileBuffer residualTile() {
		return bounds.residualTile();
	}

	/**
	 * Bits of the requantization sum z: the product, shifted left by the pre-shift, the bias and a residual term,
	 * and a carry.
	 */
	public int sumBits() {
		int product = widestAccumulatorBits() + IntegerArithmetic.MULTIPLIER_BITS + 1 - IntegerArithmetic.MIN_SHIFT;
		int residual = IntegerArithmetic.OPERAND_MULTIPLIER_BITS + 1 + maxCodeBits() + 1;
		return Math.max(product, Math.max(IntegerArithmetic.BIAS_BITS, residual)) + 2;
	}

	/** The widest accumulator of the engines: what the output stage, which they share, takes. */
	public int widestAccumulatorBits() {
		return units().stream().mapToInt(Engine::accumulatorBits).max().orElse(2);
	}

	/** The output stage's lanes ({@link AcceleratorConfig#outputLanes}). */
	public int outputLanes() {
		return config.outputLanes();
	}

	/** Bits of the largest shift, that of an input code's top slice: (slices - 1) x the activation width. */
	public int shiftBits() {
		int largest = (maxSlices() - 1) * activationBits();
		return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(largest));
	}

	/**
	 * The most cycles of a row step's loop: every position of the largest layer at its longest, then the output stage
	 * of the largest step and a tile's words (a bound for {@code LOOP_TRIPCOUNT}, not a figure of the model). A
	 * position at its longest: all passes over the largest tile (on the depthwise unit a pass over the largest input
	 * tile), or loading the next weights of every unit.
	 */
	public long stepTripCount() {
		long position = Math.max(Math.max(bounds.maxOutputTileArea() * maxPasses(), bounds.maxInputTileArea()),
				units().stream().mapToLong(Engine::blockWords).sum());
		long positions = weightSteps().stream().mapToLong(s -> s.laneGroups() * s.positionsPerLaneGroup()).max()
				.orElse(1);
		long rows = units().stream().mapToLong(Engine::rows).sum();
		return (positions + 1) * position + rows * bounds.maxOutputTileArea() + outputTile().depth()
				+ residualTile().depth();
	}

	/** The widest code of any stored tensor. */
	public int maxCodeBits() {
		return codeWidths().get(codeWidths().size() - 1);
	}
}
