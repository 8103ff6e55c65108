package org.ilmpq.generator.hls;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;
import org.ilmpq.generator.pytorch.ScriptNetwork;

/**
 * A network as the HLS design runs it on one accelerator: the engines the hardware model sized, the steps in the
 * order the top function calls them, and where each tensor lives in DRAM.
 * <p>
 * Every conv and linear layer runs on the shared engines ({@link WeightStep}); its folded BatchNorm, a following
 * ReLU and a residual add whose other operand is ready are fused into its output stage, so those tensors are never
 * stored. The other layers stream over DRAM ({@link Step}). Flatten and a folded BatchNorm move no data: their
 * result is their input's buffer. The network's layout follows the quantization script's ({@link ScriptNetwork}):
 * the same layers, input widths and signs, BatchNorms folded the same way, so that the design reads the script's
 * export as it is.
 */
public final class HlsNetwork {

	/** Where a tensor lives: one of the top function's three feature-map ports, at an offset in values. */
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

	public record Buffer(Port port, long offset, TensorShape shape) {
		/** The C++ pointer expression of the buffer in the top function. */
		public String pointer() {
			return offset == 0 ? port.parameter() : port.parameter() + " + " + offset;
		}
	}

	/**
	 * One engine of the design, with its integer widths derived from the layers it serves.
	 *
	 * @param packing products one DSP multiplier computes per cycle in the C++ (1 on LUT engines): weights of
	 *            {@code packing} rows side by side in the multiplier's A input, {@code productBits} apart, times one
	 *            lane, each product exact in its field
	 * @param packedBits the width of the packed weights, at most the slice's A input
	 */
	public record Engine(EngineConfig config, String prefix, int weightBits, int productBits, int sumBits,
			int accumulatorBits, long largestAccumulator, int packing, int packedBits) {
		public Scheme scheme() {
			return config.scheme();
		}

		public int rows() {
			return config.rows();
		}
	}

	/** A step of the schedule: a call in the top function, named after the spec's layer it computes. */
	public sealed interface Step permits WeightStep, PoolStep, GlobalPoolStep, AddStep, ConcatStep, ActivationStep {
		String function();

		String specName();

		Buffer output();
	}

	/**
	 * A conv or linear layer on the engines.
	 *
	 * @param fused the layers folded or fused into it, in order (BatchNorm, add, activation)
	 * @param activation the fused activation, if any
	 * @param rowsPerEngine the spec's rows of each engine's scheme in this layer
	 */
	public record WeightStep(String function, String specName, LayerFacts facts, Buffer input,
			Optional<Buffer> residual, Buffer output, List<String> fused, Optional<Operation.Activation> activation,
			long inChannels, long groups, boolean inputSigned, int inputBits, int passes, long[] rowsPerEngine,
			long weightsOffset, long weightsSize, long rowsOffset, long rowsSize, long paramsOffset, long paramsSize,
			int index) implements Step {
		public boolean conv() {
			return facts.layer().operation() instanceof Operation.Conv2d;
		}

		public Optional<Operation.Conv2d> convolution() {
			return facts.layer().operation() instanceof Operation.Conv2d c ? Optional.of(c) : Optional.empty();
		}

		public long kernelArea() {
			return convolution().map(c -> c.kernel().height() * c.kernel().width()).orElse(1L);
		}

		public long outChannels() {
			return facts.output().channels();
		}
	}

	public record PoolStep(String function, String specName, Operation.Pool2d pool, Buffer input, Buffer output)
			implements Step {
	}

	public record GlobalPoolStep(String function, String specName, Buffer input, Buffer output) implements Step {
	}

	public record AddStep(String function, String specName, List<Buffer> operands, Buffer output) implements Step {
	}

	public record ConcatStep(String function, String specName, List<Buffer> operands, Buffer output)
			implements Step {
	}

	public record ActivationStep(String function, String specName, Operation.Activation activation, Buffer input,
			Buffer output) implements Step {
	}

