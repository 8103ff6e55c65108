package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.PlatformUI;
import org.ilmpq.dsl.ui.wizards.ImportOnnxWizard;
import org.ilmpq.onnx.proto.OnnxProto.AttributeProto;
import org.ilmpq.onnx.proto.OnnxProto.GraphProto;
import org.ilmpq.onnx.proto.OnnxProto.ModelProto;
import org.ilmpq.onnx.proto.OnnxProto.NodeProto;
import org.ilmpq.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorProto;
import org.ilmpq.onnx.proto.OnnxProto.TensorShapeProto;
import org.ilmpq.onnx.proto.OnnxProto.TypeProto;
import org.ilmpq.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File > Import... > ILMPQ > ONNX Model, on models built here with the ONNX message classes. */
class ImportWizardTest {

	@TempDir
	Path dir;

	private IProject project;

	@AfterEach
	void deleteProject() throws CoreException {
		Workbench.closeAll();
		if (project != null) {
			project.delete(true, true, null);
		}
	}

	/** input (1, 3, 8, 8) -> Conv 4 x 3 x 3, padding 1 -> {@code activation} -> GlobalAveragePool -> Flatten -> Gemm 10. */
	private Path model(String activation) throws IOException {
		TensorProto weight = floats("w", 4, 3, 3, 3);
		TensorProto bias = floats("b", 4);
		TensorProto fcWeight = floats("fc_w", 10, 4);
		TensorProto fcBias = floats("fc_b", 10);
		GraphProto graph = GraphProto.newBuilder().setName("tiny")
				.addInput(ValueInfoProto.newBuilder().setName("input").setType(TypeProto.newBuilder()
						.setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape(1, 3, 8, 8)))))
				.addOutput(ValueInfoProto.newBuilder().setName("output"))
				.addInitializer(weight).addInitializer(bias).addInitializer(fcWeight).addInitializer(fcBias)
				.addNode(NodeProto.newBuilder().setName("/conv1/Conv").setOpType("Conv").addInput("input").addInput("w")
						.addInput("b").addOutput("c").addAttribute(ints("pads", 1, 1, 1, 1)))
				.addNode(NodeProto.newBuilder().setName("/act/" + activation).setOpType(activation).addInput("c")
						.addOutput("r"))
				.addNode(NodeProto.newBuilder().setName("/GlobalAveragePool").setOpType("GlobalAveragePool")
						.addInput("r").addOutput("g"))
				.addNode(NodeProto.newBuilder().setName("/Flatten").setOpType("Flatten").addInput("g").addOutput("f"))
				.addNode(NodeProto.newBuilder().setName("/fc/Gemm").setOpType("Gemm").addInput("f").addInput("fc_w")
						.addInput("fc_b").addOutput("output").addAttribute(AttributeProto.newBuilder().setName("transB")
								.setType(AttributeProto.AttributeType.INT).setI(1)))
				.build();
		ModelProto model = ModelProto.newBuilder().setIrVersion(7).setProducerName("ImportWizardTest")
				.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build();
		Path file = dir.resolve("tiny_" + activation.toLowerCase() + ".onnx");
		Files.write(file, model.toByteArray());
		return file;
	}

	private static TensorProto floats(String name, long... dims) {
		long count = 1;
		for (long dim : dims) {
			count *= dim;
		}
		TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(1);
		for (long dim : dims) {
			tensor.addDims(dim);
		}
		return tensor.addAllFloatData(Collections.nCopies((int) count, 0.25f)).build();
	}

	private static TensorShapeProto shape(long... dims) {
		TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (long dim : dims) {
			shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
		}
		return shape.build();
	}

	private static AttributeProto ints(String name, long... values) {
		AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
				.setType(AttributeProto.AttributeType.INTS);
		for (long value : values) {
			attribute.addInts(value);
		}
		return attribute.build();
	}

	/**
	 * Opens the wizard on a new project, fills its page with {@code choose}, presses Finish and closes it; returns
	 * whether it finished, the page's error message and its file name.
	 */
	private Finished finish(Consumer<ImportOnnxWizard.Page> choose) throws CoreException {
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("import-test");
		project.create(null);
		project.open(null);
		ImportOnnxWizard wizard = new ImportOnnxWizard();
		wizard.init(PlatformUI.getWorkbench(), new StructuredSelection(project));
		WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			choose.accept(wizard.page());
			return new Finished(wizard.performFinish(), wizard.page().getErrorMessage(), wizard.page().getFileName());
		} finally {
			dialog.close();
		}
	}

	private record Finished(boolean done, String error, String fileName) {
	}

	@Test
	void theWizardWritesTheSpecAndTheFloatWeightsIntoTheProject() throws Exception {
		Path model = model("Relu");
		Finished finished = finish(page -> page.choose(model.toString(), true));
		assertTrue(finished.done(), finished.error());
		assertEquals("tiny_relu.ilmpq", finished.fileName(), "the spec is named after the model");
		IFile spec = project.getFile("tiny_relu.ilmpq");
		String text = Workbench.text(spec);
		assertTrue(text.contains("\nnetwork tiny_relu\n"), text);
		assertTrue(text.endsWith("""
				input image: 3 x 8 x 8

				conv1 = conv(image, out=4, kernel=3, padding=1)
				act = relu(conv1)
				gap = globalavgpool(act)
				flat = flatten(gap)
				fc = linear(flat, out=10)
				output fc
				"""), text);
		assertTrue(project.getFile("tiny_relu-float.npz").exists(), "the float weights beside the spec");
		List<String> errors = Workbench.markers(spec).stream().filter(m -> m.contains(":error:")).toList();
		assertEquals(List.of(), errors);
	}

	@Test
	void aSpecWithErrorsIsNotWrittenAndThePageSaysWhy() throws Exception {
		Path model = model("Relu");
		Finished finished = finish(page -> {
			page.choose(model.toString(), false);
			page.target("NO-SUCH-BOARD");
		});
		assertFalse(finished.done());
		assertTrue(finished.error().startsWith("the imported spec has errors: line "), finished.error());
		assertTrue(finished.error().contains("NO-SUCH-BOARD"), finished.error());
		assertFalse(project.getFile("tiny_relu.ilmpq").exists());
	}

	@Test
	void aModelTheImporterRefusesWritesNothingAndThePageSaysWhy() throws Exception {
		Path model = model("HardSwish");
		Finished finished = finish(page -> page.choose(model.toString(), false));
		assertFalse(finished.done());
		assertTrue(finished.error().contains("node '/act/HardSwish' (HardSwish, inputs: c) is not supported: "
				+ "operator HardSwish."), finished.error());
		assertFalse(project.getFile("tiny_hardswish.ilmpq").exists());
	}
}
