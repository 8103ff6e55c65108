package org.ilmpq.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The import of an ONNX model, as the command line ({@code ilmpq import}) and the workbench's import wizard run it:
 * read the model, map its graph, write the spec's text; the float weights on request. Validating the text is the
 * caller's (the language's validator; the importer depends on no Xtext).
 */
public final class OnnxImport {

	/**
	 * What to import and how: the model, the input's shape where the model leaves it symbolic, the network's name
	 * and what the spec says besides the network.
	 */
	public record Request(Path model, Optional<List<Long>> inputShape, String network,
			ImportedSpecWriter.Settings settings) {
	}

	/** The imported network and its spec. */
	public record Result(ImportedNetwork network, ImportedSpecWriter.WrittenSpec spec) {

		/** The float weights ({@link FloatCheckpoint}), the layers named as the spec lowers them. */
		public void writeWeights(OutputStream out) throws IOException, OnnxFormatException {
			FloatCheckpoint.write(out, network, spec.loweredNames());
		}
	}

	private OnnxImport() {
	}

	public static Result run(Request request) throws IOException, OnnxFormatException, UnsupportedModelException {
		OnnxModelFile file = OnnxModelFile.read(request.model());
		try {
			ImportedNetwork network = OnnxGraphImport.of(file, request.inputShape(), request.network());
			return new Result(network, ImportedSpecWriter.write(network, request.settings()));
		} catch (RuntimeException e) {
			// a model that breaks an assumption the checks missed (an index out of range, an overflow): said as
			// such, not as a stack trace
			throw new OnnxFormatException(request.model() + ": the importer failed on this model (" + e
					+ "); it may be malformed: please report it with the model", e);
		}
	}

	/**
	 * An input shape as a user writes it, {@code 3,224,224} (C, H, W) or {@code 64} (features); a
	 * NumberFormatException where it is not positive sizes separated by commas.
	 */
	public static List<Long> inputShape(String text) {
		List<Long> dims = new java.util.ArrayList<>();
		for (String part : text.split(",", -1)) {
			long value = Long.parseLong(part.trim());
			if (value <= 0) {
				throw new NumberFormatException(part);
			}
			dims.add(value);
		}
		return dims;
	}

	/** The model file's name without its extension, made a valid network name: resnet18.onnx gives resnet18. */
	public static String defaultNetworkName(Path model) {
		String file = model.getFileName() == null ? "network" : model.getFileName().toString();
		int dot = file.lastIndexOf('.');
		String name = LayerNames.identifier(dot > 0 ? file.substring(0, dot) : file);
		return name.isEmpty() ? "network" : LayerNames.RESERVED.contains(name) ? name + "_" : name;
	}

	/**
	 * What is wrong with a name or setting that goes into the spec's text as it is given (each is then validated
	 * with the spec, but must not break the text around it); empty where nothing is.
	 */
	public static Optional<String> problem(String network, ImportedSpecWriter.Settings settings) {
		if (!network.matches("[A-Za-z_][A-Za-z0-9_]*") || LayerNames.RESERVED.contains(network)) {
			return Optional.of("the network's name takes letters, digits and underscores and is no keyword, not '"
					+ network + "'");
		}
		if (!settings.target().matches("[A-Za-z0-9]+(-[A-Za-z0-9]+)*")) {
			return Optional.of("the target is a board or part name (PYNQ-Z2, ZC706, xc7z020clg400-1), not '"
					+ settings.target() + "'");
		}
		if (!settings.clockMhz().matches("[0-9]+(\\.[0-9]+)?")) {
			return Optional.of("the clock is a frequency in MHz (100 or 142.5), not '" + settings.clockMhz() + "'");
		}
		if (!settings.split().matches("[0-9a-z.% ,]+")) {
			return Optional.of("the split is shares such as \"60 % pot 4, 35 % fixed 4, 5 % fixed 8\", not '"
					+ settings.split() + "'");
		}
		return Optional.empty();
	}
}