	/** The widest weights the design moves: one byte per code in DRAM and in the weight buffers. */
	public static final int MAX_WEIGHT_BITS = 8;

	/** File names beside the network's own in firmware/ and tb/: a network of that name gets a suffix. */
	private static final Set<String> FILE_NAMES = Set.of("engines", "ilmpq_types", "ilmpq_layers", "ilmpq_export");

	private final ScriptNetwork network;
	private final Target target;
	private final AcceleratorConfig config;
	/** The hardware model's buffer sizes for the design's tile. */
	private final WorkloadBounds bounds;
	private final String topFunction;
	private List<Engine> engines;
	private final List<Step> steps = new ArrayList<>();
	private final Map<String, Buffer> buffers = new HashMap<>();
	private final Map<String, Long> consumers = new HashMap<>();
	private final CppNames names = new CppNames();
	/** The output and the tensors it aliases: what flattens and folded BatchNorms at the end read. */
	private final Set<String> outputAliases;
	private long scratchSize;
	private long weightsSize;
	private long rowsSize;
	private long paramsSize;

	private HlsNetwork(ScriptNetwork network, Target target, AcceleratorConfig config, Workload workload) {
		this.network = network;
		this.target = target;
		this.config = config;
		this.bounds = WorkloadBounds.of(workload, config.tile());
		String top = CppNames.sanitize(network.networkName());
		this.topFunction = FILE_NAMES.contains(top) ? top + "_network" : top;
		names.reserve(topFunction);
		this.outputAliases = outputAliases(network);
		for (LayerFacts facts : network.layers()) {
			for (String input : facts.layer().inputs()) {
				consumers.merge(input, 1L, Long::sum);
			}
		}
		buffers.put(network.inputs().get(0).name(), new Buffer(Port.INPUT, 0, network.inputs().get(0).shape()));
		Map<String, LayerWork> workByName = new HashMap<>();
		workload.layers().forEach(w -> workByName.put(w.name(), w));
		for (LayerFacts facts : network.layers()) {
			// a layer fused into a weight layer before it has its buffer already
			if (!buffers.containsKey(facts.name())) {
				schedule(facts, workByName.get(facts.name()));
			}
		}
		this.engines = sizedEngines();
	}

	/**
	 * @param workload the hardware model's workload of the network, whose layers give the input widths and the rows
	 *            per scheme
	 * @throws IllegalArgumentException for a network the design cannot run: a weight layer without a split, a
	 *             BatchNorm the export cannot fold, an output that is the input
	 */
	public static HlsNetwork of(ScriptNetwork network, Target target, AcceleratorConfig config, Workload workload) {
		for (LayerFacts facts : network.layers()) {
			if (facts.layer().operation().hasWeights() && facts.allocation().isEmpty()) {
				throw new IllegalArgumentException("layer " + facts.name() + " has no split: the engines run quantized "
						+ "layers only");
			}
		}
		for (EngineConfig engine : config.engines()) {
			if (engine.scheme().bits() > MAX_WEIGHT_BITS) {
				throw new IllegalArgumentException("the engines take weights of at most " + MAX_WEIGHT_BITS + " bits (a "
						+ "byte per code in DRAM), not " + engine.scheme());
			}
		}
		Set<String> reaching = new HashSet<>();
		network.layers().forEach(facts -> reaching.add(facts.name()));
		for (Layer layer : network.spec().network().layers()) {
			if (layer.operation().hasWeights() && !reaching.contains(layer.name())) {
				throw new IllegalArgumentException("layer " + layer.name() + " does not reach the output: remove it to "
						+ "generate the design");
			}
		}
		if (!network.unfoldedBatchNorms().isEmpty()) {
			throw new IllegalArgumentException("batchnorm " + network.unfoldedBatchNorms().get(0) + " does not alone "
					+ "follow a conv or linear layer, so it cannot be folded into one (export format version 1)");
		}
		HlsNetwork result = new HlsNetwork(network, target, config, workload);
		Buffer output = result.buffer(network.output());
		if (output.port() == Port.INPUT) {
			throw new IllegalArgumentException("the output of network " + network.networkName() + " is its input");
		}
		return result;
	}

