package org.ilmpq.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.onnx.proto.OnnxProto.AttributeProto;
import org.ilmpq.onnx.proto.OnnxProto.GraphProto;
import org.ilmpq.onnx.proto.OnnxProto.NodeProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorShapeProto;
import org.ilmpq.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Maps an ONNX graph to the layers of a spec, node by node in the graph's topological order, tracking every
 * tensor's shape as it goes (no ONNX shape inference is needed, nor trusted). What a spec cannot say exactly is
 * refused at its node, before anything is written: the error names the node, its operator and inputs, the path
 * from the graph's input to it, and the operators the importer maps.
 * <p>
 * Constant subgraphs are folded: Constant, Shape of a tensor of known shape, Gather, Unsqueeze, Concat and Cast of
 * constants (the shape computations exporters emit before a Reshape). Identity and Dropout pass their input on.
 */
public final class OnnxGraphImport {

	/** The operators the importer maps, as its errors list them. */
	public static final String SUPPORTED = "Conv, BatchNormalization, Relu, Clip (0, 6), MaxPool, AveragePool,"
			+ " GlobalAveragePool, Add, Concat, Flatten, Reshape to (N, -1), Gemm, MatMul (+ Add), Identity, Dropout,"
			+ " Pad (zeros, before a Conv or AveragePool); folded where their inputs are constants: Constant, Shape,"
			+ " Gather, Unsqueeze, Concat, Cast";

	/** PyTorch's BatchNorm epsilon, which the language's batchnorm takes. */
	private static final double BATCHNORM_EPSILON = 1e-5;

	private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
	private static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
	private static final int INT64 = TensorProto.DataType.INT64_VALUE;
	private static final int INT32 = TensorProto.DataType.INT32_VALUE;

	private final OnnxModelFile file;
	private final GraphProto graph;
	private final Map<String, TensorProto> initializers = new HashMap<>();
	/** Folded integer constants (shapes, indices, axes), flattened. */
	private final Map<String, long[]> integers = new HashMap<>();
	/** Folded float constants (a Clip's bounds), flattened. */
	private final Map<String, double[]> floats = new HashMap<>();
	/** Every activation tensor's shape, batch dimension first. */
	private final Map<String, long[]> shapes = new HashMap<>();
	/** The spec's symbol (the input or a layer) that holds each activation tensor. */
	private final Map<String, String> symbols = new HashMap<>();
	/** Zero-padded tensors, which the Conv or AveragePool that reads them takes as its padding. */
	private final Map<String, Padded> padded = new HashMap<>();
	/** The node that produced each tensor, for the path of an error. */
	private final Map<String, NodeProto> producers = new HashMap<>();
	/** How many nodes and graph outputs read each tensor. */
	private final Map<String, Integer> readers = new HashMap<>();
	private final List<LayerDraft> layers = new ArrayList<>();
	private final Map<String, LayerDraft> layerOfSymbol = new HashMap<>();
	private final LayerNames names = new LayerNames();
	private String inputTensor;

	private OnnxGraphImport(OnnxModelFile file) {
		this.file = file;
		this.graph = file.model().getGraph();
	}

	/**
	 * The network of a model. {@code inputShape} (C, H, W, or the features of a flat input) replaces the input's
	 * shape where the model leaves it symbolic; {@code name} is the network's name.
	 */
	public static ImportedNetwork of(OnnxModelFile file, Optional<List<Long>> inputShape, String name)
			throws UnsupportedModelException, OnnxFormatException {
		return new OnnxGraphImport(file).run(inputShape, name);
	}

	private ImportedNetwork run(Optional<List<Long>> inputShape, String name)
			throws UnsupportedModelException, OnnxFormatException {
		for (TensorProto initializer : graph.getInitializerList()) {
			initializers.put(initializer.getName(), initializer);
		}
		Set<String> constants = new HashSet<>(initializers.keySet());
		for (NodeProto node : graph.getNodeList()) {
			for (String input : node.getInputList()) {
				readers.merge(input, 1, Integer::sum);
			}
			if (node.getOpType().equals("Constant")) {
				constants.addAll(node.getOutputList());
			}
		}
		names.survey(graph.getNodeList(), constants);
		for (ValueInfoProto output : graph.getOutputList()) {
			readers.merge(output.getName(), 1, Integer::sum);
		}
		ImportedNetwork.Input input = input(inputShape);
		for (NodeProto node : graph.getNodeList()) {
			for (String tensor : node.getInputList()) {
				if (!tensor.isEmpty() && !known(tensor)) {
					throw new OnnxFormatException(file.path() + ": node " + describe(node) + " reads '" + tensor
							+ "', which no node before it writes (the graph is not in topological order)");
				}
			}
			for (String output : node.getOutputList()) {
				producers.put(output, node);
			}
			map(node);
		}
		if (graph.getOutputCount() != 1) {
			throw new UnsupportedModelException(file.path() + ": the graph has " + graph.getOutputCount()
					+ " outputs; a spec has one");
		}
		String output = graph.getOutput(0).getName();
		if (!symbols.containsKey(output) || symbols.get(output).equals(input.name())) {
			throw new UnsupportedModelException(file.path() + ": the graph's output '" + output
					+ "' is not computed by a layer");
		}
		List<ImportedNetwork.Layer> built = new ArrayList<>();
		for (LayerDraft layer : layers) {
			built.add(layer.build());
		}
		return new ImportedNetwork(name, input, built, symbols.get(output), file);
	}

	// ---------------------------------------------------------------- the input

