package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/** A spec as the accelerator's engines see it: weight layers, the codes they read, the residual fused into them. */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class WorkloadTest {

	@Inject
	private SpecFixture fixture;

	private Workload workload(String body) {
		SpecAnalysis analysis = fixture.analyze("""
				network n
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				""" + body);
		return Workload.of(analysis.network(), analysis.lowered().spec().quantization().activations());
	}

	private static Map<String, Integer> inputBits(Workload workload) {
		return workload.layers().stream().collect(Collectors.toMap(LayerWork::name, LayerWork::inputBits));
	}

	private static Map<String, Optional<CodeFormat>> residuals(Workload workload) {
		return workload.layers().stream().collect(Collectors.toMap(LayerWork::name, LayerWork::residualFormat));
	}

	@Test
	void aLayerReadingTheImageReadsEightBitPixelsEvenThroughAPool() {
		assertEquals(Map.of("c1", 8, "c2", 4), inputBits(workload("""
				input image: 3 x 32 x 32
				p = maxpool(image, kernel=2)
				c1 = conv(p, out=8, kernel=3)
				c2 = conv(c1, out=8, kernel=3)
				output c2
				""")));
	}

	@Test
	void aResidualAddIsFusedIntoTheLayerThatProducesItsLastOperand() {
		// c2 runs after c1: the add happens in c2's output stage and reads r1's 4-bit unsigned codes from DRAM,
		// whichever operand the spec writes first
		String block = """
				input x: 8 x 16 x 16
				c1 = conv(x, out=8, kernel=3, padding=1)
				r1 = relu(c1)
				c2 = conv(r1, out=8, kernel=3, padding=1)
				s = add(%s)
				output s
				""";
		Map<String, Optional<CodeFormat>> expected = Map.of("c1", Optional.empty(), "c2",
				Optional.of(new CodeFormat(4, false)));
		assertEquals(expected, residuals(workload(block.formatted("c2, r1"))));
		assertEquals(expected, residuals(workload(block.formatted("r1, c2"))));
	}
}
