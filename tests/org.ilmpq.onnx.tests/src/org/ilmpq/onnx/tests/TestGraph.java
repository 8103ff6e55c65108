package org.ilmpq.onnx.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.ilmpq.onnx.proto.OnnxProto.AttributeProto;
import org.ilmpq.onnx.proto.OnnxProto.GraphProto;
import org.ilmpq.onnx.proto.OnnxProto.ModelProto;
import org.ilmpq.onnx.proto.OnnxProto.NodeProto;
import org.ilmpq.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.ilmpq.onnx.proto.OnnxProto.StringStringEntryProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorShapeProto;
import org.ilmpq.onnx.proto.OnnxProto.TypeProto;
import org.ilmpq.onnx.proto.OnnxProto.ValueInfoProto;

import com.google.protobuf.ByteString;

/** A small ONNX model written the way a test reads best: input, initializers, nodes in order, output. */
final class TestGraph {

	private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");

	/** The graph's input, of the given dimensions (batch first). */
	TestGraph input(String name, long... dims) {
		TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (long dim : dims) {
			shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
		}
		graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(
				TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
		return this;
	}

	/** A float initializer of the given dimensions, every value 0.5. */
	TestGraph weights(String name, long... dims) {
		graph.addInitializer(floats(name, dims));
		return this;
	}

	/** An int64 initializer. */
	TestGraph integers(String name, long... values) {
		graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
				.addDims(values.length).addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
		return this;
	}

	/** A float initializer whose values lie in {@code location}, beside the model (ONNX external data). */
	TestGraph externalWeights(String name, String location, long... dims) {
		graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
				.addAllDims(java.util.Arrays.stream(dims).boxed().toList())
				.setDataLocation(TensorProto.DataLocation.EXTERNAL)
				.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)));
		return this;
	}

	TestGraph node(String name, String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
		graph.addNode(NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addAllOutput(outputs)
				.addAllAttribute(List.of(attributes)));
		return this;
	}

	TestGraph output(String name) {
		graph.addOutput(ValueInfoProto.newBuilder().setName(name));
		return this;
	}

	/** The model at {@code opset}, written to {@code file}. */
	Path write(Path file, int opset) throws IOException {
		ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("TestGraph")
				.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
		Files.write(file, model.toByteArray());
		return file;
	}

	static TensorProto floats(String name, long... dims) {
		long count = 1;
		for (long dim : dims) {
			count *= dim;
		}
		return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
				.addAllDims(java.util.Arrays.stream(dims).boxed().toList())
				.addAllFloatData(Collections.nCopies((int) count, 0.5f)).build();
	}

	static AttributeProto ints(String name, long... values) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
				.addAllInts(java.util.Arrays.stream(values).boxed().toList()).build();
	}

	static AttributeProto integer(String name, long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
	}

	static AttributeProto string(String name, String value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
				.setS(ByteString.copyFromUtf8(value)).build();
	}
}
