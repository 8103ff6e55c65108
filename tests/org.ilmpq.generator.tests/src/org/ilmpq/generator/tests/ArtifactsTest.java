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

	/** A network of every kind of layer, with a target: it gets both artifacts. */
	private static final String SPEC = HlsProjectGeneratorTest.EVERY_KIND;

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
		Artifacts.Result result = artifacts(SPEC, true, true);
		assertEquals(List.of("quant", "hls"), folders(result));
		assertEquals(List.of(), result.refusals());
	}

	@Test
	void theOptionsChooseTheArtifacts() throws IOException {
		assertEquals(List.of("hls"), folders(artifacts(SPEC, false, true)));
		assertEquals(List.of("quant"), folders(artifacts(SPEC, true, false)));
	}

	@Test
	void aSpecWithoutATargetGetsItsScriptAndNoHlsProjectForWantOfATarget() throws IOException {
		assertOnlyTheScript(SPEC.replace("target PYNQ-Z2 clock 100 MHz\n", ""),
				new Refusal(Kind.HLS_PROJECT, Reason.NO_TARGET, "the spec names no target (part and clock)"));
	}

	@Test
	void aSchemeWiderThanTheEnginesTakeIsRefusedTheHlsProjectButGetsItsScript() throws IOException {
		assertOnlyTheScript(SPEC.replace("5 % fixed 8", "5 % fixed 12"), new Refusal(Kind.HLS_PROJECT,
				Reason.UNSUPPORTED, "the engines take weights of at most 8 bits, not fixed 12"));
	}

	@Test
	void aNetworkOfTwoInputsIsRefusedBothArtifacts() throws IOException {
		// a second image, which nothing reads: the refusal is about the inputs, not what they feed
		Artifacts.Result result = artifacts(SPEC.replace("input image: 3 x 16 x 16\n",
				"input image: 3 x 16 x 16\ninput depth: 1 x 16 x 16\n"), true, true);
		assertEquals(List.of(), result.files());
		assertEquals(List.of(new Refusal(Kind.SCRIPT, Reason.UNSUPPORTED, "the PyTorch script trains networks of one "
				+ "input; network every_kind has 2"), new Refusal(Kind.HLS_PROJECT, Reason.UNSUPPORTED, "the "
						+ "accelerator's top function takes one input; network every_kind has 2")), result.refusals());
	}

	/** {@code spec} gets the script, and the HLS project is refused with {@code refusal}. */
	private void assertOnlyTheScript(String spec, Refusal refusal) throws IOException {
		Artifacts.Result result = artifacts(spec, true, true);
		assertEquals(List.of("quant"), folders(result));
		assertEquals(List.of(refusal), result.refusals());
	}
}
