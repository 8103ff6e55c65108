package org.ilmpq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilmpq validate FILE...}: the checks of the editor, on the command line. */
@Command(name = "validate", description = "Check .ilmpq specs: syntax, names, shapes, splits, target.",
		mixinStandardHelpOptions = true, sortOptions = false,
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:no errors (warnings allowed)", "1:at least one spec has an error",
				"2:wrong arguments, or a file that cannot be read" })
public class ValidateCommand implements Callable<Integer> {

	@Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Parameters(paramLabel = "FILE", arity = "1..*", description = "the .ilmpq files to check")
	private List<String> files = new ArrayList<>();

	@Option(names = "--format", paramLabel = "gcc|json", description = "gcc (default): FILE:LINE:COL: error: "
			+ "MESSAGE [CODE], one per line; json: one JSON document", converter = ReportFormatConverter.class)
	private ReportFormat format = ReportFormat.GCC;

	@Inject
	private SpecChecker checker;

	@Override
	public Integer call() {
		List<SpecCheck> checks = files.stream().map(checker::check).toList();
		format.print(checks, command.commandLine().getOut(), command.commandLine().getErr());
		command.commandLine().getOut().flush();
		command.commandLine().getErr().flush();
		if (checks.stream().anyMatch(c -> c.failure().isPresent())) {
			return ExitCode.USAGE;
		}
		if (checks.stream().anyMatch(c -> !c.internalErrors().isEmpty())) {
			return ExitCode.INTERNAL;
		}
		return checks.stream().anyMatch(c -> c.errors() > 0) ? ExitCode.ERRORS : ExitCode.OK;
	}

	/** gcc or json, in any case; anything else is a usage error naming the choices. */
	static class ReportFormatConverter implements picocli.CommandLine.ITypeConverter<ReportFormat> {
		@Override
		public ReportFormat convert(String value) {
			for (ReportFormat format : ReportFormat.values()) {
				if (format.name().equalsIgnoreCase(value)) {
					return format;
				}
			}
			throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: use gcc or json");
		}
	}
}
