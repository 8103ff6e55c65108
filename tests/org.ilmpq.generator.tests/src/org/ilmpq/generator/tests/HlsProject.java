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
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DramTraffic;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.model.NetworkSpec;
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
	 * Builds and runs the traffic-counting C simulation ({@code make traffic}), which must pass too; returns the
	 * DRAM words each step moved, by step: input, weights, parameters, residual, output.
	 */
	static Map<String, DramTraffic> traffic(Path project, int wordBits) {
		ExternalCommand.Result result = make(project, "traffic");
		assertEquals(0, result.exitCode(), result.output());
		assertTrue(result.output().contains("PASS: "), result.output());
		Map<String, DramTraffic> steps = new LinkedHashMap<>();
		try {
			List<String> lines = Files.readAllLines(project.resolve("traffic.csv"));
			assertEquals("step,input_words,weight_words,parameter_words,residual_words,output_words", lines.get(0));
			for (String line : lines.subList(1, lines.size())) {
				String[] cells = line.split(",");
				steps.put(cells[0], new DramTraffic(Long.parseLong(cells[1]), Long.parseLong(cells[2]),
						Long.parseLong(cells[3]), Long.parseLong(cells[4]), Long.parseLong(cells[5]), wordBits));
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return steps;
	}

	/** The hardware model's design for a spec's target, which the generator writes: the one `ilmpq report` shows. */
	static DesignEstimate design(SpecFixture fixture, String spec) {
		SpecAnalysis analysis = fixture.analyze(spec);
		NetworkSpec lowered = analysis.lowered().spec();
		return DesignSearch.best(Workload.of(analysis.network(), lowered.quantization().activations()),
				lowered.target().orElseThrow(), DesignSearch.Packing.DENSEST).orElseThrow();
	}

	/**
	 * Every weight layer of the generated project moves, word for word, what the hardware model counts for it
	 * (DramTraffic): the counting C simulation against the model's layer timings.
	 */
	static void assertTrafficIsTheModels(SpecFixture fixture, String spec, Path project) {
		DesignEstimate design = design(fixture, spec);
		Map<String, DramTraffic> counted = traffic(project, design.bandwidth().wordBits());
		for (LayerTiming layer : design.layers()) {
			assertEquals(layer.traffic(), counted.get(layer.layer().name()), layer.layer().name());
		}
	}
}
