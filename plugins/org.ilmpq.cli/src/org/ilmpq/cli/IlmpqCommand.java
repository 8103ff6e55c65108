package org.ilmpq.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.text.MessageText;
import org.ilmpq.dsl.IlmpqStandaloneSetup;
import org.ilmpq.dsl.validation.ValidatorFailures;

import com.google.inject.Injector;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;

/**
 * The {@code ilmpq} command: one subcommand per job ({@code validate}, {@code report}, {@code generate}). Runs
 * in-process for tests through {@link #run(PrintWriter, PrintWriter, String...)}.
 */
@Command(name = "ilmpq", mixinStandardHelpOptions = true, versionProvider = IlmpqCommand.Version.class,
		description = "ILMPQ Workbench: intra-layer mixed-precision quantization of networks for Xilinx Zynq.",
		subcommands = { ValidateCommand.class, ReportCommand.class, GenerateCommand.class, ImportCommand.class,
				CommandLine.HelpCommand.class })
public class IlmpqCommand implements Runnable {

	@picocli.CommandLine.Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(command.commandLine(), "name a command, e.g. 'ilmpq validate FILE'");
	}

	public static void main(String[] args) {
		logToStandardError();
		System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
	}

	/**
	 * Xtext and EMF log through log4j, by default on standard output with stack traces, among the diagnostics (and
	 * into a JSON document). The command line logs warnings and errors on standard error instead, one line each
	 * ({@code ilmpq: log: ...}); the checks that throw are said by the commands themselves (exit code 3).
	 */
	static void logToStandardError() {
		Logger root = Logger.getRootLogger();
		root.removeAllAppenders();
		root.setLevel(Level.WARN);
		root.addAppender(new AppenderSkeleton() {
			@Override
			protected void append(LoggingEvent event) {
				String[] thrown = event.getThrowableStrRep();
				System.err.println(MessageText.escape("ilmpq: log: " + event.getRenderedMessage()
						+ (thrown == null || thrown.length == 0 ? "" : ": " + thrown[0])));
			}

			@Override
			public boolean requiresLayout() {
				return false;
			}

			@Override
			public void close() {
				// standard error stays open
			}
		});
		Logger.getLogger(ValidatorFailures.class).setLevel(Level.OFF);
	}

	/** The language's services, set up once per process (the EMF registration is global). */
	private static final class Language {
		static final Injector INJECTOR = new IlmpqStandaloneSetup().createInjectorAndDoEMFRegistration();
	}

	/** Runs one command line; returns its exit code ({@link ExitCode}). */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		try {
			DeviceLibrary.builtIn(); // a user's device file with an error stops every command, before any spec
		} catch (IllegalArgumentException | UncheckedIOException e) {
			err.println("ilmpq: " + e.getMessage());
			return ExitCode.USAGE;
		}
		CommandLine commandLine = new CommandLine(IlmpqCommand.class, new InjectingFactory(Language.INJECTOR));
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
			err.println("ilmpq: internal error: " + exception);
			return ExitCode.USAGE;
		});
		return commandLine.execute(args);
	}

	/** Creates the commands through Guice, so that they get the language's services injected. */
	private static final class InjectingFactory implements IFactory {
		private final Injector injector;

		InjectingFactory(Injector injector) {
			this.injector = injector;
		}

		@Override
		public <K> K create(Class<K> type) throws Exception {
			return type.getName().startsWith("org.ilmpq.") ? injector.getInstance(type)
					: CommandLine.defaultFactory().create(type);
		}
	}

	/** The version of the jar the command runs from, as the build stamped it. */
	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			String version = IlmpqCommand.class.getPackage().getImplementationVersion();
			return new String[] { "ilmpq " + (version == null ? "(development build)" : version) };
		}
	}
}
