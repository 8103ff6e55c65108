package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.export.ExportedLayer;
import org.ilmpq.core.export.ExportedRow;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DramTraffic;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GeneratedFiles;
import org.ilmpq.generator.hls.HlsProjectGenerator;

/**
 * Generates the HLS project of a spec given as text, as {@code ilmpq generate} does, and builds and runs its C
 * simulation with the project's own Makefile (g++ -std=c++17 -Wall -Wextra -Werror).
 */
final class HlsProject {

	private HlsProject() {
	}

	static List<GeneratedFile> generate(SpecFixture fixture, String spec, String fileName,
			HlsProjectGenerator.Weights weights) {
		SpecAnalysis analysis = fixture.analyze(spec);
		try {
			return HlsProjectGenerator.generate(analysis.lowered().spec(), analysis.network(), fileName,
					GeneratedScript.TOOL, weights);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Writes the project of a spec with seeded weights below {@code directory}; returns the project folder. */
	static Path write(SpecFixture fixture, String spec, Path directory) {
		return write(generate(fixture, spec, "spec.ilmpq", new HlsProjectGenerator.Weights.Seeded(1)), directory);
	}

	static Path write(List<GeneratedFile> files, Path directory) {
		try {
			GeneratedFiles.write(directory, files);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		String first = files.get(0).path();
		return directory.resolve(first.substring(0, first.indexOf("/firmware/")));
	}

	/** Builds the C simulation with {@code make}; fails the test with the compiler's output when it does not build. */
	static void build(Path project) {
		ExternalCommand.Result result = make(project);
		if (result.exitCode() != 0) {
			fail("make in " + project + " exited " + result.exitCode() + ":\n" + result.output());
		}
	}

	static ExternalCommand.Result make(Path project, String... targets) {
		List<String> command = new java.util.ArrayList<>(List.of("make", "-s"));
		command.addAll(List.of(targets));
		return ExternalCommand.run(project, 300, "install Debian's make and g++", command);
	}

	/** Runs the built test bench on an export folder; returns how it ended. */
	static ExternalCommand.Result simulate(Path project, Path export) {
		String top = project.getFileName().toString();
		return ExternalCommand.run(project, 300, "build it first",
				List.of(project.resolve("build/tb_" + top).toString(), export.toString()));
	}

	/** Builds and runs the C simulation on the project's own weights; returns its output, which must say PASS. */
	static String passes(Path project) {
		build(project);
		ExternalCommand.Result result = simulate(project, project.resolve("firmware/weights"));
		assertEquals(0, result.exitCode(), result.output());
		return result.output();
	}

	/**
	 * What the counting C simulation ({@code make cycles}) counted: the words of each step and the bytes of DRAM time
	 * their bursts take, the cycles of each layer.
	 */
	record Counts(Map<String, DramTraffic> traffic, Map<String, Long> dramBytes, Map<String, Long> cycles) {
	}

	/**
	 * Builds and runs the counting C simulation ({@code make cycles}), which must pass too; returns the DRAM words
	 * each step moved, by step (input, weights, parameters, residual, output), and the cycles of each weight layer.
	 */
	static Counts counts(Path project, int wordBits) {
		ExternalCommand.Result result = make(project, "cycles");
		assertEquals(0, result.exitCode(), result.output());
		assertTrue(result.output().contains("PASS: "), result.output());
		Map<String, DramTraffic> steps = new LinkedHashMap<>();
		Map<String, Long> dramBytes = new LinkedHashMap<>();
		Map<String, Long> cycles = new LinkedHashMap<>();
		try {
			List<String> lines = Files.readAllLines(project.resolve("traffic.csv"));
			assertEquals("step,input_words,weight_words,parameter_words,residual_words,output_words,dram_bytes",
					lines.get(0));
			for (String line : lines.subList(1, lines.size())) {
				String[] cells = line.split(",");
				steps.put(cells[0], new DramTraffic(Long.parseLong(cells[1]), Long.parseLong(cells[2]),
						Long.parseLong(cells[3]), Long.parseLong(cells[4]), Long.parseLong(cells[5]), wordBits));
				dramBytes.put(cells[0], Long.parseLong(cells[6]));
			}
			lines = Files.readAllLines(project.resolve("cycles.csv"));
			assertEquals("layer,cycles", lines.get(0));
			for (String line : lines.subList(1, lines.size())) {
				String[] cells = line.split(",");
				cycles.put(cells[0], Long.parseLong(cells[1]));
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return new Counts(steps, dramBytes, cycles);
	}

	/** The hardware model's design for a spec's target, which the generator writes: the one `ilmpq report` shows. */
	static DesignEstimate design(SpecFixture fixture, String spec) {
		SpecAnalysis analysis = fixture.analyze(spec);
		NetworkSpec lowered = analysis.lowered().spec();
		return DesignSearch.best(Workload.of(analysis.network(), lowered.quantization().activations()),
				lowered.target().orElseThrow(), DesignSearch.Packing.DENSEST).orElseThrow();
	}

	/**
	 * The generated project is the design the hardware model costs: every weight layer moves, word for word, what
	 * the model counts for it (DramTraffic), and takes the cycles the model gives it (LoopNestSchedule and the DRAM
	 * bound) within 10 % where it takes at least 1 % of the time, the network within 5 %: the counting C
	 * simulation against the model's layer timings, for the rows the export gave each scheme. Returns the counts.
	 */
	static Counts assertTrafficAndCyclesAreTheModels(SpecFixture fixture, String spec, Path project) {
		// the design the generator wrote, costed with the rows the project's export gave each scheme: a grouped
		// layer's groups then cost what they hold, as the simulation runs them (without an export, an expectation)
		DesignEstimate generated = design(fixture, spec);
		Map<String, List<Scheme>> schemes = new LinkedHashMap<>();
		try {
			for (ExportedLayer layer : QuantizedNetworkExport.read(project.resolve("firmware/weights/weights.txt"))
					.layers()) {
				schemes.put(layer.name(), layer.rows().stream().map(ExportedRow::scheme).toList());
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		DesignEstimate design = DesignEstimate.of(generated.config(), generated.workload().withRowSchemes(schemes),
				generated.target());
		Counts counted = counts(project, design.bandwidth().wordBits());
		for (LayerTiming layer : design.layers()) {
			String name = layer.layer().name();
			assertEquals(layer.traffic(), counted.traffic().get(name), name);
			assertEquals(layer.dramBytes(), counted.dramBytes().get(name), name + ": bytes of DRAM time of its bursts");
			assertTrue(counted.cycles().containsKey(name), name + " is not in cycles.csv: " + counted.cycles());
		}
		assertEquals(design.layers().size(), counted.cycles().size(), counted.cycles().toString());
		assertCyclesWithin(design, counted, "the model of the export's rows", true);
		return counted;
	}

	/**
	 * The network takes within 5 % of the cycles the report gives it, which knows the split only and takes each row
	 * step's rows as even over the output lanes: one export's rows, dealt out to the steps, may leave a step's lanes
	 * uneven where an engine's rows run out (a layer of few rows whose output stage binds), but not over a network.
	 */
	static void assertNetworkNearTheReport(SpecFixture fixture, String spec, Counts counted) {
		assertCyclesWithin(design(fixture, spec), counted, "the report", false);
	}

	/**
	 * The network within 5 % of the model's cycles and, {@code perLayer}, every layer of at least 1 % of the time
	 * within 10 %.
	 */
	private static void assertCyclesWithin(DesignEstimate design, Counts counted, String model, boolean perLayer) {
		long modelTotal = 0;
		long countedTotal = 0;
		for (LayerTiming layer : design.layers()) {
			modelTotal += layer.cycles();
			countedTotal += counted.cycles().get(layer.layer().name());
		}
		for (LayerTiming layer : design.layers()) {
			long count = counted.cycles().get(layer.layer().name());
			if (perLayer && layer.cycles() >= modelTotal / 100) {
				assertEquals(layer.cycles(), count, layer.cycles() / 10.0, layer.layer().name() + ": " + model + " "
						+ layer.cycles() + " cycles, counted " + count);
			}
		}
		assertEquals(modelTotal, countedTotal, modelTotal / 20.0, "the network's cycles against " + model);
	}
}
