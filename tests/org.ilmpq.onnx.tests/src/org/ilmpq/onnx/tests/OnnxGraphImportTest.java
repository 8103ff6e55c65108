package org.ilmpq.onnx.tests;

import static org.ilmpq.onnx.tests.TestGraph.integer;
import static org.ilmpq.onnx.tests.TestGraph.ints;
import static org.ilmpq.onnx.tests.TestGraph.string;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.ilmpq.onnx.ImportedSpecWriter;
import org.ilmpq.onnx.OnnxFormatException;
import org.ilmpq.onnx.OnnxImport;
import org.ilmpq.onnx.UnsupportedModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How ONNX's operators map to the language, or are refused, where the models PyTorch exports (ImportCommandTest)
 * do not go: each test a graph of a few nodes, built with the message classes.
 */
class OnnxGraphImportTest {

	private static final ImportedSpecWriter.Settings SETTINGS = new ImportedSpecWriter.Settings("PYNQ-Z2", "100",
			ImportedSpecWriter.Settings.DEFAULT_SPLIT, "OnnxGraphImportTest");

	@TempDir
	Path dir;

	private String spec(TestGraph graph, int opset) throws Exception {
		Path model = graph.write(dir.resolve("model.onnx"), opset);
		return OnnxImport.run(new OnnxImport.Request(model, Optional.empty(), "model", SETTINGS)).spec().text();
	}

	private String refusal(TestGraph graph, int opset) throws IOException {
		Path model = graph.write(dir.resolve("model.onnx"), opset);
		return assertThrows(UnsupportedModelException.class,
				() -> OnnxImport.run(new OnnxImport.Request(model, Optional.empty(), "model", SETTINGS))).getMessage();
	}

	/** input (1, 8, 7, 7) -> a MaxPool of 3 x 3, stride 2 and the given pads and ceil mode. */
	private static TestGraph pool(long ceil, long... pads) {
		return new TestGraph().input("x", 1, 8, 7, 7)
				.node("/pool/MaxPool", "MaxPool", List.of("x"), List.of("y"), ints("kernel_shape", 3, 3),
						ints("strides", 2, 2), ints("pads", pads), integer("ceil_mode", ceil))
				.output("y");
	}

	@Test
	void endPaddingThatNoWindowReachesIsLeftOut() throws Exception {
		// 7 rows, windows of 3 every 2 from row 0: 0-2, 2-4, 4-6; the padding row 7 is never read
		assertTrue(spec(pool(0, 0, 0, 1, 1), 13).endsWith("pool = maxpool(x, kernel=3, stride=2)\noutput pool\n"));
	}

	@Test
	void aCeilModeThatChangesTheSizeIsRefusedEvenWhereItsPaddingLooksUnused() throws IOException {
		// rounding up, a fourth window starts at row 6 and reads the end padding: 4 x 4 outputs, not 3 x 3
		String message = refusal(pool(1, 0, 0, 1, 1), 13);
		assertTrue(message.contains("node '/pool/MaxPool' (MaxPool, inputs: x) is not supported: ceil_mode 1, which "
				+ "gives 4 x 4 outputs where the language's pools (rounding down) give 3 x 3."), message);
	}

	@Test
	void asymmetricPaddingThatWindowsReadIsRefused() throws IOException {
		String message = refusal(pool(0, 1, 1, 0, 0), 13);
		assertTrue(message.contains("is not supported: asymmetric padding [1, 1, 0, 0] (begin H, W, end H, W); the "
				+ "language pads both sides of a dimension alike."), message);
	}

