package org.ilmpq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.ilmpq.core.io.AtomicFile;
import org.ilmpq.generator.ToolVersion;
import org.ilmpq.onnx.ImportedSpecWriter;
import org.ilmpq.onnx.OnnxFormatException;
import org.ilmpq.onnx.OnnxImport;
import org.ilmpq.onnx.UnsupportedModelException;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilmpq import MODEL.onnx -o SPEC.ilmpq}: a spec of a trained ONNX model, each repeated structure a block,
 * checked by the full validation before it is written; what the language cannot say exactly is refused at its node
 * and nothing is written.
 */
@Command(name = "import", description = { "Write the spec of an ONNX model: its layers (repeated structures as blocks),"
		+ " the target and the split (the examples' defaults unless given).",
		"The spec is validated before it is written; an operator the language cannot express exactly is an error at"
				+ " its node, and nothing is written." },
		mixinStandardHelpOptions = true, sortOptions = false, exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the spec is written", "1:the model has what a spec cannot express (nothing written)",
				"2:wrong arguments, a file that cannot be read or written, a file that is not an ONNX model" })
public class ImportCommand implements Callable<Integer> {

	@Spec
	private picocli.CommandLine.Model.CommandSpec command;

	@Parameters(paramLabel = "MODEL", description = "the ONNX model (.onnx); external tensor data beside it")
	private Path model;

	@Option(names = { "-o", "--output" }, paramLabel = "SPEC", required = true,
			description = "the spec to write (.ilmpq); replaced as a whole, or left as it was")
	private Path output;

	@Option(names = "--target", paramLabel = "BOARD|PART",
			defaultValue = ImportedSpecWriter.Settings.DEFAULT_TARGET,
			description = "the board or part the spec targets (default: ${DEFAULT-VALUE})")
	private String target;

	@Option(names = "--clock", paramLabel = "MHZ", defaultValue = ImportedSpecWriter.Settings.DEFAULT_CLOCK,
			description = "the clock in MHz (default: ${DEFAULT-VALUE})")
	private String clock;

	@Option(names = "--split", paramLabel = "SPLIT", defaultValue = ImportedSpecWriter.Settings.DEFAULT_SPLIT,
			description = "the split of every layer's rows (default: \"${DEFAULT-VALUE}\")")
	private String split;

	@Option(names = "--name", paramLabel = "NETWORK",
			description = "the network's name (default: the model file's name)")
	private String name;

	@Option(names = "--input-shape", paramLabel = "C,H,W",
			description = "the input's size without the batch, where the model leaves it symbolic")
	private String inputShape;

	@Option(names = "--weights", paramLabel = "DIR",
			description = "also write the model's float weights to DIR/<network>-float.npz, which the generated script's "
					+ "train --init and calibrate --init read")
	private Path weights;

	@Inject
	private SpecChecker checker;

	@Override
	public Integer call() {
		PrintWriter out = command.commandLine().getOut();
		PrintWriter err = command.commandLine().getErr();
		try {
			return run(out, err);
		} finally {
			out.flush();
			err.flush();
		}
	}

	private int run(PrintWriter out, PrintWriter err) {
		String networkName = name != null ? name : OnnxImport.defaultNetworkName(model);
		ImportedSpecWriter.Settings settings = new ImportedSpecWriter.Settings(target, clock, split,
				"ilmpq import (" + ToolVersion.generator() + ")");
		Optional<String> problem = OnnxImport.problem(networkName, settings);
		if (problem.isPresent()) {
			err.println("ilmpq: " + problem.get() + " (--name, --target, --clock, --split)");
			return ExitCode.USAGE;
		}
		Optional<List<Long>> shape;
		try {
			shape = inputShape == null ? Optional.empty() : Optional.of(OnnxImport.inputShape(inputShape));
		} catch (NumberFormatException e) {
			err.println("ilmpq: --input-shape takes positive sizes separated by commas (C,H,W or FEATURES), not '"
					+ inputShape + "'");
			return ExitCode.USAGE;
		}
		OnnxImport.Result imported;
		try {
			imported = OnnxImport.run(new OnnxImport.Request(model, shape, networkName, settings));
		} catch (NoSuchFileException e) {
			err.println("ilmpq: cannot read " + model + ": no such file");
			return ExitCode.USAGE;
		} catch (IOException e) {
			err.println("ilmpq: cannot read " + model + ": " + IoFailure.describe(e));
			return ExitCode.USAGE;
		} catch (OnnxFormatException e) {
			err.println("ilmpq: " + e.getMessage());
			return ExitCode.USAGE;
		} catch (UnsupportedModelException e) {
			err.println("ilmpq: " + e.getMessage());
			err.println("ilmpq: nothing written to " + output);
			return ExitCode.ERRORS;
		}
		String text = imported.spec().text();
		SpecCheck check = checker.checkText(output.toString(), text);
		int refused = check.refuse("nothing written to", out, err);
		if (refused != ExitCode.OK) {
			return refused;
		}
		Path checkpoint = null;
		if (weights != null) {
			checkpoint = weights.resolve(networkName + "-float.npz");
			try {
				Files.createDirectories(weights);
				AtomicFile.write(checkpoint, imported::writeWeights);
			} catch (IOException e) {
				err.println("ilmpq: nothing written to " + checkpoint + " nor " + output + ": " + IoFailure.describe(e));
				return ExitCode.USAGE;
			} catch (OnnxFormatException e) {
				err.println("ilmpq: " + e.getMessage() + " (nothing written)");
				return ExitCode.USAGE;
			}
		}
		try {
			AtomicFile.write(output, text);
		} catch (IOException e) {
			err.println("ilmpq: nothing written to " + output + ": " + IoFailure.describe(e));
			return ExitCode.USAGE;
		}
		if (checkpoint != null) {
			err.println("ilmpq: wrote " + checkpoint + ": the float weights (train --init " + checkpoint + ")");
		}
		err.println("ilmpq: wrote " + output + ": " + imported.network().layers().size() + " layers of "
				+ model.getFileName() + ", " + imported.spec().blocks() + " blocks, " + text.lines().count() + " lines");
		return ExitCode.OK;
	}
}