	/**
	 * The engines with their integer widths: a lane holds an activation or an activation-wide slice of a wider
	 * input, at most 2^A in magnitude; the accumulator must hold fan-in x largest input x largest weight of every
	 * layer with rows on the engine.
	 */
	private List<Engine> sizedEngines() {
		List<Engine> result = new ArrayList<>();
		int activationBits = activationBits();
		for (int e = 0; e < config.engines().size(); e++) {
			EngineConfig engine = config.engines().get(e);
			Scheme scheme = engine.scheme();
			WeightQuantizer quantizer = WeightQuantizer.of(scheme);
			// the largest magnitude, which for SP2 is not the largest code's
			long largestWeight = quantizer.magnitudes().stream().mapToLong(Integer::longValue).max().orElseThrow();
			long product = (1L << activationBits) * largestWeight;
			long sum = product * config.lanes();
			long accumulator = sum;
			for (WeightStep step : weightSteps()) {
				if (step.rowsPerEngine()[e] > 0) {
					long fanIn = step.inChannels() / step.groups() * step.kernelArea();
					accumulator = Math.max(accumulator, Math.multiplyExact(fanIn, Math.multiplyExact(
							largestInput(step.inputBits(), step.inputSigned(), activationBits), largestWeight)));
				}
			}
			String prefix = scheme.kind().keyword() + scheme.bits();
			int productBits = signedBits(product);
			int packing = 1;
			if (engine.onDsp() && engine.packing().packs()) {
				// fields of productBits side by side, the top one a weight wide, within the multiplier's A input
				int fit = 1 + (target.part().device().dspType().aBits() - scheme.bits()) / productBits;
				packing = Math.max(1, Math.min(engine.packing().productsPerDsp(), fit));
			}
			result.add(new Engine(engine, prefix, scheme.bits(), productBits, signedBits(sum),
					signedBits(accumulator), accumulator, packing, (packing - 1) * productBits + scheme.bits()));
		}
		return result;
	}

	/**
	 * The largest magnitude an input value contributes to a sum: its code, or, when it is wider than the engines'
	 * activations and goes through in slices, the sum of its slices' magnitudes, each at its weight: the lower
	 * slices unsigned, the top one signed for a signed input (its most negative value the largest).
	 */
	static long largestInput(int bits, boolean signed, int activationBits) {
		int passes = (bits + activationBits - 1) / activationBits;
		long largest = 0;
		for (int pass = 0; pass < passes - 1; pass++) {
			largest += ((1L << activationBits) - 1) << (pass * activationBits);
		}
		int topBits = bits - (passes - 1) * activationBits;
		long top = signed ? 1L << (topBits - 1) : (1L << topBits) - 1;
		return largest + (top << ((passes - 1) * activationBits));
	}

	/** Bits of a signed integer that holds every value of magnitude up to {@code magnitude}. */
	static int signedBits(long magnitude) {
		return BigInteger.valueOf(magnitude).bitLength() + 1;
	}

	private void schedule(LayerFacts facts, LayerWork work) {
		Layer layer = facts.layer();
		Operation operation = layer.operation();
		String function = names.of(facts.name());
		if (operation.hasWeights()) {
			weightStep(facts, work, function);
		} else if (operation instanceof Operation.Flatten || operation instanceof Operation.BatchNorm) {
			Buffer source = buffer(layer.inputs().get(0));
			buffers.put(facts.name(), new Buffer(source.port(), source.offset(), facts.output()));
		} else {
			List<Buffer> in = layer.inputs().stream().map(this::buffer).toList();
			Buffer out = allocate(facts.name(), facts.output());
			if (operation instanceof Operation.Pool2d pool) {
				steps.add(new PoolStep(function, facts.name(), pool, in.get(0), out));
			} else if (operation instanceof Operation.GlobalAvgPool) {
				steps.add(new GlobalPoolStep(function, facts.name(), in.get(0), out));
			} else if (operation instanceof Operation.Add) {
				steps.add(new AddStep(function, facts.name(), in, out));
			} else if (operation instanceof Operation.Concat) {
				steps.add(new ConcatStep(function, facts.name(), in, out));
			} else if (operation instanceof Operation.Activation activation) {
				steps.add(new ActivationStep(function, facts.name(), activation, in.get(0), out));
			} else {
				throw new IllegalArgumentException("layer " + facts.name() + " did not lower: " + operation);
			}
		}
	}

