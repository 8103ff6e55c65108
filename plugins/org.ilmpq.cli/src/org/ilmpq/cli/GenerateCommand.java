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
import java.util.Optional;
import java.util.concurrent.Callable;

import org.ilmpq.core.export.ExportFormatException;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.generator.Artifacts;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GeneratedFiles;
import org.ilmpq.generator.ToolVersion;
import org.ilmpq.generator.hls.HlsProjectGenerator;

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
				"2:wrong arguments, a file that cannot be read or written, an export that cannot be read",
				"3:a generator failed inside ilmpq (a bug; nothing generated for that spec)" })
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
			Artifacts.Result result;
			try {
				result = generate(file, analysis, err);
			} catch (RuntimeException e) {
				// not a refusal: a generator failed where it should not (a bug); the spec gets nothing
				err.println("ilmpq: nothing generated for " + file + ": internal error: " + e);
				exit = Math.max(exit, ExitCode.INTERNAL);
				continue;
			}
			if (result == null) {
				exit = Math.max(exit, ExitCode.USAGE);
				continue;
			}
			Optional<Artifacts.Refusal> script = result.refusal(Artifacts.Kind.SCRIPT);
			if (script.isPresent()) {
				// what the language allows but the script does not train (several inputs): the spec gets nothing
				err.println("ilmpq: nothing generated for " + file + ": " + script.get().message());
				exit = Math.max(exit, ExitCode.ERRORS);
				continue;
			}
			Optional<Artifacts.Refusal> hls = result.refusal(Artifacts.Kind.HLS_PROJECT);
			if (hls.isPresent()) {
				// the script is still written
				err.println("ilmpq: no HLS project for " + file + ": " + hls.get().message());
				if (hls.get().reason() != Artifacts.Reason.NO_TARGET) {
					exit = Math.max(exit, ExitCode.ERRORS);
				}
			}
			List<GeneratedFile> artifacts = result.files();
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
	 * The artifacts of one spec, or null where --weights cannot be used with it (said on err: nothing is written for
	 * the spec).
	 */
	private Artifacts.Result generate(String file, SpecAnalysis analysis, PrintWriter err) {
		if (weights != null && analysis.lowered().spec().target().isEmpty()) {
			err.println("ilmpq: nothing generated for " + file + ": --weights is for the HLS project, and the spec "
					+ "names no target (part and clock)");
			return null;
		}
		try {
			return Artifacts.of(analysis.lowered().spec(), analysis.network(), new Artifacts.Options(
					Path.of(file).getFileName().toString(), ToolVersion.generator(), true, true,
					weights != null ? new HlsProjectGenerator.Weights.Exported(weights)
							: new HlsProjectGenerator.Weights.Seeded(seed)));
		} catch (ExportFormatException e) {
			err.println("ilmpq: nothing generated for " + file + ": " + e.getMessage());
		} catch (NoSuchFileException e) {
			err.println("ilmpq: nothing generated for " + file + ": " + e.getMessage()
					+ " does not exist (--weights names the folder an export wrote)");
		} catch (IOException e) {
			err.println("ilmpq: nothing generated for " + file + ": cannot read the export in " + weights + ": "
					+ IoFailure.describe(e));
		}
		return null;
	}
}