	@Test
	void aPadOfZerosBeforeAConvIsItsPaddingAndItsSamePaddingCountsIt() throws Exception {
		// Pad 1 makes the 7 x 7 input 9 x 9; SAME_UPPER at stride 3 then needs no padding of its own: windows at -1,
		// 2, 5 of the input, a padding of 1
		TestGraph graph = new TestGraph().input("x", 1, 2, 7, 7).weights("w", 4, 2, 3, 3).integers("pads", 0, 0, 1, 1, 0, 0, 1, 1)
				.node("/pad/Pad", "Pad", List.of("x", "pads"), List.of("p"), string("mode", "constant"))
				.node("/conv/Conv", "Conv", List.of("p", "w"), List.of("y"), ints("strides", 3, 3),
						string("auto_pad", "SAME_UPPER"))
				.output("y");
		String text = spec(graph, 13);
		assertTrue(text.endsWith("conv_ = conv(x, out=4, kernel=3, stride=3, padding=1, bias=false)\noutput conv_\n"),
				text);
	}

	@Test
	void aBatchNormalizationOfTrainingModeIsRefusedWhetherOrNotItsStatisticsAreRead() throws IOException {
		// before opset 14, the outputs of the running statistics make it training mode: the batch's statistics
		TestGraph graph = new TestGraph().input("x", 1, 4, 5, 5).weights("s", 4).weights("b", 4).weights("m", 4)
				.weights("v", 4)
				.node("/bn/BatchNormalization", "BatchNormalization", List.of("x", "s", "b", "m", "v"),
						List.of("y", "mean", "var", "saved_mean", "saved_var"))
				.output("y");
		assertTrue(refusal(graph, 13).contains("is not supported: a BatchNormalization with the outputs of training "
				+ "mode (export the model in eval mode)."));
	}

	@Test
	void aMatMulBiasThatBroadcastsToAMatrixIsRefused() throws IOException {
		// a bias of (10, 1) added to (1, 10) gives (10, 10): not a linear layer's bias
		TestGraph graph = new TestGraph().input("x", 1, 16).weights("w", 16, 10).weights("b", 10, 1)
				.node("/fc/MatMul", "MatMul", List.of("x", "w"), List.of("h"))
				.node("/fc/Add", "Add", List.of("h", "b"), List.of("y")).output("y");
		assertTrue(refusal(graph, 13).contains("node '/fc/Add' (Add, inputs: h, b) is not supported: an Add of a "
				+ "constant that is not a MatMul's bias."));
	}

	@Test
	void externalDataOutsideTheModelsFolderIsRefusedBeforeItIsRead() throws IOException {
		TestGraph graph = new TestGraph().input("x", 1, 16).externalWeights("w", "../secret.bin", 10, 16)
				.node("/fc/Gemm", "Gemm", List.of("x", "w"), List.of("y"), integer("transB", 1)).output("y");
		Path model = graph.write(dir.resolve("model.onnx"), 13);
		OnnxImport.Result imported = assertDoesNotThrowImport(model);
		OnnxFormatException refused = assertThrows(OnnxFormatException.class,
				() -> imported.writeWeights(java.io.OutputStream.nullOutputStream()));
		assertTrue(refused.getMessage().endsWith(": initializer 'w' has its data at '../secret.bin', outside the "
				+ "model's folder"), refused.getMessage());
	}

	private OnnxImport.Result assertDoesNotThrowImport(Path model) {
		try {
			return OnnxImport.run(new OnnxImport.Request(model, Optional.empty(), "model", SETTINGS));
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void aMalformedAttributeIsAFormatErrorNotACrash() throws IOException {
		TestGraph graph = new TestGraph().input("x", 1, 2, 7, 7).weights("w", 4, 2, 3, 3)
				.node("/conv/Conv", "Conv", List.of("x", "w"), List.of("y"), ints("strides", 0)).output("y");
		Path model = graph.write(dir.resolve("model.onnx"), 13);
		OnnxFormatException refused = assertThrows(OnnxFormatException.class,
				() -> OnnxImport.run(new OnnxImport.Request(model, Optional.empty(), "model", SETTINGS)));
		assertTrue(refused.getMessage().endsWith("has strides [0]: two positive values for a two-dimensional window"),
				refused.getMessage());
	}
}
