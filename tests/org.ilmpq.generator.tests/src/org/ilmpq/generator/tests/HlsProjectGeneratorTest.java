package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GenerationRefusal;
import org.ilmpq.generator.hls.CppNames;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * What {@code ilmpq generate} writes to {@code hls/<network>/}: for a network with one layer of each kind, the
 * spec-dependent files are the reviewed golden files in golden/hls/every_kind (rerun with
 * -Dilmpq.golden.update=true to rewrite them, then review the diff); the same spec gives the same bytes; any
 * layer name gives a C++ identifier; what the design cannot run is refused with the reason.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class HlsProjectGeneratorTest {

	/**
	 * One layer of each kind: conv 3 x 3 reading the 8-bit image, a folded BatchNorm and a fused ReLU, max pooling,
	 * a residual add fused into the conv before it, a 1 x 1 conv with stride 2, a depthwise conv with a fused
	 * ReLU6, a concat, a standalone ReLU6, average pooling with padding, an add of three, global pooling, flatten,
	 * and two linear layers.
	 */
	static final String EVERY_KIND = """
			network every_kind
			target PYNQ-Z2 clock 100 MHz
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			    activations fixed 4
			}
			input image: 3 x 16 x 16
			stem = conv(image, out=16, kernel=3, padding=1, bias=false)
			stem_bn = batchnorm(stem)
			stem_relu = relu(stem_bn)
			pool = maxpool(stem_relu, kernel=2)
			branch = conv(pool, out=16, kernel=3, padding=1)
			branch_bn = batchnorm(branch)
			residual = add(branch_bn, pool)
			residual_relu = relu(residual)
			down = conv(residual_relu, out=32, kernel=1, stride=2)
			dw = conv(residual_relu, kernel=3, padding=1, stride=2, groups=depthwise)
			dw_relu6 = relu6(dw)
			joined = concat(down, dw_relu6)
			capped = relu6(joined)
			smooth = avgpool(capped, kernel=3, stride=1, padding=1)
			three = add(smooth, capped, joined)
			pooled = globalavgpool(three)
			flat = flatten(pooled)
			hidden = linear(flat, out=32)
			hidden_relu = relu(hidden)
			logits = linear(hidden_relu, out=10)
			output logits
			""";

	@Inject
	private SpecFixture fixture;

	private List<GeneratedFile> everyKind() {
		return HlsProject.generate(fixture, EVERY_KIND, "every-kind.ilmpq", new HlsProjectGenerator.Weights.Seeded(1));
	}

	@Test
	void theProjectIsLaidOutAsHls4mlLaysOutItsProjects() {
		assertEquals(List.of("hls/every_kind/firmware/every_kind.h", "hls/every_kind/firmware/every_kind.cpp",
				"hls/every_kind/firmware/engines.h", "hls/every_kind/firmware/engines.cpp",
				"hls/every_kind/firmware/ilmpq_types.h", "hls/every_kind/firmware/ilmpq_layers.h",
				"hls/every_kind/firmware/ilmpq_tiles.h", "hls/every_kind/firmware/ilmpq_weight_layer.h",
				"hls/every_kind/firmware/ilmpq_engines.h", "hls/every_kind/firmware/ilmpq_loop_nest.h",
				"hls/every_kind/firmware/weights/weights.txt", "hls/every_kind/firmware/weights/golden.txt",
				"hls/every_kind/tb/tb_every_kind.cpp", "hls/every_kind/tb/ilmpq_export.h",
				"hls/every_kind/run_hls.tcl", "hls/every_kind/Makefile"),
				everyKind().stream().map(GeneratedFile::path).toList());
	}

	@Test
	void theTopFunctionAndItsLayersAreTheReviewedGoldenFiles() throws IOException {
		List<GeneratedFile> files = everyKind();
		GoldenFiles.assertMatches("hls/every_kind/every_kind.h",
				GoldenFiles.content(files, "hls/every_kind/firmware/every_kind.h"));
		GoldenFiles.assertMatches("hls/every_kind/every_kind.cpp",
				GoldenFiles.content(files, "hls/every_kind/firmware/every_kind.cpp"));
	}

	@Test
	void theEnginesAreTheReviewedGoldenFiles() throws IOException {
		List<GeneratedFile> files = everyKind();
		GoldenFiles.assertMatches("hls/every_kind/engines.h",
				GoldenFiles.content(files, "hls/every_kind/firmware/engines.h"));
		GoldenFiles.assertMatches("hls/every_kind/engines.cpp",
				GoldenFiles.content(files, "hls/every_kind/firmware/engines.cpp"));
	}

	@Test
	void theTestBenchAndBuildFilesAreTheReviewedGoldenFiles() throws IOException {
		List<GeneratedFile> files = everyKind();
		GoldenFiles.assertMatches("hls/every_kind/tb_every_kind.cpp",
				GoldenFiles.content(files, "hls/every_kind/tb/tb_every_kind.cpp"));
		GoldenFiles.assertMatches("hls/every_kind/run_hls.tcl", GoldenFiles.content(files, "hls/every_kind/run_hls.tcl"));
		GoldenFiles.assertMatches("hls/every_kind/Makefile", GoldenFiles.content(files, "hls/every_kind/Makefile"));
	}

	@Test
	void theSameSpecAndSeedGiveTheSameBytes() {
		assertEquals(everyKind(), everyKind());
	}

	@Test
	void anotherSeedGivesOtherWeightsAndTheSameDesign() {
		List<GeneratedFile> one = everyKind();
		List<GeneratedFile> other = HlsProject.generate(fixture, EVERY_KIND, "every-kind.ilmpq",
				new HlsProjectGenerator.Weights.Seeded(2));
		for (int i = 0; i < one.size(); i++) {
			boolean weights = one.get(i).path().contains("/weights/");
			assertEquals(!weights, one.get(i).content().equals(other.get(i).content()), one.get(i).path());
		}
	}

	@Test
	void theEnginesAreTheDesignTheHardwareModelSized() {
		SpecAnalysis analysis = fixture.analyze(EVERY_KIND);
		NetworkSpec spec = analysis.lowered().spec();
		AcceleratorConfig design = DesignSearch.best(Workload.of(analysis.network(), spec.quantization().activations()),
				spec.target().orElseThrow(), DesignSearch.Packing.DENSEST).orElseThrow().config();
		String engines = GoldenFiles.content(everyKind(), "hls/every_kind/firmware/engines.h");
		assertTrue(engines.contains("const int LANES = " + design.lanes() + ";"), engines);
		assertTrue(engines.contains("const int TILE = " + design.tile() + ";"), engines);
		assertTrue(engines.contains("const int ENGINE_ROWS[ENGINES] = {"
				+ design.engines().stream().map(e -> Integer.toString(e.rows())).collect(Collectors.joining(", "))
				+ "};"), engines);
		for (EngineConfig engine : design.engines()) {
			String prefix = engine.scheme().kind().keyword() + engine.scheme().bits();
			assertTrue(engines.contains("struct " + prefix + "_config {"), engines);
			String config = engines.substring(engines.indexOf("struct " + prefix + "_config {"));
			assertTrue(config.substring(0, config.indexOf("};")).contains("static const int ROWS = " + engine.rows() + ";"),
					config);
		}
	}

	@Test
	void theTclScriptTargetsTheSpecsPartAndClock() {
		String tcl = GoldenFiles.content(HlsProject.generate(fixture, SpecFixture.read("examples/resnet18-xc7z045.ilmpq"),
				"resnet18-xc7z045.ilmpq", new HlsProjectGenerator.Weights.Seeded(1)), "hls/resnet18/run_hls.tcl");
		assertTrue(tcl.contains("set_part {xc7z045ffg900-2}"), tcl);
		assertTrue(tcl.contains("create_clock -period 5 -name default"), tcl);
	}

	@Test
	void namesThatAreNotCppIdentifiersBecomeOnes() {
		assertEquals("class_", CppNames.sanitize("class"));
		assertEquals("layer1_0_conv1", CppNames.sanitize("layer1_0.conv1"));
		assertEquals("n_3x3", CppNames.sanitize("3x3"));
		assertEquals("a_b", CppNames.sanitize("a__b"));
		assertEquals("n_Conv", CppNames.sanitize("_Conv"));
		assertEquals("NAN_", CppNames.sanitize("NAN"));
		CppNames names = new CppNames();
		assertEquals("a_b", names.of("a.b"));
		assertEquals("a_b_2", names.of("a_b"));
		assertEquals("a_b", names.of("a.b"));
	}

	@Test
	void aSpecWithoutTargetIsRefused() {
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture,
				EVERY_KIND.replace("target PYNQ-Z2 clock 100 MHz\n", ""), "every-kind.ilmpq",
				new HlsProjectGenerator.Weights.Seeded(1)));
		assertEquals("the spec names no target: the HLS design needs a part and a clock", e.getMessage());
	}

	@Test
	void aBatchNormThatCannotBeFoldedIsRefusedByName() {
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture,
				EVERY_KIND.replace("residual_relu = relu(residual)", "residual_bn = batchnorm(residual)\n"
						+ "residual_relu = relu(residual_bn)"), "every-kind.ilmpq",
				new HlsProjectGenerator.Weights.Seeded(1)));
		assertEquals("batchnorm residual_bn does not alone follow a conv or linear layer, so it cannot be folded "
				+ "into one", e.getMessage());
	}

	@Test
	void weightsWiderThanABytePerCodeAreRefused() {
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture,
				EVERY_KIND.replace("split 60 % pot 4, 35 % fixed 4, 5 % fixed 8", "split 95 % pot 4, 5 % fixed 12"),
				"every-kind.ilmpq", new HlsProjectGenerator.Weights.Seeded(1)));
		assertEquals("the engines take weights of at most 8 bits, not fixed 12", e.getMessage());
	}

	@Test
	void aFlattenedMapWhosePixelsLeaveGapsInTheirWordsIsRefused() {
		// 10 channels of 4-bit codes: 16 to a 64-bit word, so each pixel's word has 6 empty places, which a linear
		// layer reading the map as one vector would read as features
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture, """
				network gaps
				target PYNQ-Z2 clock 100 MHz
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 3 x 4 x 4
				c = conv(x, out=10, kernel=3, padding=1)
				r = relu(c)
				f = flatten(r)
				l = linear(f, out=4)
				output l
				""", "gaps.ilmpq", new HlsProjectGenerator.Weights.Seeded(1)));
		assertEquals("layer l reads the 10 x 4 x 4 map r flattened, but the accelerator stores maps pixel by pixel, 16 "
				+ "codes a word, and 10 channels leave gaps: give the map a multiple of 16 channels, or pool it to 1 x 1 "
				+ "first", e.getMessage());
	}

	@Test
	void aNetworkOfTwoInputsIsRefused() {
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture, """
				network two
				target PYNQ-Z2 clock 100 MHz
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input a: 8 x 4 x 4
				input b: 8 x 4 x 4
				s = add(a, b)
				c = conv(s, out=8, kernel=1)
				output c
				""", "two.ilmpq", new HlsProjectGenerator.Weights.Seeded(1)));
		assertEquals("the accelerator's top function takes one input; network two has 2", e.getMessage());
	}

	@Test
	void anExportOfAnotherNetworkIsRefused(@TempDir Path directory) throws IOException {
		List<GeneratedFile> digits = HlsProject.generate(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"),
				"digits-cnn.ilmpq", new HlsProjectGenerator.Weights.Seeded(1));
		Files.writeString(directory.resolve("weights.txt"),
				GoldenFiles.content(digits, "hls/digits_cnn/firmware/weights/weights.txt"));
		Files.writeString(directory.resolve("golden.txt"),
				GoldenFiles.content(digits, "hls/digits_cnn/firmware/weights/golden.txt"));
		GenerationRefusal e = assertThrows(GenerationRefusal.class, () -> HlsProject.generate(fixture,
				EVERY_KIND, "every-kind.ilmpq", new HlsProjectGenerator.Weights.Exported(directory)));
		assertEquals(directory.resolve("weights.txt") + ": an export of network digits_cnn, not of every_kind",
				e.getMessage());
	}
}
