package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.Conv;
import org.ilmpq.dsl.ilmpq.IntLiteral;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Share;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.lowering.LoweredSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** What the parser accepts, and how it reads it. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ParsingTest {

	@Inject
	private SpecFixture fixture;

	@Test
	void aMinimalNetworkParses() {
		Spec spec = fixture.parse("""
				network tiny
				input x: 3 x 32 x 32
				y = relu(x)
				output y
				""");
		assertEquals("tiny", spec.getName());
		assertEquals(3, spec.getElements().size());
		assertTrue(spec.eResource().getErrors().isEmpty());
	}

	@Test
	void shapesMayBeWrittenWithOrWithoutBlanks() {
		assertEquals(List.of(), fixture.errors("""
				network n
				input a: 3 x 224 x 224
				input b: 3x224x224
				input c: 128
				s = add(a, b)
				output s
				"""));
		LoweredSpec lowered = fixture.analyze("""
				network n
				input a: 3x224x224
				c = conv(a, out=8, kernel=1x7, padding=0 x 3)
				output c
				""").lowered();
		assertEquals("3 x 224 x 224", lowered.spec().network().inputs().get(0).shape().toString());
		assertEquals("8 x 224 x 224", fixture.analyze("""
				network n
				input a: 3x224x224
				c = conv(a, out=8, kernel=1x7, padding=0 x 3)
				output c
				""").network().shapeOf("c").orElseThrow().toString());
	}

	@Test
	void argumentsOfAnOperationComeInAnyOrder() {
		Conv conv = (Conv) layer("""
				network n
				input x: 3 x 8 x 8
				c = conv(x, bias=false, padding=1, kernel=3, out=16, stride=2)
				output c
				""", "c").getOperation();
		assertEquals(false, conv.getBias().isValue());
		assertEquals(List.of(), fixture.errors("""
				network n
				input x: 3 x 8 x 8
				c = conv(x, bias=false, padding=1, kernel=3, out=16, stride=2)
				output c
				"""));
	}

	@Test
	void wordsOnlyMeaningfulInsideALayerAreValidNames() {
		assertEquals(List.of(), fixture.errors("""
				network n
				input x: 3 x 8 x 8
				out = conv(x, out=4, kernel=1)
				first = relu(out)
				output first
				"""));
	}

	@Test
	void reservedWordsAreNamesWhenEscaped() {
		Layer conv = layer("""
				network n
				input x: 3 x 8 x 8
				^conv = conv(x, out=4, kernel=1)
				output ^conv
				""", "conv");
		assertEquals("conv", conv.getName());
	}

	@Test
	void sharesMayHaveDecimalPercentages() {
		Spec spec = fixture.parse("""
				network n
				quantization {
				    split 62.5 % pot 4, 32.5 % fixed 4, 5 % fixed 8
				}
				""");
		List<BigDecimal> percents = EcoreUtil2.getAllContentsOfType(spec, Share.class).stream().map(Share::getPercent)
				.toList();
		assertEquals(List.of(new BigDecimal("62.5"), new BigDecimal("32.5"), new BigDecimal("5")), percents);
	}

	@Test
	void devicesAreNamedByPartNumberOrBoard() {
		for (String device : List.of("xc7z020clg400-1", "PYNQ-Z2", "ZC706", "xczu3eg-sbva484-1-e")) {
			Spec spec = fixture.parse("network n\ntarget " + device + " clock 150 MHz\n");
			assertEquals(device, EcoreUtil2.typeSelect(spec.getElements(), Target.class).get(0).getDevice());
			assertTrue(spec.eResource().getErrors().isEmpty(), device);
		}
	}

	@Test
	void aBlockInstanceTakesTensorsByPositionAndIntsByName() {
		Spec spec = fixture.parse("""
				network n
				block B(tensor a, tensor b, int c, int d = 2) {
				    s = add(a, b)
				    output s
				}
				input x: 3 x 8 x 8
				i = B(x, x, d=3, c=1)
				output i
				""");
		BlockCall call = (BlockCall) EcoreUtil2.getAllContentsOfType(spec, Layer.class).stream()
				.filter(l -> l.getName().equals("i")).findFirst().orElseThrow().getOperation();
		assertEquals("B", call.getBlock().getName());
		assertEquals(4, call.getArguments().size());
		assertInstanceOf(Block.class, call.getBlock());
	}

	@Test
	void aSyntaxErrorStopsOnlyTheStatementItIsIn() {
		Spec spec = fixture.parse("""
				network n
				input x: 3 x 8 x 8
				a = conv(x, out=, kernel=3)
				b = relu(x)
				output b
				""");
		assertEquals(1, spec.eResource().getErrors().size());
		assertEquals(List.of("a", "b"), EcoreUtil2.getAllContentsOfType(spec, Layer.class).stream().map(Layer::getName)
				.toList());
		Conv conv = (Conv) layer(spec, "a").getOperation();
		assertEquals(3L, ((IntLiteral) conv.getKernel().getValues().get(0)).getValue());
	}

	private Layer layer(String text, String name) {
		return layer(fixture.parse(text), name);
	}

	private static Layer layer(Spec spec, String name) {
		return EcoreUtil2.getAllContentsOfType(spec, Layer.class).stream().filter(l -> name.equals(l.getName()))
				.findFirst().orElseThrow();
	}
}
