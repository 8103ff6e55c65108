package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.hardware.BlockRamMapping;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.ResourceModel;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.inject.Inject;

/**
 * A resource census of the generated firmware: the test reads what {@code engines.h} and {@code engines.cpp} declare
 * (the engines' rows, lanes and packing, the integer widths, every array of the weight layer with its dimensions,
 * element width and partitioning, every requantizer) and derives the DSP slices and RAMB18s with the hardware
 * model's own mapping rules ({@code DspPacking}, {@code BlockRamMapping}); they equal the report's, for every
 * example on both default boards. What the firmware declares and what the report costs are one design.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ResourceCensusTest {

	private static final Pattern CONSTANT = Pattern.compile("const (?:int|long long|long) (\\w+) = (\\d+);");
	private static final Pattern TYPEDEF = Pattern.compile(
			"typedef (?:int_t|uint_t|packed_word)<([^>]+)> (\\w+);");
	private static final Pattern ARRAY = Pattern.compile("^\\s*(\\w+) (\\w+)((?:\\[[^\\]]+\\])+);", Pattern.MULTILINE);
	private static final Pattern PRAGMA = Pattern.compile(
			"HLS_PRAGMA\\(ARRAY_(PARTITION|RESHAPE) variable = (\\w+) dim = (\\d+) complete\\)");
	private static final Pattern REQUANTIZER = Pattern.compile("requantize<\\d+, output_scaled_t>\\(");

	@Inject
	private SpecFixture fixture;

	static Stream<String> examplesAndBoards() throws IOException {
		return IntegerFirmwareTest.examplesAndBoards();
	}

	@ParameterizedTest
	@MethodSource("examplesAndBoards")
	void theFirmwareDeclaresTheDspSlicesAndBlockRamsTheReportCosts(String example) {
		String spec = IntegerFirmwareTest.spec(example);
		List<GeneratedFile> files = HlsProject.generate(fixture, spec, "spec.ilmpq",
				new HlsProjectGenerator.Weights.Omitted());
		String header = file(files, "/firmware/engines.h");
		String source = file(files, "/firmware/engines.cpp");
		DesignEstimate design = HlsProject.design(fixture, spec);
		Map<String, Long> constants = constants(header);
		Map<String, Long> widths = widths(header, constants);
		int aBits = design.target().part().device().dspType().aBits();

		// DSP: each fixed-point engine ceil(ROWS / PACKING) slices per lane; each requantizer the slices of the widest
		// accumulator times M on the A port, and one for a residual operand times R where the design has fused adds
		long dsp = 0;
		String[] kinds = list(header, "ENGINE_KINDS");
		String[] bits = list(header, "ENGINE_BITS");
		for (int e = 0; e < kinds.length; e++) {
			String prefix = kinds[e].replace("\"", "").trim() + bits[e].trim();
			String upper = prefix.toUpperCase();
			if (kinds[e].contains("fixed")) {
				assertTrue(engineBody(source, prefix).contains("op = mul impl = dsp"), prefix + " multiplies on DSPs");
				long rows = constants.get(upper + "_ROWS");
				long packing = constants.getOrDefault(upper + "_PACKING", 1L);
				dsp += (rows + packing - 1) / packing * constants.get("LANES");
			}
		}
		boolean residual = header.contains("const bool RESIDUAL_ADDS = true;");
		Matcher requantizer = REQUANTIZER.matcher(source);
		int requantizers = 0;
		while (requantizer.find()) {
			long accumulator = widths.get("output_acc_t");
			dsp += (accumulator + aBits - 1) / aBits + (residual ? 1 : 0);
			requantizers++;
		}
		assertEquals(2 * constants.get("OUTPUT_LANES"), requantizers, "two requantizers per output lane");

		// RAMB18: every array of weight_layer, by its partitioning: complete partitions are separate memories (all of
		// them registers when every dimension is partitioned), reshaped dimensions widen a memory's word
		String body = source.substring(source.indexOf("void weight_layer("));
		Map<String, long[]> partitioned = new HashMap<>();
		Matcher pragma = PRAGMA.matcher(body);
		while (pragma.find()) {
			partitioned.computeIfAbsent(pragma.group(2), name -> new long[8])[Integer.parseInt(pragma.group(3))] = pragma
					.group(1).equals("PARTITION") ? 1 : 2;
		}
		long bram18 = ResourceModel.SHELL.bram18();
		Matcher array = ARRAY.matcher(body);
		List<String> counted = new ArrayList<>();
		while (array.find()) {
			String type = array.group(1);
			String name = array.group(2);
			if (!widths.containsKey(type)) {
				continue; // not an array of the design's values (none such in weight_layer)
			}
			List<Long> dims = new ArrayList<>();
			Matcher dim = Pattern.compile("\\[([^\\]]+)\\]").matcher(array.group(3));
			while (dim.find()) {
				dims.add(evaluate(dim.group(1), constants));
			}
			long[] how = partitioned.getOrDefault(name, new long[8]);
			long memories = 1;
			long width = widths.get(type);
			long depth = 1;
			for (int d = 0; d < dims.size(); d++) {
				int mode = how[0] == 1 ? 1 : (int) how[d + 1];
				if (mode == 1) {
					memories *= dims.get(d);
				} else if (mode == 2) {
					width *= dims.get(d);
				} else {
					depth *= dims.get(d);
				}
			}
			if (depth > 1) {
				bram18 += memories * BlockRamMapping.ramb18(width, depth);
				counted.add(name + ": " + memories + " x " + width + " bits x " + depth);
			}
		}
		assertEquals(design.resources().total().dsp(), dsp, example + ": DSP slices");
		assertEquals(design.resources().total().bram18(), bram18, example + ": RAMB18 of " + counted);
	}

	private static String file(List<GeneratedFile> files, String suffix) {
		return files.stream().filter(f -> f.path().endsWith(suffix)).findFirst().orElseThrow().content();
	}

	private static Map<String, Long> constants(String header) {
		Map<String, Long> constants = new HashMap<>();
		Matcher matcher = CONSTANT.matcher(header);
		while (matcher.find()) {
			constants.put(matcher.group(1), Long.parseLong(matcher.group(2)));
		}
		return constants;
	}

	/** Bits of every integer type the header declares, and of the two word types. */
	private static Map<String, Long> widths(String header, Map<String, Long> constants) {
		Map<String, Long> widths = new HashMap<>();
		Matcher matcher = TYPEDEF.matcher(header);
		while (matcher.find()) {
			widths.put(matcher.group(2), evaluate(matcher.group(1), constants));
		}
		return widths;
	}

	/** The initializer list of a constant array of the header. */
	private static String[] list(String header, String name) {
		Matcher matcher = Pattern.compile(name + "\\[ENGINES\\] = \\{([^}]*)\\};").matcher(header);
		assertTrue(matcher.find(), name);
		return matcher.group(1).split(",");
	}

	private static String engineBody(String source, String prefix) {
		int start = source.indexOf("void " + prefix + "_engine(");
		return source.substring(start, source.indexOf("\n}\n", start));
	}

	/** A dimension or width: a literal, a constant, or their sum or product ("POT4_ROWS * LANES", "ACTIVATION_BITS + 1"). */
	private static long evaluate(String expression, Map<String, Long> constants) {
		String text = expression.trim();
		if (text.contains("+")) {
			long sum = 0;
			for (String term : text.split("\\+")) {
				sum += evaluate(term, constants);
			}
			return sum;
		}
		long product = 1;
		for (String factor : text.split("\\*")) {
			String name = factor.trim();
			product *= name.matches("\\d+") ? Long.parseLong(name) : constants.get(name);
		}
		return product;
	}
}