	private ImportedNetwork.Input input(Optional<List<Long>> given) throws UnsupportedModelException {
		List<ValueInfoProto> inputs = new ArrayList<>();
		for (ValueInfoProto input : graph.getInputList()) {
			// IR versions before 4 list the initializers among the inputs
			if (!initializers.containsKey(input.getName())) {
				inputs.add(input);
			}
		}
		if (inputs.size() != 1) {
			throw new UnsupportedModelException(file.path() + ": the graph has " + inputs.size()
					+ " inputs besides its initializers; a spec has one");
		}
		ValueInfoProto input = inputs.get(0);
		List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
		if (dims.size() != 4 && dims.size() != 2) {
			throw new UnsupportedModelException(file.path() + ": input '" + input.getName() + "' has rank " + dims.size()
					+ "; the importer takes images (N, C, H, W) and vectors (N, features)");
		}
		long[] shape = new long[dims.size()];
		shape[0] = 1;
		StringBuilder written = new StringBuilder("N");
		boolean symbolic = false;
		for (int d = 1; d < dims.size(); d++) {
			TensorShapeProto.Dimension dim = dims.get(d);
			boolean fixed = dim.hasDimValue() && dim.getDimValue() > 0;
			shape[d] = fixed ? dim.getDimValue() : -1;
			symbolic |= !fixed;
			written.append(", ").append(fixed ? Long.toString(dim.getDimValue())
					: dim.getDimParam().isEmpty() ? "?" : dim.getDimParam());
		}
		if (given.isPresent()) {
			List<Long> values = given.get();
			if (values.size() != dims.size() - 1) {
				throw new UnsupportedModelException(file.path() + ": --input-shape gives " + values.size()
						+ " dimensions; input '" + input.getName() + "' has " + (dims.size() - 1) + " besides the batch ("
						+ written + ")");
			}
			for (int d = 1; d < dims.size(); d++) {
				long value = values.get(d - 1);
				if (shape[d] > 0 && shape[d] != value) {
					throw new UnsupportedModelException(file.path() + ": --input-shape gives " + value + " where input '"
							+ input.getName() + "' has " + shape[d] + " (" + written + ")");
				}
				shape[d] = value;
			}
		} else if (symbolic) {
			throw new UnsupportedModelException(file.path() + ": input '" + input.getName() + "' has the symbolic shape ("
					+ written + "): give its size with --input-shape " + (dims.size() == 4 ? "C,H,W" : "FEATURES"));
		}
		String name = names.input(input.getName(), dims.size() == 4);
		inputTensor = input.getName();
		shapes.put(input.getName(), shape);
		symbols.put(input.getName(), name);
		List<Long> kept = new ArrayList<>();
		for (int d = 1; d < shape.length; d++) {
			kept.add(shape[d]);
		}
		return new ImportedNetwork.Input(name, kept);
	}

	// ---------------------------------------------------------------- node by node

	private boolean known(String tensor) {
		return initializers.containsKey(tensor) || integers.containsKey(tensor) || floats.containsKey(tensor)
				|| symbols.containsKey(tensor) || padded.containsKey(tensor);
	}

	/** A tensor zero-padded by a Pad: the tensor before it, and the rows and columns added on each side. */
	private record Padded(String source, long height, long width) {
	}

	private boolean constant(String tensor) {
		return initializers.containsKey(tensor) || integers.containsKey(tensor) || floats.containsKey(tensor);
	}

