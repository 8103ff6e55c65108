package org.ilmpq.generator.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GeneratedFiles;
import org.ilmpq.generator.pytorch.PyTorchScriptGenerator;

/** Generates the PyTorch script of a spec given as text, as {@code ilmpq generate} does. */
final class GeneratedScript {

	/** The version string of the headers, fixed so that golden files do not change with each release. */
	static final String TOOL = "ILMPQ Workbench (test)";

	private GeneratedScript() {
	}

	static List<GeneratedFile> generate(SpecFixture fixture, String spec, String fileName) {
		SpecAnalysis analysis = fixture.analyze(spec);
		return PyTorchScriptGenerator.generate(analysis.lowered().spec(), analysis.network(), fileName, TOOL);
	}

	/** Writes the files below {@code directory}; returns the {@code quant/} folder. */
	static Path write(SpecFixture fixture, String spec, String fileName, Path directory) {
		try {
			GeneratedFiles.write(directory, generate(fixture, spec, fileName));
			return directory.resolve("quant");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
