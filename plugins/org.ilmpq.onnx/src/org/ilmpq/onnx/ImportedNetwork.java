package org.ilmpq.onnx;

import java.util.List;
import java.util.Map;

import org.ilmpq.onnx.proto.OnnxProto.TensorProto;

/**
 * What an ONNX graph becomes: one input, the layers a spec writes, in the graph's (topological) order, and the
 * output.
 *
 * @param name the network's name
 * @param input the graph's input
 * @param layers the layers
 * @param output the layer whose tensor is the graph's output
 * @param source the model file
 */
public record ImportedNetwork(String name, Input input, List<Layer> layers, String output, OnnxModelFile source) {

	/** The graph's input: its name and shape without the batch dimension (C, H, W, or features). */
	public record Input(String name, List<Long> dims) {
	}

	/**
	 * A layer: its name in the spec, the module path it came from (PyTorch's scopes, e.g. [layer1, 0, conv1]; empty
	 * where the node name has none), its operation and input tensors, and its float parameters by
	 * PyTorch's name (weight, bias, running_mean, running_var), each an initializer of the model.
	 */
	public record Layer(String name, List<String> scope, ImportedOperation operation, List<String> inputs,
			Map<String, Parameter> parameters) {
	}

	/**
	 * A float parameter: the initializer that holds it, whether the layer reads it transposed (a MatMul's or a Gemm's
	 * (in, out) weight, which PyTorch's Linear holds as (out, in)), and what is added to every value (a BatchNorm's
	 * epsilon above PyTorch's, which joins the running variance).
	 */
	public record Parameter(TensorProto tensor, boolean transposed, double offset) {

		static Parameter of(TensorProto tensor) {
			return new Parameter(tensor, false, 0);
		}
	}
}