	private void weightStep(LayerFacts facts, LayerWork work, String function) {
		Layer layer = facts.layer();
		Buffer input = buffer(layer.inputs().get(0));
		// the chain fused into the output stage: sole readers only, and never past the network's output
		List<String> fused = new ArrayList<>();
		Optional<Buffer> residual = Optional.empty();
		Optional<Operation.Activation> activation = Optional.empty();
		String last = facts.name();
		while (activation.isEmpty() && !last.equals(network.output()) && consumers.getOrDefault(last, 0L) == 1) {
			LayerFacts next = soleReader(last);
			Operation operation = next.layer().operation();
			if (operation instanceof Operation.BatchNorm
					&& network.batchNormAfter(facts).filter(next.name()::equals).isPresent()) {
				// folded into the rows' steps and biases by the export
			} else if (operation instanceof Operation.Add && residual.isEmpty() && next.layer().inputs().size() == 2) {
				String other = next.layer().inputs().get(next.layer().inputs().get(0).equals(last) ? 1 : 0);
				if (other.equals(last) || !buffers.containsKey(other)) {
					break;
				}
				residual = Optional.of(buffers.get(other));
			} else if (operation instanceof Operation.Activation a) {
				activation = Optional.of(a);
			} else {
				break;
			}
			fused.add(next.name());
			last = next.name();
		}
		Buffer output = allocate(last, facts.output());
		fused.forEach(name -> buffers.put(name, output));
		buffers.put(facts.name(), output);

		TensorShape in = input.shape();
		boolean conv = layer.operation() instanceof Operation.Conv2d;
		long inChannels = conv ? in.channels() : in.elements();
		long groups = work.groups();
		long rows = facts.output().channels();
		long perGroup = rows / groups;
		long kernelArea = work.kernelArea();
		long laneGroups = (work.inputChannelsPerGroup() + config.lanes() - 1) / config.lanes();
		long[] rowsPerEngine = new long[config.engines().size()];
		long weights = 0;
		for (int e = 0; e < config.engines().size(); e++) {
			EngineConfig engine = config.engines().get(e);
			long count = work.rowsPerScheme().getOrDefault(engine.scheme(), 0L);
			rowsPerEngine[e] = count;
			// the most row steps the rows can take, however they spread over the groups (which rows take a scheme
			// is decided in training, per row)
			long steps = count == 0 ? 0
					: Math.min(groups, count) * ceil(Math.min(perGroup, count), engine.rows());
			weights += steps * laneGroups * kernelArea * engine.rows();
		}
		long rowsTable = groups * config.engines().size() + rows;
		long params = 1 + 2 * rows;
		int passes = (int) ceil(work.inputBits(), activationBits());
		int weightIndex = (int) steps.stream().filter(WeightStep.class::isInstance).count();
		steps.add(new WeightStep(function, facts.name(), facts, input, residual, output, fused, activation,
				inChannels, groups, !network.isUnsigned(layer.inputs().get(0)), work.inputBits(), passes,
				rowsPerEngine, weightsSize, weights, rowsSize, rowsTable, paramsSize, params, weightIndex));
		weightsSize += weights;
		rowsSize += rowsTable;
		paramsSize += params;
	}

