package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.inject.Inject;

/**
 * The examples are real networks written from their papers: they validate without a single issue, and their
 * MAC and parameter counts are exactly those of torchvision's models at 224 x 224 (counted by forward hooks on
 * conv and linear layers, and {@code sum(p.numel() for p in model.parameters())}, under torch 1.13 /
 * torchvision 0.14), which round to the published figures.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ExamplesTest {

	@Inject
	private SpecFixture fixture;

	@ParameterizedTest
	@ValueSource(strings = { "resnet18-xc7z020", "resnet18-xc7z045", "resnet50-xc7z045", "vgg16-xc7z045",
			"digits-cnn", "blocks/resnet" })
	void exampleHasNoIssues(String example) {
		assertEquals(List.of(), fixture.issuesOnSave(SpecFixture.read("examples/" + example + ".ilmpq")));
	}

	@Test
	void mobileNetV2sDepthwiseLayersShareTheLanesAndLeaveNoEngineIdle() {
		// a depthwise layer puts gcd(G, Tn) channels on the lanes at once, each a row of its scheme's engine
		// (docs/hardware-model.md, "Mappings"): every engine computes in every layer, and no split is clearly faster
		assertEquals(List.of(), fixture.issuesOnSave(SpecFixture.read("examples/mobilenetv2-xc7z020.ilmpq")));
	}

	@Test
	void theLanguageTourOfTheReadmeIsAValidSpec() {
		String readme = SpecFixture.read("README.md");
		Matcher tour = Pattern.compile("## A tour of the language\\n\\n```\\n(.*?)```", Pattern.DOTALL).matcher(readme);
		assertTrue(tour.find(), "README.md has a language tour");
		assertEquals(List.of(), fixture.issues(tour.group(1)));
	}

	@Test
	void resnet18Has1Point8GigaMacsAnd11Point7MillionParameters() {
		assertCounts("resnet18-xc7z020", 1_814_073_344L, 11_689_512L);
	}

	@Test
	void resnet50Has4Point1GigaMacsAnd25Point6MillionParameters() {
		assertCounts("resnet50-xc7z045", 4_089_184_256L, 25_557_032L);
	}

	@Test
	void mobileNetV2Has0Point30GigaMacsAnd3Point5MillionParameters() {
		assertCounts("mobilenetv2-xc7z020", 300_774_272L, 3_504_872L);
	}

	@Test
	void vgg16Has15Point5GigaMacsAnd138MillionParameters() {
		assertCounts("vgg16-xc7z045", 15_470_264_320L, 138_357_544L);
	}

	private void assertCounts(String example, long macs, long parameters) {
		SpecAnalysis analysis = fixture.analyze(SpecFixture.read("examples/" + example + ".ilmpq"));
		NetworkAnalysis network = analysis.network();
		assertEquals(List.of(), network.problems());
		assertEquals(macs, network.totalMacs(), "MACs");
		assertEquals(parameters, network.totalParameters(), "parameters");
	}
}
