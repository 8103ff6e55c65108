package org.ilmpq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ilmpq.core.export.ExportFormatException;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GeneratedFiles;
import org.ilmpq.generator.ToolVersion;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.ilmpq.generator.pytorch.PyTorchScriptGenerator;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilmpq generate FILE... -o DIR}: the artifacts of each spec below DIR; {@code DIR/quant/} holds the PyTorch
 * quantization-aware-training script, {@code DIR/hls/<network>/} the Vitis HLS project of a spec with a target. A
 * spec with errors generates nothing.
 */
@Command(name = "generate", description = { "Generate the PyTorch quantization script of each spec into DIR/quant/ "
		+ "and, for a spec with a target, its Vitis HLS project into DIR/hls/<network>/.",
		"The HLS project's weights are the export given with --weights, or seeded made-up ones whose golden data "
				+ "the Java reference computes." },
		mixinStandardHelpOptions = true, sortOptions = false, exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:every spec generated",
				"1:a spec has errors (nothing generated for it), or a network the script or the HLS design cannot run "
						+ "(what can be generated is)",
				"2:wrong arguments, a file that cannot be read or written, an export that cannot be read" })
public class GenerateCommand implements Callable<Integer> {

	@Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Parameters(paramLabel = "FILE", arity = "1..*", description = "the .ilmpq specs to generate from")
	private List<String> files = new ArrayList<>();

	@Option(names = { "-o", "--output" }, paramLabel = "DIR", required = true,
			description = "the output folder (created if missing); each spec's files go below it")
	private Path output;

	@Option(names = "--weights", paramLabel = "EXPORT_DIR",
			description = "the folder the quantization script's export wrote (weights.txt, golden.txt): the HLS "
					+ "project simulates these weights; with one spec only")
	private Path weights;

	@Option(names = "--seed", paramLabel = "N",
			defaultValue = "" + HlsProjectGenerator.Weights.Seeded.DEFAULT_SEED,
			description = "the seed of the made-up weights when --weights is not given (default: ${DEFAULT-VALUE})")
	private long seed;

	@Inject
	private SpecChecker checker;

	@Inject
	private SpecAnalyzer analyzer;

	@Override
	public Integer call() {
		PrintWriter out = command.commandLine().getOut();
		PrintWriter err = command.commandLine().getErr();
		int exit = ExitCode.OK;
		// every spec first, so that two specs that would write one file are found before anything is written
		Map<String, List<GeneratedFile>> generated = new LinkedHashMap<>();
		Map<String, String> writers = new HashMap<>();
		Map<String, GeneratedFile> paths = new HashMap<>();
		if (weights != null && new LinkedHashSet<>(files).size() != 1) {
			err.println("ilmpq: --weights is the export of one network: give one spec with it");
			err.flush();
			return ExitCode.USAGE;
		}
		if (weights != null && Files.exists(weights) && !Files.isDirectory(weights)) {
			err.println("ilmpq: --weights names the folder the quantization script's export wrote, and " + weights
					+ " is a file");
			err.flush();
			return ExitCode.USAGE;
		}
		for (String file : new LinkedHashSet<>(files)) {
			SpecCheck check = checker.check(file);
			int refused = check.refuse("nothing generated for", out, err);
			if (refused != ExitCode.OK) {
				exit = Math.max(exit, refused);
				continue;
			}
			SpecAnalysis analysis = analyzer.analyze(check.spec().get());
			List<GeneratedFile> artifacts;
			try {
				artifacts = PyTorchScriptGenerator.generate(analysis.lowered().spec(), analysis.network(),
						Path.of(file).getFileName().toString(), ToolVersion.generator());
			} catch (IllegalArgumentException e) {
				// what the language allows but the script does not support (several inputs)
				err.println("ilmpq: nothing generated for " + file + ": " + e.getMessage());
				exit = Math.max(exit, ExitCode.ERRORS);
				continue;
			}
			artifacts = new ArrayList<>(artifacts);
			int hls = addHlsProject(file, analysis, artifacts, err);
			exit = Math.max(exit, hls);
			if (hls == ExitCode.USAGE) {
				continue;
			}
			// a file two specs would write differently (the runtime beside the networks is the same for every spec)
			for (GeneratedFile artifact : artifacts) {
				GeneratedFile first = paths.putIfAbsent(artifact.path(), artifact);
				if (first != null && !first.content().equals(artifact.content())) {
					err.println("ilmpq: " + writers.get(artifact.path()) + " and " + file + " would both write "
							+ artifact.path() + "; generate them to different folders");
					out.flush();
					err.flush();
					return ExitCode.USAGE;
				}
				writers.putIfAbsent(artifact.path(), file);
			}
			generated.put(file, artifacts);
		}
		// one write for every spec: all of their files, or (on a failure) none, the folder as it was
		List<GeneratedFile> all = new ArrayList<>();
		generated.values().forEach(artifacts -> artifacts.stream()
				.filter(artifact -> paths.get(artifact.path()) == artifact).forEach(all::add));
		try {
			GeneratedFiles.write(output, all);
			for (Map.Entry<String, List<GeneratedFile>> entry : generated.entrySet()) {
				entry.getValue().forEach(artifact -> out.println(output.resolve(artifact.path()).normalize()));
				err.println("ilmpq: wrote " + entry.getValue().size() + " files of " + entry.getKey() + " to " + output);
			}
		} catch (IOException e) {
			err.println("ilmpq: nothing written to " + output + ": " + IoFailure.describe(e) + " (what was there is "
					+ "untouched)");
			exit = Math.max(exit, ExitCode.USAGE);
		}
		out.flush();
		err.flush();
		return exit;
	}

	/**
	 * Adds the HLS project of a spec with a target to its artifacts. Returns OK, or ERRORS where the design cannot
	 * run the network (the script is still written), or USAGE where --weights cannot be used (nothing is written
	 * for the spec); says why on err.
	 */
	private int addHlsProject(String file, SpecAnalysis analysis, List<GeneratedFile> artifacts, PrintWriter err) {
		String name = Path.of(file).getFileName().toString();
		if (analysis.lowered().spec().target().isEmpty()) {
			if (weights != null) {
				err.println("ilmpq: nothing generated for " + file + ": --weights is for the HLS project, and the "
						+ "spec names no target (part and clock)");
				return ExitCode.USAGE;
			}
			err.println("ilmpq: no HLS project for " + file + ": the spec names no target (part and clock)");
			return ExitCode.OK;
		}
		try {
			artifacts.addAll(HlsProjectGenerator.generate(analysis.lowered().spec(), analysis.network(), name,
					ToolVersion.generator(), weights != null ? new HlsProjectGenerator.Weights.Exported(weights)
							: new HlsProjectGenerator.Weights.Seeded(seed)));
			return ExitCode.OK;
		} catch (IllegalArgumentException | ArithmeticException e) {
			// what the language allows but the design does not run (a scheme wider than its engines take, ...)
			err.println("ilmpq: no HLS project for " + file + ": " + e.getMessage());
			return ExitCode.ERRORS;
		} catch (ExportFormatException e) {
			err.println("ilmpq: nothing generated for " + file + ": " + e.getMessage());
		} catch (NoSuchFileException e) {
			err.println("ilmpq: nothing generated for " + file + ": " + e.getMessage()
					+ " does not exist (--weights names the folder an export wrote)");
		} catch (IOException e) {
			err.println("ilmpq: nothing generated for " + file + ": cannot read the export in " + weights + ": "
					+ IoFailure.describe(e));
		}
		return ExitCode.USAGE;
	}
}