	private static Set<String> outputAliases(ScriptNetwork network) {
		Map<String, LayerFacts> byName = new HashMap<>();
		network.layers().forEach(f -> byName.put(f.name(), f));
		Set<String> aliases = new HashSet<>();
		String tensor = network.output();
		aliases.add(tensor);
		while (byName.containsKey(tensor) && (byName.get(tensor).layer().operation() instanceof Operation.Flatten
				|| byName.get(tensor).layer().operation() instanceof Operation.BatchNorm)) {
			tensor = byName.get(tensor).layer().inputs().get(0);
			aliases.add(tensor);
		}
		return aliases;
	}

	private LayerFacts soleReader(String tensor) {
		return network.layers().stream().filter(f -> f.layer().inputs().contains(tensor)).findFirst().orElseThrow();
	}

	private Buffer allocate(String tensor, TensorShape shape) {
		Buffer buffer;
		if (outputAliases.contains(tensor)) {
			buffer = new Buffer(Port.OUTPUT, 0, shape);
		} else {
			buffer = new Buffer(Port.SCRATCH, scratchSize, shape);
			scratchSize += shape.elements();
		}
		buffers.put(tensor, buffer);
		return buffer;
	}

	private Buffer buffer(String tensor) {
		Buffer buffer = buffers.get(tensor);
		if (buffer == null) {
			throw new IllegalStateException("tensor " + tensor + " is read before it is computed");
		}
		return buffer;
	}

	private static long ceil(long a, long b) {
		return (a + b - 1) / b;
	}

	public ScriptNetwork network() {
		return network;
	}

	public Target target() {
		return target;
	}

	public AcceleratorConfig config() {
		return config;
	}

	public String topFunction() {
		return topFunction;
	}

	public List<Engine> engines() {
		return engines;
	}

	public List<Step> steps() {
		return steps;
	}

	public List<WeightStep> weightSteps() {
		return steps.stream().filter(WeightStep.class::isInstance).map(WeightStep.class::cast).toList();
	}

	public Buffer inputBuffer() {
		return buffers.get(network.inputs().get(0).name());
	}

	public Buffer outputBuffer() {
		return buffers.get(network.output());
	}

	/** Whether any feature map lives between the layers (a network of one layer has none). */
	public boolean usesScratch() {
		return scratchSize > 0;
	}

	/** Values of the scratch port; at least 1, as a C++ array cannot be empty. */
	public long scratchSize() {
		return Math.max(1, scratchSize);
	}

	/** Words of the weights port, LANES codes each. */
	public long weightsSize() {
		return Math.max(1, weightsSize);
	}

	public long rowsSize() {
		return Math.max(1, rowsSize);
	}

	public long paramsSize() {
		return Math.max(1, paramsSize);
	}

	public int activationBits() {
		return network.spec().quantization().activations().bits();
	}

	/** The widest input code of any weight layer, in bits. */
	public int maxInputBits() {
		return weightSteps().stream().mapToInt(WeightStep::inputBits).max().orElse(activationBits());
	}

	/**
	 * Input values per channel that the largest input tile holds: the output tile's reach through stride, kernel
	 * and dilation, padding included (the tile buffer holds the halo's zeros too).
	 */
	public long maxInputTileArea() {
		long largest = 1;
		int tile = config.tile();
		for (WeightStep step : weightSteps()) {
			long height = 1, width = 1;
			if (step.convolution().isPresent()) {
				Operation.Conv2d conv = step.convolution().get();
				long rows = Math.min(tile, step.facts().output().height());
				long columns = Math.min(tile, step.facts().output().width());
				height = (rows - 1) * conv.stride().height() + (conv.kernel().height() - 1) * conv.dilation().height() + 1;
				width = (columns - 1) * conv.stride().width() + (conv.kernel().width() - 1) * conv.dilation().width() + 1;
			}
			largest = Math.max(largest, height * width);
		}
		return largest;
	}

	/** Outputs per row of the largest output tile: what the hardware model sizes the accumulators for. */
	public long maxOutputTileArea() {
		return bounds.maxOutputTileArea();
	}
}
