package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.Layer;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/**
 * Lowering to the core model: block expansion, parameters, and which split each layer takes (layer, then the
 * first/last-layer policy, then the nearest enclosing block instance, then the nearest enclosing block, then the
 * network).
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class LoweringTest {

	@Inject
	private SpecFixture fixture;

	private static final String RESIDUAL = """
			network n
			quantization {
			    split 60 % pot 4, 40 % fixed 4
			}
			block Residual(tensor x, int channels, int expand = channels * 2) {
			    c1 = conv(x, out=expand, kernel=1)
			    c2 = conv(c1, out=channels, kernel=3, padding=1)
			    s = add(c2, x)
			    output s
			}
			input image: 16 x 8 x 8
			r1 = Residual(image, channels=16)
			r2 = Residual(r1, channels=16, expand=64)
			output r2
			""";

	@Test
	void blockInstancesExpandToLayersNamedAfterTheInstance() {
		assertEquals("r1.c1 r1.c2 r1.s r2.c1 r2.c2 r2.s", names(fixture.analyze(RESIDUAL)));
	}

	@Test
	void instancesReadWhatTheirArgumentsStandFor() {
		List<Layer> layers = fixture.analyze(RESIDUAL).lowered().spec().network().layers();
		assertEquals(List.of("image"), layers.get(0).inputs());
		assertEquals(List.of("r1.c2", "image"), layers.get(2).inputs());
		assertEquals(List.of("r1.s"), layers.get(3).inputs());
		assertEquals("r2.s", fixture.analyze(RESIDUAL).lowered().spec().network().output());
	}

	@Test
	void defaultsMayUseEarlierParametersAndArgumentsOverrideThem() {
		NetworkAnalysis network = fixture.analyze(RESIDUAL).network();
		assertEquals("32 x 8 x 8", network.shapeOf("r1.c1").orElseThrow().toString());
		assertEquals("64 x 8 x 8", network.shapeOf("r2.c1").orElseThrow().toString());
	}

	@Test
	void nestedBlocksExpandToNestedNames() {
		SpecAnalysis analysis = fixture.analyze("""
				network n
				block Inner(tensor t, int c) {
				    conv1 = conv(t, out=c, kernel=1)
				    output conv1
				}
				block Outer(tensor t) {
				    first = Inner(t, c=8)
				    second = Inner(first, c=4)
				    output second
				}
				input x: 3 x 8 x 8
				o = Outer(x)
				output o
				""");
		assertEquals("o.first.conv1 o.second.conv1", names(analysis));
		assertEquals("4 x 8 x 8", analysis.network().shapeOf(analysis.lowered().spec().network().output())
				.orElseThrow().toString());
	}

	@Test
	void aBlockMayPassItsInputThrough() {
		SpecAnalysis analysis = fixture.analyze("""
				network n
				block Identity(tensor t) {
				    output t
				}
				input x: 3 x 8 x 8
				i = Identity(x)
				c = conv(i, out=4, kernel=1)
				output c
				""");
		assertEquals(List.of("x"), analysis.lowered().spec().network().layers().get(0).inputs());
	}

	private static final String PRECEDENCE = """
			network n
			quantization {
			    split 60 % pot 4, 40 % fixed 4
			    first layer fixed 8
			}
			block Plain(tensor t) {
			    a = conv(t, out=10, kernel=1)
			    b = conv(a, out=10, kernel=1) split 50 % pot 4, 50 % fixed 4
			    output b
			}
			block Own(tensor t) {
			    split 80 % pot 4, 20 % fixed 8
			    a = conv(t, out=10, kernel=1)
			    p = Plain(a)
			    output p
			}
			input x: 3 x 8 x 8
			stem = conv(x, out=10, kernel=1)
			plain = Plain(stem)
			own = Own(plain)
			called = Own(own) split fixed 4
			head = conv(called, out=10, kernel=1) split fixed 8
			output head
			""";

	@Test
	void theFirstLayerPolicyComesBeforeEveryBlockAndNetworkSplit() {
		assertEquals("first layer: fixed 8 -> 10 fixed 8", split(PRECEDENCE, "stem"));
	}

	@Test
	void aLayerWithoutSplitInABlockWithoutSplitTakesTheNetworkDefault() {
		assertEquals("network: 60 % pot 4, 40 % fixed 4 -> 6 pot 4, 4 fixed 4", split(PRECEDENCE, "plain.a"));
	}

	@Test
	void aLayersOwnSplitWinsOverEverythingElse() {
		assertEquals("layer: 50 % pot 4, 50 % fixed 4 -> 5 pot 4, 5 fixed 4", split(PRECEDENCE, "own.p.b"));
		assertEquals("layer: fixed 8 -> 10 fixed 8", split(PRECEDENCE, "head"));
	}

	@Test
	void aBlockSplitCoversItsLayersAndTheBlocksNestedInIt() {
		assertEquals("block Own: 80 % pot 4, 20 % fixed 8 -> 8 pot 4, 2 fixed 8", split(PRECEDENCE, "own.a"));
		assertEquals("block Own: 80 % pot 4, 20 % fixed 8 -> 8 pot 4, 2 fixed 8", split(PRECEDENCE, "own.p.a"));
	}

	@Test
	void anInstanceSplitWinsOverTheSplitOfItsBlock() {
		assertEquals("block instance called: fixed 4 -> 10 fixed 4", split(PRECEDENCE, "called.a"));
		assertEquals("block instance called: fixed 4 -> 10 fixed 4", split(PRECEDENCE, "called.p.a"));
	}

	@Test
	void theLastLayerPolicyAppliesToTheWeightLayersWithNoWeightLayerAfterThem() {
		SpecAnalysis analysis = fixture.analyze("""
				network n
				quantization {
				    split 60 % pot 4, 40 % fixed 4
				    last layer fixed 8
				}
				input x: 3 x 8 x 8
				left = conv(x, out=10, kernel=1)
				right = conv(x, out=10, kernel=1)
				both = add(left, right)
				act = relu(both)
				output act
				""");
		assertEquals(List.of("left", "right"), List.copyOf(analysis.network().lastWeightLayers()));
		assertEquals("last layer: fixed 8 -> 10 fixed 8", describe(analysis.network().facts("right").orElseThrow()));
	}

	private String split(String spec, String layer) {
		return describe(fixture.analyze(spec).network().facts(layer).orElseThrow());
	}

	private static String describe(LayerFacts facts) {
		var split = facts.split().orElseThrow();
		String source = switch (split.source().kind()) {
		case LAYER -> "layer";
		case LAYER_POLICY -> split.source().detail() + " layer";
		case BLOCK_INSTANCE -> "block instance " + split.source().detail();
		case BLOCK -> "block " + split.source().detail();
		case NETWORK -> "network";
		};
		String rows = facts.allocation().orElseThrow().parts().stream()
				.filter(p -> p.rows() > 0)
				.map(p -> p.rows() + " " + p.share().scheme())
				.collect(Collectors.joining(", "));
		return source + ": " + split.split() + " -> " + rows;
	}

	private static String names(SpecAnalysis analysis) {
		return analysis.lowered().spec().network().layers().stream().map(Layer::name)
				.collect(Collectors.joining(" "));
	}

}