	private void map(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
			throw unsupported(node, "an operator of the domain '" + node.getDomain() + "'");
		}
		switch (node.getOpType()) {
		case "Identity", "Dropout" -> passOn(node);
		case "Constant" -> constantNode(node);
		case "Shape" -> shapeOf(node);
		case "Gather" -> gather(node);
		case "Unsqueeze" -> unsqueeze(node);
		case "Cast" -> cast(node);
		case "Pad" -> pad(node);
		case "Conv" -> conv(node);
		case "BatchNormalization" -> batchNorm(node);
		case "Relu" -> activation(node, false);
		case "Clip" -> clip(node);
		case "MaxPool", "AveragePool" -> pool(node);
		case "GlobalAveragePool" -> globalAveragePool(node);
		case "Add" -> add(node);
		case "Concat" -> concat(node);
		case "Flatten" -> flatten(node);
		case "Reshape" -> reshape(node);
		case "Gemm" -> gemm(node);
		case "MatMul" -> matMul(node);
		default -> throw unsupported(node, "operator " + node.getOpType());
		}
	}

	private void passOn(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		String input = node.getInput(0);
		// from opset 12 a Dropout's third input switches training mode on: only a constant false is inference
		if (node.getOpType().equals("Dropout") && node.getInputCount() > 2 && !node.getInput(2).isEmpty()
				&& (!constant(node.getInput(2)) || integerOrBoolean(node, 2) != 0)) {
			throw unsupported(node, "a Dropout in training mode");
		}
		for (int i = 1; i < node.getOutputCount(); i++) {
			if (readers.containsKey(node.getOutput(i))) {
				throw unsupported(node, "a Dropout whose mask is read");
			}
		}
		alias(node.getOutput(0), input);
	}

	/** {@code output} is {@code input}: a constant, or the activation of the same symbol. */
	private void alias(String output, String input) {
		if (integers.containsKey(input)) {
			integers.put(output, integers.get(input));
		} else if (floats.containsKey(input)) {
			floats.put(output, floats.get(input));
		} else if (initializers.containsKey(input)) {
			initializers.put(output, initializers.get(input));
		} else {
			symbols.put(output, symbols.get(input));
			shapes.put(output, shapes.get(input));
		}
	}

	private void constantNode(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		String output = node.getOutput(0);
		for (AttributeProto attribute : node.getAttributeList()) {
			switch (attribute.getName()) {
			case "value" -> {
				TensorProto tensor = attribute.getT();
				if (tensor.getDataType() == INT64 || tensor.getDataType() == INT32) {
					integers.put(output, integerValues(node, tensor));
				} else if (tensor.getDataType() == TensorProto.DataType.BOOL_VALUE) {
					initializers.put(output, tensor.toBuilder().setName(output).build());
				} else {
					initializers.put(output, tensor.toBuilder().setName(output).build());
					if (elementCount(tensor) == 1) {
						floats.put(output, floatValues(tensor));
					}
				}
				return;
			}
			case "value_int" -> {
				integers.put(output, new long[] { attribute.getI() });
				return;
			}
			case "value_ints" -> {
				integers.put(output, attribute.getIntsList().stream().mapToLong(Long::longValue).toArray());
				return;
			}
			case "value_float" -> {
				floats.put(output, new double[] { attribute.getF() });
				return;
			}
			case "value_floats" -> {
				floats.put(output, attribute.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray());
				return;
			}
			default -> {
			}
			}
		}
		throw unsupported(node, "a Constant without a tensor, integer or float value");
	}

	private void shapeOf(NodeProto node) throws UnsupportedModelException {
		long[] shape = activationShape(node, 0);
		int rank = shape.length;
		// negative start and end count from the end; both are clamped to [0, rank] (opset 15)
		int start = (int) Math.max(0, Math.min(rank, normalizeAxis(integerAttribute(node, "start", 0), rank)));
		int end = (int) Math.max(0, Math.min(rank, normalizeAxis(integerAttribute(node, "end", rank), rank)));
		integers.put(node.getOutput(0), Arrays.copyOfRange(shape, start, Math.max(start, end)));
	}

	private void gather(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] data = integerConstant(node, 0);
		long[] indices = integerConstant(node, 1);
		if (integerAttribute(node, "axis", 0) != 0) {
			throw unsupported(node, "a Gather along an axis other than 0");
		}
		long[] gathered = new long[indices.length];
		for (int i = 0; i < indices.length; i++) {
			long index = indices[i] < 0 ? indices[i] + data.length : indices[i];
			if (index < 0 || index >= data.length) {
				throw new OnnxFormatException(file.path() + ": node " + describe(node) + " gathers index " + indices[i]
						+ " of " + data.length + " values");
			}
			gathered[i] = data[(int) index];
		}
		integers.put(node.getOutput(0), gathered);
	}

	private void unsqueeze(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		// constants are kept flat: unsqueezing keeps their values
		integers.put(node.getOutput(0), integerConstant(node, 0));
	}

	private void cast(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		String input = node.getInput(0);
		if (integers.containsKey(input)) {
			integers.put(node.getOutput(0), integers.get(input));
		} else if (floats.containsKey(input)) {
			floats.put(node.getOutput(0), floats.get(input));
		} else {
			throw unsupported(node, "a Cast of a computed tensor");
		}
	}

	private void conv(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		Padded before = padded.get(node.getInput(0));
		String input = before != null ? before.source() : node.getInput(0);
		long[] x = before != null ? shapes.get(input) : activationShape(node, 0);
		TensorProto weight = initializer(node, 1, "the weights");
		Optional<TensorProto> bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
				? Optional.of(initializer(node, 2, "the bias"))
				: Optional.empty();
		if (x.length != 4 || weight.getDimsCount() != 4) {
			throw unsupported(node, "a Conv that is not two-dimensional (input rank " + x.length + ")");
		}
		long out = weight.getDims(0);
		long groups = integerAttribute(node, "group", 1);
		long channels = x[1];
		if (groups <= 0 || weight.getDims(1) * groups != channels) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " has weights "
					+ Arrays.toString(dims(weight)) + " in " + groups + " groups for " + channels + " input channels");
		}
		long[] kernel = { weight.getDims(2), weight.getDims(3) };
		long[] declared = pair(node, "kernel_shape", kernel);
		if (!Arrays.equals(declared, kernel)) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " declares kernel "
					+ Arrays.toString(declared) + " for weights of " + Arrays.toString(kernel));
		}
		long[] strides = pair(node, "strides", new long[] { 1, 1 });
		long[] dilations = pair(node, "dilations", new long[] { 1, 1 });
		long[] pads = symmetric(node, x, kernel, strides, dilations,
				withPad(ownPadding(node, x, kernel, strides, dilations, before), before));
		long height = window(x[2], kernel[0], strides[0], pads[0], dilations[0]);
		long width = window(x[3], kernel[1], strides[1], pads[1], dilations[1]);
		if (height <= 0 || width <= 0) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " has no output on a " + x[2]
					+ " x " + x[3] + " input");
		}
		boolean depthwise = groups > 1 && groups == channels && out == channels;
		LayerDraft layer = layer(node, new ImportedOperation.Conv(out, kernel[0], kernel[1], strides[0], strides[1],
				pads[0], pads[1], dilations[0], dilations[1], groups, depthwise, bias.isPresent()), List.of(input),
				new long[] { 1, out, height, width });
		layer.parameters.put("weight", ImportedNetwork.Parameter.of(weight));
		bias.ifPresent(b -> layer.parameters.put("bias", ImportedNetwork.Parameter.of(b)));
	}

	/**
	 * A Conv's or pool's own padding as ONNX gives it, begin and end of each dimension (H begin, W begin, H end, W
	 * end): its {@code pads}, or its {@code auto_pad} computed on its input's size, which a Pad before it enlarges.
	 */
	private long[] ownPadding(NodeProto node, long[] x, long[] kernel, long[] strides, long[] dilations, Padded before)
			throws UnsupportedModelException, OnnxFormatException {
		String autoPad = stringAttribute(node, "auto_pad", "NOTSET");
		long[] pads;
		switch (autoPad) {
		case "NOTSET" -> {
			pads = integersAttribute(node, "pads", new long[] { 0, 0, 0, 0 });
			if (pads.length != 4 || Arrays.stream(pads).anyMatch(pad -> pad < 0)) {
				throw new OnnxFormatException(file.path() + ": node " + describe(node) + " has pads "
						+ Arrays.toString(pads) + ": four of them, none negative, for a two-dimensional window");
			}
		}
		case "VALID" -> pads = new long[] { 0, 0, 0, 0 };
		case "SAME_UPPER", "SAME_LOWER" -> {
			pads = new long[4];
			for (int d = 0; d < 2; d++) {
				long size = x[2 + d] + 2 * (before == null ? 0 : d == 0 ? before.height() : before.width());
				long out = (size + strides[d] - 1) / strides[d];
				long total = Math.max(0, (out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - size);
				long small = total / 2;
				pads[d] = autoPad.equals("SAME_UPPER") ? small : total - small;
				pads[d + 2] = total - pads[d];
			}
		}
		default -> throw unsupported(node, "auto_pad " + autoPad);
		}
		return pads;
	}

	/** Padding and a zero Pad before it, which together pad the Pad's input. */
	private static long[] withPad(long[] pads, Padded before) {
		if (before == null) {
			return pads;
		}
		return new long[] { pads[0] + before.height(), pads[1] + before.width(), pads[2] + before.height(),
				pads[3] + before.width() };
	}

	/**
	 * The symmetric padding (height, width) that computes what {@code pads} (begin H, W, end H, W) does: begin and
	 * end alike, or end padding that no window reaches; other asymmetric padding is refused, the language pads both
	 * sides alike.
	 */
	private long[] symmetric(NodeProto node, long[] x, long[] kernel, long[] strides, long[] dilations, long[] given)
			throws UnsupportedModelException {
		long[] pads = given.clone();
		for (int d = 0; d < 2; d++) {
			if (pads[d] != pads[d + 2] && endPaddingUnused(x[2 + d], kernel[d], strides[d], dilations[d], pads[d],
					pads[d + 2])) {
				pads[d + 2] = pads[d];
			}
		}
		if (pads[0] != pads[2] || pads[1] != pads[3]) {
			throw unsupported(node, "asymmetric padding " + Arrays.toString(given) + " (begin H, W, end H, W); the"
					+ " language pads both sides of a dimension alike");
		}
		return new long[] { pads[0], pads[1] };
	}

	/**
	 * Whether padding {@code end} at the end of a dimension computes what padding {@code begin} there does: the same
	 * number of windows, none reaching past {@code begin} cells of end padding (PyTorch exports a pool's ceil mode at
	 * opset 9, which has none, as extra end padding, often unused).
	 */
	private static boolean endPaddingUnused(long size, long kernel, long stride, long dilation, long begin, long end) {
		long asymmetric = Math.floorDiv(size + begin + end - dilation * (kernel - 1) - 1, stride) + 1;
		long symmetric = window(size, kernel, stride, begin, dilation);
		long lastEnd = (symmetric - 1) * stride - begin + dilation * (kernel - 1) + 1;
		return asymmetric == symmetric && lastEnd <= size + begin;
	}

	/** Outputs of a window sliding over {@code size} inputs, rounding down. */
	private static long window(long size, long kernel, long stride, long pad, long dilation) {
		return Math.floorDiv(size + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
	}

	private void batchNorm(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] x = activationShape(node, 0);
		TensorProto scale = initializer(node, 1, "the scale");
		TensorProto bias = initializer(node, 2, "the bias");
		TensorProto mean = initializer(node, 3, "the running mean");
		TensorProto variance = initializer(node, 4, "the running variance");
		// PyTorch exports its 1e-5 as the float nearest it; a larger epsilon (MobileNetV3's 1e-3) joins the running
		// variance, which it is added to: var + eps = (var + eps - 1e-5) + 1e-5
		double epsilon = (float) floatAttribute(node, "epsilon", BATCHNORM_EPSILON);
		double excess = Math.abs(epsilon - (float) BATCHNORM_EPSILON) < 1e-12 ? 0 : epsilon - BATCHNORM_EPSILON;
		if (excess < 0) {
			throw unsupported(node, "a BatchNormalization of epsilon " + epsilon + ", below the language's (PyTorch's)"
					+ " 1e-5");
		}
		if (integerAttribute(node, "training_mode", 0) != 0) {
			throw unsupported(node, "a BatchNormalization in training mode (export the model in eval mode)");
		}
		// before opset 14, a BatchNormalization that declares its running statistics' outputs is in training mode:
		// it normalizes by the batch's own statistics, read or not
		for (int i = 1; i < node.getOutputCount(); i++) {
			if (!node.getOutput(i).isEmpty()) {
				throw unsupported(node, "a BatchNormalization with the outputs of training mode (export the model in"
						+ " eval mode)");
			}
		}
		LayerDraft layer = layer(node, new ImportedOperation.BatchNorm(), List.of(node.getInput(0)), x);
		layer.parameters.put("weight", ImportedNetwork.Parameter.of(scale));
		layer.parameters.put("bias", ImportedNetwork.Parameter.of(bias));
		layer.parameters.put("running_mean", ImportedNetwork.Parameter.of(mean));
		layer.parameters.put("running_var", new ImportedNetwork.Parameter(variance, false, excess));
	}

	private void activation(NodeProto node, boolean six) throws UnsupportedModelException {
		layer(node, new ImportedOperation.Activation(six), List.of(node.getInput(0)), activationShape(node, 0));
	}

	/** Clip between 0 and 6 is ReLU6, from 0 up ReLU; the bounds are attributes before opset 11, inputs after. */
	private void clip(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		double low;
		double high;
		if (file.opset() < 11) {
			low = floatAttribute(node, "min", Double.NEGATIVE_INFINITY);
			high = floatAttribute(node, "max", Double.POSITIVE_INFINITY);
		} else {
			low = node.getInputCount() > 1 && !node.getInput(1).isEmpty() ? scalar(node, 1) : Double.NEGATIVE_INFINITY;
			high = node.getInputCount() > 2 && !node.getInput(2).isEmpty() ? scalar(node, 2) : Double.POSITIVE_INFINITY;
		}
		LayerDraft relu = reluBefore(node);
		if (relu != null && low <= 0 && (high == 6 || high == Double.POSITIVE_INFINITY)) {
			// a ReLU, then a Clip of its output below 6 (how PyTorch exports ReLU6 before opset 11): one layer
			relu.operation = new ImportedOperation.Activation(high == 6);
			alias(node.getOutput(0), node.getInput(0));
		} else if (low == 0 && high == 6) {
			activation(node, true);
		} else if (low == 0 && high == Double.POSITIVE_INFINITY) {
			activation(node, false);
		} else {
			throw unsupported(node, "a Clip between " + low + " and " + high + "; the language has ReLU (0, inf) and"
					+ " ReLU6 (0, 6)");
		}
	}

	/** The ReLU layer whose output only {@code node} reads, if its input is one. */
	private LayerDraft reluBefore(NodeProto node) {
		String input = node.getInput(0);
		LayerDraft layer = layerOfSymbol.get(symbols.get(input));
		boolean relu = layer != null && layer.operation instanceof ImportedOperation.Activation activation
				&& !activation.six() && layer.outputTensor.equals(input) && readers.getOrDefault(input, 0) == 1;
		return relu ? layer : null;
	}

	/**
	 * A Pad with zeros of the spatial dimensions, alike on both sides: the Conv or AveragePool after it takes it as
	 * its padding (PyTorch exports an AvgPool2d that counts its padding so). Its pads are an attribute before opset
	 * 11, an input after.
	 */
	private void pad(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] x = activationShape(node, 0);
		String mode = stringAttribute(node, "mode", "constant");
		long[] pads;
		double value = 0;
		if (file.opset() < 11) {
			pads = integersAttribute(node, "pads", new long[0]);
			value = floatAttribute(node, "value", 0);
		} else {
			pads = integerConstant(node, 1);
			if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
				value = scalar(node, 2);
			}
			if (node.getInputCount() > 3 && !node.getInput(3).isEmpty()) {
				throw unsupported(node, "a Pad of chosen axes");
			}
		}
		boolean spatial = x.length == 4 && pads.length == 8 && pads[0] == 0 && pads[1] == 0 && pads[4] == 0
				&& pads[5] == 0 && pads[2] == pads[6] && pads[3] == pads[7] && pads[2] >= 0 && pads[3] >= 0;
		if (!mode.equals("constant") || value != 0 || !spatial) {
			throw unsupported(node, "a Pad in mode " + mode + " with " + value + ", pads " + Arrays.toString(pads)
					+ "; the importer takes zeros added alike on both sides of the rows and columns");
		}
		padded.put(node.getOutput(0), new Padded(node.getInput(0), pads[2], pads[3]));
	}

	private void pool(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		boolean max = node.getOpType().equals("MaxPool");
		Padded before = padded.get(node.getInput(0));
		if (before != null && max) {
			throw unsupported(node, "a MaxPool of a zero-padded tensor (a Pad before it); the language's maxpool pads"
					+ " with the lowest value");
		}
		String input = before != null ? before.source() : node.getInput(0);
		long[] x = before != null ? shapes.get(input) : activationShape(node, 0);
		if (x.length != 4) {
			throw unsupported(node, "a pool that is not two-dimensional");
		}
		long[] kernel = pair(node, "kernel_shape", null);
		long[] strides = pair(node, "strides", new long[] { 1, 1 });
		long[] dilations = pair(node, "dilations", new long[] { 1, 1 });
		if (dilations[0] != 1 || dilations[1] != 1) {
			throw unsupported(node, "a dilated pool " + Arrays.toString(dilations));
		}
		for (int i = 1; i < node.getOutputCount(); i++) {
			if (readers.containsKey(node.getOutput(i))) {
				throw unsupported(node, "a MaxPool whose indices are read");
			}
		}
		long[] own = ownPadding(node, x, kernel, strides, dilations, before);
		long[] given = withPad(own, before);
		long[] pads = symmetric(node, x, kernel, strides, dilations, given);
		if (!max && Arrays.stream(own).anyMatch(pad -> pad > 0) && integerAttribute(node, "count_include_pad", 0) == 0) {
			throw unsupported(node, "an AveragePool that leaves its padding out of the average (count_include_pad 0)"
					+ "; the language's avgpool counts it, as PyTorch's AvgPool2d does by default");
		}
		long height = window(x[2], kernel[0], strides[0], pads[0], 1);
		long width = window(x[3], kernel[1], strides[1], pads[1], 1);
		if (integerAttribute(node, "ceil_mode", 0) != 0) {
			// ONNX's count in ceil mode, from the padding as given: where it is the count rounding down with the
			// symmetric padding, the windows are the same
			long ceilHeight = ceilWindow(x[2], kernel[0], strides[0], given[0], given[2]);
			long ceilWidth = ceilWindow(x[3], kernel[1], strides[1], given[1], given[3]);
			if (ceilHeight != height || ceilWidth != width) {
				throw unsupported(node, "ceil_mode 1, which gives " + ceilHeight + " x " + ceilWidth + " outputs where"
						+ " the language's pools (rounding down) give " + height + " x " + width);
			}
		}
		layer(node, new ImportedOperation.Pool(max, kernel[0], kernel[1], strides[0], strides[1], pads[0], pads[1]),
				List.of(input), new long[] { 1, x[1], height, width });
	}

	/** Outputs of a pool in ceil mode: rounding up, but no window may start in the end padding (ONNX, PyTorch). */
	private static long ceilWindow(long size, long kernel, long stride, long begin, long end) {
		long out = Math.floorDiv(size + begin + end - kernel + stride - 1, stride) + 1;
		if ((out - 1) * stride >= size + begin) {
			out--;
		}
		return out;
	}

	/**
	 * A two-dimensional attribute (kernel_shape, strides, dilations): two positive values, or {@code fallback}
	 * where it is absent; a missing kernel_shape, {@code fallback} null, is refused.
	 */
	private long[] pair(NodeProto node, String name, long[] fallback) throws OnnxFormatException, UnsupportedModelException {
		long[] values = integersAttribute(node, name, fallback);
		if (values == null) {
			throw unsupported(node, "a window without " + name);
		}
		if (values.length != 2 || values[0] <= 0 || values[1] <= 0) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " has " + name + " "
					+ Arrays.toString(values) + ": two positive values for a two-dimensional window");
		}
		return values;
	}

	private void globalAveragePool(NodeProto node) throws UnsupportedModelException {
		long[] x = activationShape(node, 0);
		if (x.length != 4) {
			throw unsupported(node, "a GlobalAveragePool of rank " + x.length);
		}
		layer(node, new ImportedOperation.GlobalAvgPool(), List.of(node.getInput(0)), new long[] { 1, x[1], 1, 1 });
	}

	private void add(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		String left = node.getInput(0);
		String right = node.getInput(1);
		if (constant(left) || constant(right)) {
			// MatMul + Add: the linear layer's bias
			String activation = constant(left) ? right : left;
			TensorProto bias = initializer(node, constant(left) ? 0 : 1, "the bias");
			LayerDraft linear = layerOfSymbol.get(symbols.get(activation));
			if (linear != null && linear.operation instanceof ImportedOperation.Linear l && !l.bias()
					&& linear.outputTensor.equals(activation) && readers.getOrDefault(activation, 0) == 1
					&& (dims(bias).length == 1 || dims(bias).length == 2 && bias.getDims(0) == 1)
					&& elementCount(bias) == l.out()) {
				linear.operation = new ImportedOperation.Linear(l.out(), true);
				linear.parameters.put("bias", ImportedNetwork.Parameter.of(bias));
				alias(node.getOutput(0), activation);
				return;
			}
			throw unsupported(node, "an Add of a constant that is not a MatMul's bias");
		}
		long[] a = activationShape(node, 0);
		long[] b = activationShape(node, 1);
		if (!Arrays.equals(a, b)) {
			throw unsupported(node, "an Add of shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
					+ " (broadcasting)");
		}
		layer(node, new ImportedOperation.Add(), List.of(left, right), a);
	}

	private void concat(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		boolean constants = true;
		for (String input : node.getInputList()) {
			TensorProto initializer = initializers.get(input);
			constants &= integers.containsKey(input) || initializer != null
					&& (initializer.getDataType() == INT64 || initializer.getDataType() == INT32);
		}
		if (constants) {
			List<Long> values = new ArrayList<>();
			for (int i = 0; i < node.getInputCount(); i++) {
				for (long value : integerConstant(node, i)) {
					values.add(value);
				}
			}
			integers.put(node.getOutput(0), values.stream().mapToLong(Long::longValue).toArray());
			return;
		}
		long[] first = activationShape(node, 0);
		long axis = normalizeAxis(integerAttribute(node, "axis", Long.MIN_VALUE), first.length);
		if (first.length != 4 || axis != 1) {
			throw unsupported(node, "a Concat along axis " + axis + " of rank " + first.length
					+ "; the language concatenates channels");
		}
		long channels = 0;
		for (int i = 0; i < node.getInputCount(); i++) {
			long[] shape = activationShape(node, i);
			if (shape.length != 4 || shape[2] != first[2] || shape[3] != first[3]) {
				throw unsupported(node, "a Concat of maps of different sizes");
			}
			channels += shape[1];
		}
		layer(node, new ImportedOperation.Concat(), node.getInputList(), new long[] { 1, channels, first[2], first[3] });
	}

	private void flatten(NodeProto node) throws UnsupportedModelException {
		long[] x = activationShape(node, 0);
		if (normalizeAxis(integerAttribute(node, "axis", 1), x.length) != 1) {
			throw unsupported(node, "a Flatten at axis " + integerAttribute(node, "axis", 1) + "; the language keeps"
					+ " the batch dimension alone (axis 1)");
		}
		flattenTo(node, x);
	}

	private void flattenTo(NodeProto node, long[] x) {
		if (x.length == 2) {
			alias(node.getOutput(0), node.getInput(0));
			return;
		}
		long features = 1;
		for (int d = 1; d < x.length; d++) {
			features *= x[d];
		}
		layer(node, new ImportedOperation.Flatten(), List.of(node.getInput(0)), new long[] { 1, features });
	}

	/** Reshape to (N, -1): a flatten; the shape a constant, often the folded subgraph of {@code x.view(x.size(0), -1)}. */
	private void reshape(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] x = activationShape(node, 0);
		long[] target = integerConstant(node, 1);
		long features = 1;
		for (int d = 1; d < x.length; d++) {
			features *= x[d];
		}
		boolean batch = target.length == 2 && (target[0] == 1 || target[0] == -1 || target[0] == 0);
		boolean rest = target.length == 2 && (target[1] == -1 || target[1] == features);
		boolean zeroIsZero = integerAttribute(node, "allowzero", 0) != 0 && target.length == 2 && target[0] == 0;
		if (!batch || !rest || zeroIsZero || (target[0] == -1 && target[1] == -1)) {
			throw unsupported(node, "a Reshape to " + Arrays.toString(target) + "; the language reshapes only to"
					+ " (N, -1), a flatten");
		}
		flattenTo(node, x);
	}

	private void gemm(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] a = activationShape(node, 0);
		TensorProto weight = initializer(node, 1, "the weights");
		if (a.length != 2 || weight.getDimsCount() != 2) {
			throw unsupported(node, "a Gemm of ranks " + a.length + " and " + weight.getDimsCount());
		}
		if (integerAttribute(node, "transA", 0) != 0 || floatAttribute(node, "alpha", 1) != 1
				|| floatAttribute(node, "beta", 1) != 1) {
			throw unsupported(node, "a Gemm with transA, or alpha or beta other than 1");
		}
		boolean transposed = integerAttribute(node, "transB", 0) == 0;
		long in = transposed ? weight.getDims(0) : weight.getDims(1);
		long out = transposed ? weight.getDims(1) : weight.getDims(0);
		if (in != a[1]) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " multiplies " + a[1]
					+ " features by weights " + Arrays.toString(dims(weight)));
		}
		Optional<TensorProto> bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
				? Optional.of(initializer(node, 2, "the bias"))
				: Optional.empty();
		if (bias.isPresent() && elementCount(bias.get()) != out) {
			throw unsupported(node, "a Gemm whose C of " + elementCount(bias.get()) + " values is broadcast to " + out);
		}
		LayerDraft layer = layer(node, new ImportedOperation.Linear(out, bias.isPresent()), List.of(node.getInput(0)),
				new long[] { 1, out });
		layer.parameters.put("weight", new ImportedNetwork.Parameter(weight, transposed, 0));
		bias.ifPresent(b -> layer.parameters.put("bias", ImportedNetwork.Parameter.of(b)));
	}

	private void matMul(NodeProto node) throws UnsupportedModelException, OnnxFormatException {
		long[] a = activationShape(node, 0);
		TensorProto weight = initializer(node, 1, "the weights");
		if (a.length != 2 || weight.getDimsCount() != 2 || weight.getDims(0) != a[1]) {
			throw unsupported(node, "a MatMul of " + Arrays.toString(a) + " by " + Arrays.toString(dims(weight))
					+ "; the language's linear layer multiplies (N, in) by constant (in, out) weights");
		}
		long out = weight.getDims(1);
		LayerDraft layer = layer(node, new ImportedOperation.Linear(out, false), List.of(node.getInput(0)),
				new long[] { 1, out });
		layer.parameters.put("weight", new ImportedNetwork.Parameter(weight, true, 0));
	}

	// ---------------------------------------------------------------- layers

	/** A layer under construction: a MatMul's takes its bias from the Add after it. */
	private static final class LayerDraft {
		final String name;
		final List<String> scope;
		ImportedOperation operation;
		final List<String> inputs;
		final String outputTensor;
		final Map<String, ImportedNetwork.Parameter> parameters = new LinkedHashMap<>();

		LayerDraft(String name, List<String> scope, ImportedOperation operation, List<String> inputs,
				String outputTensor) {
			this.name = name;
			this.scope = scope;
			this.operation = operation;
			this.inputs = inputs;
			this.outputTensor = outputTensor;
		}

		ImportedNetwork.Layer build() {
			return new ImportedNetwork.Layer(name, scope, operation, inputs, Map.copyOf(parameters));
		}
	}

	private LayerDraft layer(NodeProto node, ImportedOperation operation, List<String> inputTensors, long[] shape) {
		LayerNames.Named named = names.layer(node, operation);
		List<String> inputs = new ArrayList<>();
		for (String tensor : inputTensors) {
			inputs.add(symbols.get(tensor));
		}
		String output = node.getOutput(0);
		LayerDraft layer = new LayerDraft(named.name(), named.scope(), operation, List.copyOf(inputs), output);
		layers.add(layer);
		layerOfSymbol.put(layer.name, layer);
		symbols.put(output, layer.name);
		shapes.put(output, shape);
		return layer;
	}

	// ---------------------------------------------------------------- tensors and attributes

	private long[] activationShape(NodeProto node, int index) throws UnsupportedModelException {
		String tensor = node.getInput(index);
		if (padded.containsKey(tensor)) {
			throw unsupported(node, "a zero-padded tensor (a Pad) read by a " + node.getOpType() + "; only a Conv or an"
					+ " AveragePool takes a Pad as its padding");
		}
		long[] shape = shapes.get(tensor);
		if (shape == null) {
			throw unsupported(node, "a constant where the language takes a computed tensor (input " + index + ", '"
					+ tensor + "')");
		}
		return shape;
	}

	private TensorProto initializer(NodeProto node, int index, String what) throws UnsupportedModelException {
		String tensor = node.getInput(index);
		TensorProto initializer = initializers.get(tensor);
		if (initializer == null) {
			throw unsupported(node, what + " computed by the graph ('" + tensor + "'); the importer takes constant"
					+ " weights");
		}
		if (initializer.getDataType() != FLOAT && initializer.getDataType() != DOUBLE) {
			throw unsupported(node, what + " of ONNX data type " + initializer.getDataType() + "; the importer reads"
					+ " float weights (a quantized model is imported from its float original)");
		}
		return initializer;
	}

	private long[] integerConstant(NodeProto node, int index) throws UnsupportedModelException, OnnxFormatException {
		String tensor = node.getInput(index);
		if (integers.containsKey(tensor)) {
			return integers.get(tensor);
		}
		TensorProto initializer = initializers.get(tensor);
		if (initializer != null && (initializer.getDataType() == INT64 || initializer.getDataType() == INT32)) {
			long[] values = integerValues(node, initializer);
			integers.put(tensor, values);
			return values;
		}
		throw unsupported(node, "a computed tensor where the importer folds constants (input " + index + ", '" + tensor
				+ "')");
	}

	/** A constant boolean or integer scalar input. */
	private long integerOrBoolean(NodeProto node, int index) throws UnsupportedModelException, OnnxFormatException {
		TensorProto tensor = initializers.get(node.getInput(index));
		if (tensor != null && tensor.getDataType() == TensorProto.DataType.BOOL_VALUE) {
			return tensor.getRawData().isEmpty() ? tensor.getInt32Data(0) : tensor.getRawData().byteAt(0);
		}
		long[] values = integerConstant(node, index);
		if (values.length != 1) {
			throw unsupported(node, "a training mode that is not a scalar");
		}
		return values[0];
	}

	private double scalar(NodeProto node, int index) throws UnsupportedModelException, OnnxFormatException {
		String tensor = node.getInput(index);
		double[] values = floats.get(tensor);
		if (values == null && initializers.containsKey(tensor)) {
			values = floatValues(initializers.get(tensor));
		}
		if (values == null && integers.containsKey(tensor)) {
			values = Arrays.stream(integers.get(tensor)).asDoubleStream().toArray();
		}
		if (values == null || values.length != 1) {
			throw unsupported(node, "a bound that is not a constant scalar (input " + index + ", '" + tensor + "')");
		}
		return values[0];
	}

	private long[] integerValues(NodeProto node, TensorProto tensor) throws OnnxFormatException {
		long count = elementCount(tensor);
		if (tensor.getDataType() == INT64 && tensor.getInt64DataCount() == count) {
			return tensor.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
		}
		if (tensor.getDataType() == INT32 && tensor.getInt32DataCount() == count) {
			return tensor.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
		}
		ByteBuffer raw = TensorData.raw(file, tensor).order(ByteOrder.LITTLE_ENDIAN);
		int size = tensor.getDataType() == INT64 ? 8 : 4;
		if (raw.remaining() != count * size) {
			throw new OnnxFormatException(file.path() + ": node " + describe(node) + " has a constant of " + count
					+ " values in " + raw.remaining() + " bytes");
		}
		long[] values = new long[(int) count];
		for (int i = 0; i < count; i++) {
			values[i] = size == 8 ? raw.getLong() : raw.getInt();
		}
		return values;
	}

	private double[] floatValues(TensorProto tensor) throws OnnxFormatException {
		float[] values = TensorData.floats(file, tensor);
		double[] result = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			result[i] = values[i];
		}
		return result;
	}

	static long elementCount(TensorProto tensor) {
		long count = 1;
		for (long dim : tensor.getDimsList()) {
			count *= dim;
		}
		return count;
	}

	private static long[] dims(TensorProto tensor) {
		return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
	}

	private static Optional<AttributeProto> attribute(NodeProto node, String name) {
		for (AttributeProto attribute : node.getAttributeList()) {
			if (attribute.getName().equals(name)) {
				return Optional.of(attribute);
			}
		}
		return Optional.empty();
	}

	private static long integerAttribute(NodeProto node, String name, long fallback) {
		return attribute(node, name).map(AttributeProto::getI).orElse(fallback);
	}

	private static double floatAttribute(NodeProto node, String name, double fallback) {
		return attribute(node, name).map(a -> (double) a.getF()).orElse(fallback);
	}

	private static String stringAttribute(NodeProto node, String name, String fallback) {
		return attribute(node, name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
	}

	private static long[] integersAttribute(NodeProto node, String name, long[] fallback) {
		return attribute(node, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
				.orElse(fallback);
	}

	private static long normalizeAxis(long axis, long rank) {
		return axis < 0 ? axis + rank : axis;
	}

	// ---------------------------------------------------------------- errors

	private UnsupportedModelException unsupported(NodeProto node, String what) {
		return new UnsupportedModelException(file.path() + ": node " + describe(node) + " is not supported: " + what
				+ ".\n  path from the input: " + path(node) + "\n  supported: " + SUPPORTED);
	}

	private static String describe(NodeProto node) {
		return "'" + (node.getName().isEmpty() ? "(unnamed)" : node.getName()) + "' (" + node.getOpType()
				+ ", inputs: " + String.join(", ", node.getInputList()) + ")";
	}

	/**
	 * The nodes from the graph's input to {@code node}, each step back through the node's first input computed from
	 * the input; a long path keeps its first three and last four.
	 */
	private String path(NodeProto node) {
		Deque<String> steps = new ArrayDeque<>();
		steps.push(node.getOpType() + " '" + node.getName() + "'");
		Set<NodeProto> seen = new HashSet<>();
		NodeProto current = node;
		while (current != null && seen.add(current)) {
			NodeProto before = null;
			for (String input : current.getInputList()) {
				if (input.equals(inputTensor)) {
					before = null;
					break;
				}
				if (producers.containsKey(input) && shapes.containsKey(input)) {
					before = producers.get(input);
					break;
				}
			}
			if (before != null) {
				steps.push(before.getOpType() + " '" + before.getName() + "'");
			}
			current = before;
		}
		steps.push("input '" + inputTensor + "'");
		List<String> all = new ArrayList<>(steps);
		if (all.size() > 8) {
			List<String> shortened = new ArrayList<>(all.subList(0, 3));
			shortened.add("... (" + (all.size() - 7) + " more)");
			shortened.addAll(all.subList(all.size() - 4, all.size()));
			all = shortened;
		}
		return String.join(" -> ", all);
	}
}
