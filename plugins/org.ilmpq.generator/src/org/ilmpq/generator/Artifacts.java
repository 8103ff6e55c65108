package org.ilmpq.generator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.generator.hls.HlsProjectGenerator;
import org.ilmpq.generator.pytorch.PyTorchScriptGenerator;

/**
 * Every artifact of a spec, made in one place for the command line and the workbench's builder: the PyTorch
 * quantization script and, for a spec with a target, the Vitis HLS project. What a generator will not make is a
 * {@link Refusal} in the result, for the caller to report (an exit code, a marker); anything else a generator throws
 * is a bug and is not caught here.
 */
public final class Artifacts {

	/** The artifacts a spec has. */
	public enum Kind {
		SCRIPT("quantization script"), HLS_PROJECT("HLS project");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

		/** As messages name it: "no HLS project: ...". */
		public String label() {
			return label;
		}
	}

	/** Why an artifact was not made. */
	public enum Reason {
		/** The spec names no target, so there is no design to generate: not a fault of the spec. */
		NO_TARGET,
		/** The generator does not support the network or the weights given ({@link GenerationRefusal}). */
		UNSUPPORTED
	}

	/** An artifact that was not made, and why, in words for the user. */
	public record Refusal(Kind artifact, Reason reason, String message) {
	}

	/**
	 * What to make.
	 *
	 * @param specFile the spec's file name, for the headers
	 * @param tool the generator's name and version, for the headers
	 * @param script whether to make the quantization script
	 * @param hls whether to make the HLS project (where the spec has a target)
	 * @param weights the weights the HLS project simulates
	 */
	public record Options(String specFile, String tool, boolean script, boolean hls,
			HlsProjectGenerator.Weights weights) {
	}

	/** The files made, in the generators' order, and the artifacts not made. */
	public record Result(List<GeneratedFile> files, List<Refusal> refusals) {

		public Optional<Refusal> refusal(Kind artifact) {
			return refusals.stream().filter(refusal -> refusal.artifact() == artifact).findFirst();
		}
	}

	private Artifacts() {
	}

	/**
	 * @throws IllegalArgumentException when the spec has errors: generate only from a spec that validates
	 * @throws IOException when the export the HLS project simulates cannot be read (an
	 *             {@link org.ilmpq.core.export.ExportFormatException} when it is malformed)
	 */
	public static Result of(NetworkSpec spec, NetworkAnalysis analysis, Options options) throws IOException {
		List<GeneratedFile> files = new ArrayList<>();
		List<Refusal> refusals = new ArrayList<>();
		if (options.script()) {
			try {
				files.addAll(PyTorchScriptGenerator.generate(spec, analysis, options.specFile(), options.tool()));
			} catch (GenerationRefusal e) {
				refusals.add(new Refusal(Kind.SCRIPT, Reason.UNSUPPORTED, e.getMessage()));
			}
		}
		if (options.hls()) {
			if (spec.target().isEmpty()) {
				refusals.add(new Refusal(Kind.HLS_PROJECT, Reason.NO_TARGET, "the spec names no target (part and "
						+ "clock)"));
			} else {
				try {
					files.addAll(HlsProjectGenerator.generate(spec, analysis, options.specFile(), options.tool(),
							options.weights()));
				} catch (GenerationRefusal e) {
					refusals.add(new Refusal(Kind.HLS_PROJECT, Reason.UNSUPPORTED, e.getMessage()));
				}
			}
		}
		return new Result(List.copyOf(files), List.copyOf(refusals));
	}
}
