package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.Artifacts;
import org.ilmpq.generator.Artifacts.Kind;
import org.ilmpq.generator.Artifacts.Reason;
import org.ilmpq.generator.Artifacts.Refusal;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.Inject;

/**
 * The one place the generators run, for the command line and the builder: the artifacts a spec gets, and each one
 * it does not get as a refusal with its reason.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ArtifactsTest {

	private static final String SMALL = """
			network small
			target PYNQ-Z2 clock 100 MHz
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			input x: 4 x 8 x 8
			c = conv(x, out=16, kernel=3, padding=1)
			r = relu(c)
			p = globalavgpool(r)
			f = flatten(p)
			fc = linear(f, out=10)
			output fc
			""";

	@Inject
	private SpecFixture fixture;

	private Artifacts.Result artifacts(String spec, boolean script, boolean hls) throws IOException {
		SpecAnalysis analysis = fixture.analyze(spec);
		return Artifacts.of(analysis.lowered().spec(), analysis.network(), new Artifacts.Options("small.ilmpq",
				GeneratedScript.TOOL, script, hls, new HlsProjectGenerator.Weights.Seeded(1)));
	}

	private static List<String> folders(Artifacts.Result result) {
		return result.files().stream().map(GeneratedFile::path).map(path -> path.substring(0, path.indexOf('/')))
				.distinct().toList();
	}

	@Test
	void aSpecWithATargetGetsTheScriptAndTheHlsProject() throws IOException {
		Artifacts.Result result = artifacts(SMALL, true, true);
		assertEquals(List.of("quant", "hls"), folders(result));
		assertEquals(List.of(), result.refusals());
	}

	@Test
	void theOptionsChooseTheArtifacts() throws IOException {
		assertEquals(List.of("hls"), folders(artifacts(SMALL, false, true)));
		assertEquals(List.of("quant"), folders(artifacts(SMALL, true, false)));
	}

	@Test
	void aSpecWithoutATargetGetsItsScriptAndNoHlsProjectForWantOfATarget() throws IOException {
		Artifacts.Result result = artifacts(SMALL.replace("target PYNQ-Z2 clock 100 MHz\n", ""), true, true);
		assertEquals(List.of("quant"), folders(result));
		assertEquals(List.of(new Refusal(Kind.HLS_PROJECT, Reason.NO_TARGET, "the spec names no target (part and "
				+ "clock)")), result.refusals());
	}

	@Test
	void aSchemeWiderThanTheEnginesTakeIsRefusedTheHlsProjectButGetsItsScript() throws IOException {
		Artifacts.Result result = artifacts(SMALL.replace("5 % fixed 8", "5 % fixed 12"), true, true);
		assertEquals(List.of("quant"), folders(result));
		assertEquals(List.of(new Refusal(Kind.HLS_PROJECT, Reason.UNSUPPORTED, "the engines take weights of at most "
				+ "8 bits, not fixed 12")), result.refusals());
	}

	@Test
	void aNetworkOfTwoInputsIsRefusedBothArtifacts() throws IOException {
		Artifacts.Result result = artifacts("""
				network small
				target PYNQ-Z2 clock 100 MHz
				quantization {
				    split fixed 8
				}
				input a: 8
				input b: 8
				sum = add(a, b)
				fc = linear(sum, out=2)
				output fc
				""", true, true);
		assertEquals(List.of(), result.files());
		assertEquals(List.of(new Refusal(Kind.SCRIPT, Reason.UNSUPPORTED, "the PyTorch script trains networks of one "
				+ "input; network small has 2"), new Refusal(Kind.HLS_PROJECT, Reason.UNSUPPORTED, "the accelerator's "
						+ "top function takes one input; network small has 2")), result.refusals());
	}
}
