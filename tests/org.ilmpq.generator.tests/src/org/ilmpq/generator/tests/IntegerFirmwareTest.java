package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DramTraffic;
import org.ilmpq.core.hardware.FeatureMapLayout;
import org.ilmpq.core.hardware.LatencyModel;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.inject.Inject;

/**
 * What Vitis HLS synthesizes is integer hardware, laid out as the hardware model counts it. For every example, on
 * its own board and on the other default one: the generated firmware, comments and strings left out, has no
 * floating-point type, literal or library call, and no division or remainder but by a literal power of two; the
 * layer table places every stored tensor, weight table and parameter table as the model's layout rules
 * (FeatureMapLayout) give them, so that the words the model counts are the words the design has; and every
 * example's project compiles with every warning an error.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class IntegerFirmwareTest {

	/** Types, literals, headers and functions of floating point that integer hardware has no place for. */
	private static final Pattern FLOATING_POINT = Pattern.compile("\\b(float|double|real_t|half|ap_fixed|ap_ufixed"
			+ "|INFINITY|NAN|HUGE_VAL|sqrt|exp|log|pow|floor|ceil|round|rint|nearbyint|fabs|fmod|trunc|lround)\\b"
			+ "|#include\\s*<(cmath|math\\.h|cfloat|float\\.h)>"
			+ "|\\b\\d+\\.\\d*([eE][+-]?\\d+)?[fF]?\\b|\\b\\d+[eE][+-]?\\d+\\b");

	/** A division or remainder and what it divides by. */
	private static final Pattern DIVISION = Pattern.compile("[/%]=?\\s*([A-Za-z0-9_:.]+)");

	@Inject
	private SpecFixture fixture;

	/** Each example on its own target, and on the other board of the report's two defaults. */
	static Stream<String> examplesAndBoards() throws IOException {
		List<String> cases = new ArrayList<>();
		try (Stream<Path> files = Files.list(SpecFixture.repository().resolve("examples"))) {
			for (String name : files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ilmpq")).sorted()
					.toList()) {
				cases.add(name + " on its target");
				cases.add(name + " on " + (SpecFixture.read("examples/" + name).contains("target PYNQ-Z2") ? "ZC706"
						: "PYNQ-Z2"));
			}
		}
		return cases.stream();
	}

	/** The example's text, on the board the case names. */
	static String spec(String example) {
		String[] parts = example.split(" on ");
		String text = SpecFixture.read("examples/" + parts[0]);
		return parts[1].equals("its target") ? text
				: text.replaceFirst("(?m)^target \\S+", "target " + parts[1]);
	}

	private List<GeneratedFile> firmware(String spec) {
		return HlsProject.generate(fixture, spec, "spec.ilmpq", new HlsProjectGenerator.Weights.Omitted());
	}

	@ParameterizedTest
	@MethodSource("examplesAndBoards")
	void theFirmwareIsIntegersOnly(String example) {
		for (GeneratedFile file : firmware(spec(example))) {
			if (!file.path().contains("/firmware/")) {
				continue; // the test bench may read and print what it likes
			}
			String code = code(file.content());
			Matcher floating = FLOATING_POINT.matcher(code);
			assertFalse(floating.find(), () -> file.path() + ": " + floating.group());
			Matcher division = DIVISION.matcher(code);
			while (division.find()) {
				String divisor = division.group(1);
				assertTrue(divisor.matches("\\d+") && Long.bitCount(Long.parseLong(divisor)) == 1,
						file.path() + ": divides by " + divisor);
			}
		}
	}

	static Stream<String> examples() throws IOException {
		return examplesAndBoards().filter(example -> example.endsWith(" on its target"));
	}

	@ParameterizedTest
	@MethodSource("examples")
	void theProjectCompilesWithEveryWarningAnError(String example, @TempDir Path directory) {
		// g++ -std=c++17 -O2 -Wall -Wextra -Werror, the project's own Makefile
		HlsProject.build(HlsProject.write(firmware(spec(example)), directory));
	}

	@ParameterizedTest
	@MethodSource("examplesAndBoards")
	void theLayerTableIsTheLayoutTheModelCounts(String example) {
		String spec = spec(example);
		List<GeneratedFile> files = firmware(spec);
		DesignEstimate design = HlsProject.design(fixture, spec);
		int wordBits = design.bandwidth().wordBits();
		String header = files.stream().filter(f -> f.path().matches("hls/[^/]+/firmware/[^/]+\\.h")
				&& !f.path().endsWith("/engines.h") && !f.path().contains("/ilmpq_")).findFirst().orElseThrow().content();

		// the stored tensors: each pixel ceil(C / P) words, P the codes a word holds; the scratch tensors one
		// after the other
		List<String[]> tensors = rows(header, "\\{\"([^\"]+)\", \"[^\"]*\", ilmpq::PORT_(\\w+), (\\d+), (\\d+), (\\d+), "
				+ "(\\d+), (\\d+), (true|false), (\\d+), (\\d+)\\}");
		assertFalse(tensors.isEmpty(), header);
		Map<String, Integer> index = new HashMap<>();
		long scratch = 0;
		for (String[] t : tensors) {
			index.put(t[0], index.size());
			CodeFormat format = new CodeFormat(Integer.parseInt(t[6]), Boolean.parseBoolean(t[7]));
			long channels = Long.parseLong(t[3]);
			assertEquals(format.codesPerWord(wordBits), Integer.parseInt(t[8]), t[0]);
			assertEquals(FeatureMapLayout.wordsPerPixel(channels, format, wordBits), Long.parseLong(t[9]), t[0]);
			if (t[1].equals("SCRATCH")) {
				assertEquals(scratch, Long.parseLong(t[2]), t[0]);
				scratch += Long.parseLong(t[4]) * Long.parseLong(t[5]) * Long.parseLong(t[9]);
			}
		}
		assertEquals(Math.max(1, scratch), constant(header, "SCRATCH_WORDS"));

		// every weight layer: its tensors' words are the model's outputs and residual; its tables per output tile
		// are the model's weights and parameters over the tiles
		List<String[]> layers = rows(header, "\\{\"([^\"]+)\",\\s*\\{[^}]*\\},\\s*\\{[^}]*\\},\\s*\\d+, (\\d+), (\\d+), (\\d+), "
				+ "(\\d+), (\\d+), (\\d+), (-?\\d+),");
		assertEquals(design.layers().size(), layers.size());
		for (int i = 0; i < layers.size(); i++) {
			String[] layer = layers.get(i);
			LayerTiming timing = design.layers().get(i);
			assertEquals(timing.layer().name(), layer[0]);
			DramTraffic traffic = timing.traffic();
			long tiles = LatencyModel.tiles(timing.layer(), timing.tile());
			String[] output = tensors.get(Integer.parseInt(layer[6]));
			assertEquals(traffic.outputWords(), words(output), layer[0]);
			int residual = Integer.parseInt(layer[7]);
			assertEquals(traffic.residualWords(), residual < 0 ? 0 : words(tensors.get(residual)), layer[0]);
			assertEquals(traffic.parameterWords(), tiles * Long.parseLong(layer[4]), layer[0]);
			// the table holds the weights of the rows per group that take the most words: for a plain layer, one of
			// a row per group, or one on the depthwise unit, the only way the rows can lie; for groups of several
			// rows on the engines (a depthwise layer whose channels share their lanes) the model's expectation is less
			LayerWork onLanes = timing.layer().onLanes(design.config().lanes(), design.config().outputLanes(),
					design.workload().activations().bits());
			if (onLanes.groups() > 1 && onLanes.rows() > onLanes.groups() && !onLanes.onDepthwiseUnit()) {
				assertTrue(traffic.weightWords() <= tiles * Long.parseLong(layer[2]), layer[0]);
			} else {
				assertEquals(traffic.weightWords(), tiles * Long.parseLong(layer[2]), layer[0]);
			}
		}
	}

	private static long words(String[] tensor) {
		return Long.parseLong(tensor[4]) * Long.parseLong(tensor[5]) * Long.parseLong(tensor[9]);
	}

	private static long constant(String header, String name) {
		Matcher matcher = Pattern.compile("const long " + name + " = (\\d+);").matcher(header);
		assertTrue(matcher.find(), name);
		return Long.parseLong(matcher.group(1));
	}

	private static List<String[]> rows(String text, String pattern) {
		List<String[]> rows = new ArrayList<>();
		Matcher matcher = Pattern.compile(pattern).matcher(text);
		while (matcher.find()) {
			String[] groups = new String[matcher.groupCount()];
			for (int g = 0; g < groups.length; g++) {
				groups[g] = matcher.group(g + 1);
			}
			rows.add(groups);
		}
		return rows;
	}

	/** C++ without its comments and string literals. */
	private static String code(String source) {
		return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ")
				.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
	}
}
