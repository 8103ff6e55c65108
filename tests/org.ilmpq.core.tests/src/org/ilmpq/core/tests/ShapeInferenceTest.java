package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.InputTensor;
import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Network;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Operation.Conv2d;
import org.ilmpq.core.model.Operation.Grouping;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.QuantizationPolicy;
import org.junit.jupiter.api.Test;

/** The shape rules, MAC and parameter counts of the core model, as PyTorch computes them. */
class ShapeInferenceTest {

	private static Conv2d conv(long out, long kernel, long stride, long padding) {
		return new Conv2d(OptionalLong.of(out), Size2d.square(kernel), Size2d.square(stride), Size2d.square(padding),
				Size2d.square(1), Grouping.NONE, false);
	}

	private static NetworkAnalysis analyze(TensorShape input, Layer... layers) {
		Network network = new Network("n", List.of(new InputTensor("x", input)), List.of(layers),
				layers[layers.length - 1].name());
		return NetworkAnalysis.of(network, QuantizationPolicy.none());
	}

	@Test
	void convolutionFollowsPyTorchsOutputSizeFormula() {
		// ResNet's stem: 224 -> floor((224 + 2*3 - 7) / 2) + 1 = 112
		LayerFacts stem = analyze(new TensorShape(3, 224, 224), new Layer("c", conv(64, 7, 2, 3), List.of("x")))
				.facts("c").orElseThrow();
		assertEquals(new TensorShape(64, 112, 112), stem.output());
		assertEquals(64L * 112 * 112 * 3 * 7 * 7, stem.macs());
		assertEquals(64L * 3 * 7 * 7, stem.parameters());
		assertEquals(64, stem.rows());
	}

	@Test
	void aConvolutionWithBiasHasOneMoreParameterPerRow() {
		Conv2d withBias = new Conv2d(OptionalLong.of(8), Size2d.square(3), Size2d.square(1), Size2d.square(1),
				Size2d.square(1), Grouping.NONE, true);
		assertEquals(8L * 4 * 9 + 8, analyze(new TensorShape(4, 5, 5), new Layer("c", withBias, List.of("x")))
				.facts("c").orElseThrow().parameters());
	}

	@Test
	void dilationWidensTheKernel() {
		Conv2d dilated = new Conv2d(OptionalLong.of(8), Size2d.square(3), Size2d.square(1), Size2d.square(0),
				Size2d.square(2), Grouping.NONE, false);
		// extent 2*(3-1)+1 = 5: 16 - 5 + 1 = 12
		assertEquals(new TensorShape(8, 12, 12), analyze(new TensorShape(4, 16, 16),
				new Layer("c", dilated, List.of("x"))).shapeOf("c").orElseThrow());
	}

	@Test
	void nonSquareKernelsAndStrides() {
		Conv2d conv = new Conv2d(OptionalLong.of(8), new Size2d(1, 7), new Size2d(1, 2), new Size2d(0, 3),
				Size2d.square(1), Grouping.NONE, false);
		assertEquals(new TensorShape(8, 17, 9), analyze(new TensorShape(4, 17, 17), new Layer("c", conv, List.of("x")))
				.shapeOf("c").orElseThrow());
	}

	@Test
	void poolingStrideDefaultsToTheKernelAndFloors() {
		Operation pool = new Operation.Pool2d(Operation.Pool2d.Kind.MAX, Size2d.square(2), Size2d.square(2),
				Size2d.square(0));
		assertEquals(new TensorShape(16, 3, 3), analyze(new TensorShape(16, 7, 7), new Layer("p", pool, List.of("x")))
				.shapeOf("p").orElseThrow());
	}

	@Test
	void batchNormHasAScaleAndAShiftPerChannel() {
		assertEquals(2L * 16, analyze(new TensorShape(16, 7, 7), new Layer("b", new Operation.BatchNorm(), List.of("x")))
				.facts("b").orElseThrow().parameters());
	}

	@Test
	void globalPoolingAndFlattenMakeVectorsForLinearLayers() {
		NetworkAnalysis analysis = analyze(new TensorShape(512, 7, 7),
				new Layer("g", new Operation.GlobalAvgPool(), List.of("x")),
				new Layer("f", new Operation.Flatten(), List.of("g")),
				new Layer("fc", new Operation.Linear(1000, true), List.of("f")));
		assertEquals(TensorShape.flat(512), analysis.shapeOf("f").orElseThrow());
		LayerFacts fc = analysis.facts("fc").orElseThrow();
		assertEquals(512L * 1000, fc.macs());
		assertEquals(512L * 1000 + 1000, fc.parameters());
		assertEquals(1000, fc.rows());
	}

	@Test
	void flattenKeepsEveryValue() {
		assertEquals(TensorShape.flat(512L * 7 * 7), analyze(new TensorShape(512, 7, 7),
				new Layer("f", new Operation.Flatten(), List.of("x"))).shapeOf("f").orElseThrow());
	}

	@Test
	void aChainOfTenThousandLayersNeedsNoRecursion() {
		List<Layer> layers = new ArrayList<>();
		String previous = "x";
		for (int i = 0; i < 10_000; i++) {
			layers.add(new Layer("l" + i, i % 2 == 0 ? conv(8, 3, 1, 1) : new Operation.Activation(
					Operation.Activation.Function.RELU), List.of(previous)));
			previous = "l" + i;
		}
		NetworkAnalysis analysis = NetworkAnalysis.of(new Network("chain", List.of(new InputTensor("x",
				new TensorShape(8, 16, 16))), layers, previous), QuantizationPolicy.none());
		assertEquals(List.of(), analysis.problems());
		assertEquals(5_000L * 8 * 16 * 16 * 8 * 9, analysis.totalMacs());
		assertEquals(new TensorShape(8, 16, 16), analysis.shapeOf("l9999").orElseThrow());
	}

	@Test
	void aLongCycleIsFoundWithoutRecursionToo() {
		List<Layer> layers = new ArrayList<>();
		layers.add(new Layer("l0", new Operation.Add(), List.of("x", "l9999")));
		for (int i = 1; i < 10_000; i++) {
			layers.add(new Layer("l" + i, new Operation.Activation(Operation.Activation.Function.RELU),
					List.of("l" + (i - 1))));
		}
		NetworkAnalysis analysis = NetworkAnalysis.of(new Network("ring", List.of(new InputTensor("x",
				new TensorShape(8, 16, 16))), layers, "l9999"), QuantizationPolicy.none());
		assertEquals(10_000, analysis.problems().size());
		assertEquals("'l0' is on a cycle: l0 reads l9999, which reads l9998, which reads l9997, which reads l9996, "
				+ "which reads l9995, ... (10000 layers in all), which reads l0", analysis.problems().get(0).message());
	}
}
