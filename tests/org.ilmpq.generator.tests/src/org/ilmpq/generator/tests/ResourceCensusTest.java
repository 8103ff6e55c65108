package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * A resource census of the generated firmware: the test reads what {@code engines.h} declares (the engines' configs
 * with their rows, datapath and packing, the lanes, the integer widths) and what the runtime headers build from it
 * ({@code ilmpq_engines.h}: which datapath multiplies on DSP slices; {@code ilmpq_loop_nest.h}: every array of the
 * weight layer with its dimensions, element width and partitioning, each unit's buffers for each unit of the
 * design, every requantizer of the output stage) and derives the DSP slices and RAMB18s (arrays bound to distributed
 * RAM aside) with the hardware model's own mapping rules ({@code DspPacking}, {@code BlockRamMapping}); they equal the
 * report's, for every example on both default boards. What the firmware declares and what the report costs are one
 * design.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class ResourceCensusTest {

	private static final Pattern CONSTANT = Pattern.compile("const (?:int|long long|long|bool|datapath_kind) (\\w+) = (\\w[^;]*);");
	private static final Pattern TYPEDEF = Pattern.compile(
			"typedef (?:int_t|uint_t|packed_word)<([^>]+)> (\\w+);");
	private static final Pattern CONFIG = Pattern.compile("struct (\\w+_config) \\{(.*?)\\n\\};", Pattern.DOTALL);
	private static final Pattern ARRAY = Pattern.compile("^\\s*([\\w:]+) (\\w+)((?:\\[[^\\]]+\\])+);", Pattern.MULTILINE);
	private static final Pattern PRAGMA = Pattern.compile(
			"HLS_PRAGMA\\(ARRAY_(PARTITION|RESHAPE) variable = (\\w+) dim = (\\d+) complete\\)");
	private static final Pattern LUTRAM = Pattern.compile(
			"HLS_PRAGMA\\(BIND_STORAGE variable = (\\w+) type = \\w+ impl = lutram\\)");
	private static final Pattern REQUANTIZER = Pattern.compile("requantize<output_scaled_t>\\(");

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
		String datapaths = file(files, "/firmware/ilmpq_engines.h");
		String loopNest = file(files, "/firmware/ilmpq_loop_nest.h");
		DesignEstimate design = HlsProject.design(fixture, spec);
		Map<String, String> values = new HashMap<>();
		Map<String, String> types = new HashMap<>();
		declarations(header, values, types);
		int aBits = design.target().part().device().dspType().aBits();
		long lanes = evaluate("LANES", values);

		// DSP: each engine whose datapath multiplies on DSP slices ceil(ROWS / PACKING) slices per lane (the others
		// shift and add on LUTs); each requantizer the slices of the widest accumulator times M on the A port, and one
		// for a residual operand times R where the design has fused adds
		assertTrue(body(datapaths, "struct weighted_lane<FIXED_CODE>").contains("op = mul impl = dsp"),
				"fixed-point codes multiply on DSP slices");
		assertTrue(body(datapaths, "struct engine_datapath<CONFIG, DSP_PRODUCTS>").contains("weighted_lane<FIXED_CODE>"),
				"an engine of products multiplies fixed-point codes");
		assertTrue(body(datapaths, "struct engine_datapath<CONFIG, DSP_PACKED>").contains("op = mul impl = dsp"),
				"a packed engine multiplies on DSP slices");
		for (String lut : List.of("struct weighted_lane<POT_CODE>", "struct weighted_lane<SP2_CODE>",
				"struct engine_datapath<CONFIG, LUT_SHIFT_ADD>")) {
			assertFalse(body(datapaths, lut).contains("impl = dsp"), lut + " takes no DSP slice");
		}
		long dsp = 0;
		List<String> units = units(header, "ILMPQ_EACH_UNIT");
		for (String unit : units(header, "ILMPQ_EACH_ENGINE")) {
			String config = unit + "_config::";
			String datapath = values.get(config + "DATAPATH");
			if (datapath.startsWith("DSP_")) {
				long packing = datapath.equals("DSP_PACKED") ? evaluate(config + "PACKING", values) : 1;
				dsp += (evaluate(config + "ROWS", values) + packing - 1) / packing * lanes;
			}
		}
		boolean residual = values.get("RESIDUAL_ADDS").equals("true");
		String outputLanes = loopNest.substring(loopNest.indexOf("HLS_LABEL(output_lanes)"),
				loopNest.indexOf("work.p += 2;"));
		assertTrue(outputLanes.contains("for (int j = 0; j < OUTPUT_LANES; j++) {\n            HLS_PRAGMA(UNROLL)"),
				"the output lanes are unrolled");
		Matcher requantizer = REQUANTIZER.matcher(outputLanes);
		long requantizers = 0;
		while (requantizer.find()) {
			requantizers += evaluate("OUTPUT_LANES", values);
		}
		long accumulator = evaluate(types.get("output_acc_t"), values);
		dsp += requantizers * ((accumulator + aBits - 1) / aBits + (residual ? 1 : 0));
		assertEquals(2 * evaluate("OUTPUT_LANES", values), requantizers, "two requantizers per output lane");

		// RAMB18: every array of the loop nest, each unit's buffers for every unit, by its partitioning: complete
		// partitions are separate memories (all of them registers when every dimension is partitioned), reshaped
		// dimensions widen a memory's word
		String body = loopNest.substring(loopNest.indexOf("inline void run_weight_layer("));
		assertTrue(body.contains("ILMPQ_EACH_UNIT(ILMPQ_UNIT_BUFFERS)"), "every unit has its buffers");
		String buffers = macro(loopNest, "ILMPQ_UNIT_BUFFERS(u)");
		for (String unit : units) {
			body += buffers.replace("u##_", unit + "_");
		}
		Map<String, long[]> partitioned = new HashMap<>();
		Matcher pragma = PRAGMA.matcher(body);
		while (pragma.find()) {
			partitioned.computeIfAbsent(pragma.group(2), name -> new long[8])[Integer.parseInt(pragma.group(3))] = pragma
					.group(1).equals("PARTITION") ? 1 : 2;
		}
		List<String> distributed = new ArrayList<>();
		Matcher lutram = LUTRAM.matcher(body);
		while (lutram.find()) {
			distributed.add(lutram.group(1));
		}
		long bram18 = ResourceModel.SHELL.bram18();
		Matcher array = ARRAY.matcher(body);
		List<String> counted = new ArrayList<>();
		while (array.find()) {
			String type = array.group(1);
			String name = array.group(2);
			if (!types.containsKey(type) || distributed.contains(name)) {
				continue; // not an array of the design's values (counters and flags: registers), or in LUTs
			}
			List<Long> dims = new ArrayList<>();
			Matcher dim = Pattern.compile("\\[([^\\]]+)\\]").matcher(array.group(3));
			while (dim.find()) {
				dims.add(evaluate(dim.group(1), values));
			}
			long[] how = partitioned.getOrDefault(name, new long[8]);
			long memories = 1;
			long width = evaluate(types.get(type), values);
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

	/**
	 * The header's constants and integer types: the global ones by name, a config's as {@code name_config::NAME}
	 * (its expressions in terms of its own names made global ones).
	 */
	private static void declarations(String header, Map<String, String> values, Map<String, String> types) {
		Matcher config = CONFIG.matcher(header);
		while (config.find()) {
			String scope = config.group(1) + "::";
			String members = config.group(2);
			Matcher constant = CONSTANT.matcher(members);
			List<String> names = new ArrayList<>();
			while (constant.find()) {
				names.add(constant.group(1));
			}
			constant.reset();
			while (constant.find()) {
				values.put(scope + constant.group(1), scoped(constant.group(2), names, scope));
			}
			Matcher type = TYPEDEF.matcher(members);
			while (type.find()) {
				types.put(scope + type.group(2), scoped(type.group(1), names, scope));
			}
		}
		String global = CONFIG.matcher(header).replaceAll("");
		Matcher constant = CONSTANT.matcher(global);
		while (constant.find()) {
			values.put(constant.group(1), constant.group(2).trim());
		}
		Matcher type = TYPEDEF.matcher(global);
		while (type.find()) {
			types.put(type.group(2), type.group(1));
		}
	}

	private static String scoped(String expression, List<String> names, String scope) {
		String scoped = expression;
		for (String name : names) {
			scoped = scoped.replaceAll("\\b" + name + "\\b", scope + name);
		}
		return scoped;
	}

	/** The units a list macro of the header applies its argument to: "#define ILMPQ_EACH_ENGINE(UNIT) UNIT(pot4) ...". */
	private static List<String> units(String header, String list) {
		Matcher definition = Pattern.compile("#define " + list + "\\(UNIT\\) (.*)").matcher(header);
		assertTrue(definition.find(), list);
		String text = definition.group(1);
		List<String> units = new ArrayList<>();
		if (text.startsWith("ILMPQ_EACH_ENGINE(UNIT)")) {
			units.addAll(units(header, "ILMPQ_EACH_ENGINE"));
		}
		Matcher unit = Pattern.compile("\\bUNIT\\((\\w+)\\)").matcher(text.replace("ILMPQ_EACH_ENGINE(UNIT)", ""));
		while (unit.find()) {
			units.add(unit.group(1));
		}
		return units;
	}

	/** The body of a function-like macro, its continued lines joined. */
	private static String macro(String source, String signature) {
		int start = source.indexOf("#define " + signature);
		assertTrue(start >= 0, signature);
		StringBuilder body = new StringBuilder();
		for (String line : source.substring(start).split("\n")) {
			boolean continued = line.endsWith("\\");
			body.append(continued ? line.substring(0, line.length() - 1) : line).append('\n');
			if (!continued) {
				break;
			}
		}
		return body.substring(body.indexOf(")") + 1);
	}

	/** The text of a struct of the runtime headers, up to its closing brace. */
	private static String body(String source, String start) {
		int at = source.indexOf(start);
		assertTrue(at >= 0, start);
		return source.substring(at, source.indexOf("\n};\n", at));
	}

	private static String file(List<GeneratedFile> files, String suffix) {
		return files.stream().filter(f -> f.path().endsWith(suffix)).findFirst().orElseThrow().content();
	}

	/**
	 * A dimension or width: a literal, a constant, or their sum or product ("pot4_config::ROWS * LANES",
	 * "ACTIVATION_BITS + 1").
	 */
	private static long evaluate(String expression, Map<String, String> values) {
		String text = expression.trim();
		if (text.contains("+")) {
			long sum = 0;
			for (String term : text.split("\\+")) {
				sum += evaluate(term, values);
			}
			return sum;
		}
		long product = 1;
		for (String factor : text.split("\\*")) {
			String name = factor.trim();
			if (name.matches("\\d+")) {
				product *= Long.parseLong(name);
			} else {
				assertTrue(values.containsKey(name), "the header declares " + name);
				product *= evaluate(values.get(name), values);
			}
		}
		return product;
	}
}
