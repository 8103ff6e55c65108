package org.ilmpq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import org.ilmpq.dsl.ToolVersion;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.generator.GeneratedFile;
import org.ilmpq.generator.GeneratedFiles;
import org.ilmpq.generator.pytorch.PyTorchScriptGenerator;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilmpq generate FILE... -o DIR}: the artifacts of each spec below DIR; {@code DIR/quant/} holds the PyTorch
 * quantization-aware-training script. A spec with errors generates nothing.
 */
@Command(name = "generate", description = "Generate the PyTorch quantization script of each spec into DIR/quant/.",
		mixinStandardHelpOptions = true, sortOptions = false, exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:every spec generated", "1:a spec has errors (nothing generated for it)",
				"2:wrong arguments, a file that cannot be read or written" })
public class GenerateCommand implements Callable<Integer> {

	@Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Parameters(paramLabel = "FILE", arity = "1..*", description = "the .ilmpq specs to generate from")
	private List<String> files = new ArrayList<>();

	@Option(names = { "-o", "--output" }, paramLabel = "DIR", required = true,
			description = "the output folder (created if missing); each spec's files go below it")
	private Path output;

	@Inject
	private SpecChecker checker;

	@Inject
	private SpecAnalyzer analyzer;

	@Override
	public Integer call() {
		PrintWriter out = command.commandLine().getOut();
		PrintWriter err = command.commandLine().getErr();
		int exit = ExitCode.OK;
		for (String file : new LinkedHashSet<>(files)) {
			SpecCheck check = checker.check(file);
			if (check.failure().isPresent()) {
				err.println("ilmpq: cannot read " + file + ": " + check.failure().get());
				exit = Math.max(exit, ExitCode.USAGE);
				continue;
			}
			if (check.errors() > 0 || check.spec().isEmpty()) {
				ReportFormat.GCC.print(List.of(check), out, err);
				err.println("ilmpq: nothing generated for " + file + ": it has errors");
				exit = Math.max(exit, ExitCode.ERRORS);
				continue;
			}
			SpecAnalysis analysis = analyzer.analyze(check.spec().get());
			List<GeneratedFile> generated = PyTorchScriptGenerator.generate(analysis.lowered().spec(),
					analysis.network(), Path.of(file).getFileName().toString(), ToolVersion.generator());
			try {
				List<Path> written = GeneratedFiles.write(output, generated);
				written.forEach(path -> out.println(path));
			} catch (IOException e) {
				err.println("ilmpq: cannot write the files of " + file + " to " + output + ": " + e.getMessage());
				exit = Math.max(exit, ExitCode.USAGE);
			}
		}
		out.flush();
		err.flush();
		return exit;
	}
}
