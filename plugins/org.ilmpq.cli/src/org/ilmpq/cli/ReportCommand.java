package org.ilmpq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.generator.report.ReportFiles;
import org.ilmpq.generator.report.ReportTargets;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilmpq report FILE... -o DIR [--device PART]...}: the modelled resources, latency, baselines and best
 * split of each spec on each device, as HTML, JSON and CSV, and a summary table on the terminal.
 */
@Command(name = "report", description = "Estimate resources and latency on devices; write HTML, JSON and CSV reports.",
		mixinStandardHelpOptions = true, sortOptions = false, exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:every report written", "1:a spec has errors (nothing written for it)",
				"2:wrong arguments, an unknown device, a file that cannot be read or written" })
public class ReportCommand implements Callable<Integer> {

	@Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Parameters(paramLabel = "FILE", arity = "1..*", description = "the .ilmpq specs to report on")
	private List<String> files = new ArrayList<>();

	@Option(names = { "-o", "--output" }, paramLabel = "DIR", required = true,
			description = "where to write <spec>-<device>.html, .json and .csv (created if missing)")
	private Path output;

	@Option(names = "--device", paramLabel = "PART",
			description = "a part number or board to report on, repeatable; default: the spec's target, PYNQ-Z2 and ZC706")
	private List<String> devices = new ArrayList<>();

	@Inject
	private SpecChecker checker;

	@Inject
	private SpecAnalyzer analyzer;

	@Inject
	private DeviceLibrary library;

	@Override
	public Integer call() {
		PrintWriter out = command.commandLine().getOut();
		PrintWriter err = command.commandLine().getErr();
		List<Part> parts = new ArrayList<>();
		for (String device : devices) {
			Optional<Part> part = library.resolve(device);
			if (part.isEmpty()) {
				err.println("ilmpq: unknown device '" + device + "'"
						+ library.suggest(device).map(s -> "; did you mean '" + s + "'?").orElse(""));
				err.flush();
				return ExitCode.USAGE;
			}
			parts.add(part.get());
		}
		Map<String, String> specNames = new HashMap<>();
		for (String file : files) {
			String other = specNames.putIfAbsent(ReportFiles.specName(Path.of(file)), file);
			if (other != null && !Path.of(other).normalize().equals(Path.of(file).normalize())) {
				err.println("ilmpq: " + other + " and " + file + " would write the same report files ("
						+ ReportFiles.specName(Path.of(file)) + "-*); report them to different folders");
				err.flush();
				return ExitCode.USAGE;
			}
		}
		int exit = ExitCode.OK;
		for (String file : new LinkedHashSet<>(files)) {
			SpecCheck check = checker.check(file);
			int refused = check.refuse("no report for", out, err);
			if (refused != ExitCode.OK) {
				exit = Math.max(exit, refused);
				continue;
			}
			SpecAnalysis analysis = analyzer.analyze(check.spec().get());
			Workload workload = Workload.of(analysis.network(), analysis.lowered().spec().quantization().activations());
			if (workload.schemes().isEmpty()) {
				err.println("ilmpq: no report for " + file + ": no weight layer has a split, so there is nothing for "
						+ "an accelerator to do (a quantization section with a split, and a conv or linear layer)");
				exit = Math.max(exit, ExitCode.ERRORS);
				continue;
			}
			List<Target> targets = ReportTargets.of(analysis.lowered().spec().target(), parts, library);
			// the core model is immutable: the devices are studied in parallel
			List<DeviceStudy> studies = targets.parallelStream()
					.map(target -> DeviceStudy.of(analysis.lowered().spec(), analysis.network(), workload, target))
					.toList();
			try {
				List<Path> written = ReportFiles.write(output, Path.of(file), studies);
				ReportSummary.print(file, studies, out);
				err.println("ilmpq: wrote " + written.size() + " files to " + output);
			} catch (IOException e) {
				err.println("ilmpq: cannot write the reports of " + file + " to " + output + ": " + IoFailure.describe(e));
				exit = Math.max(exit, ExitCode.USAGE);
			}
		}
		out.flush();
		err.flush();
		return exit;
	}
}
