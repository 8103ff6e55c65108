package org.ilmpq.dsl.ui.design;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.resource.ILocationInFileProvider;
import org.eclipse.xtext.util.ITextRegion;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SplitStatement;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;

import com.google.inject.Injector;

/**
 * What the Design view needs of one validated text, taken from its EMF model while the editor's resource is the
 * view's (a few milliseconds: no search): the hardware model's plain-Java inputs, or why there are none, and where
 * in the text each top-level layer and the split are, for clicks and the optimiser's button. Immutable; the searches
 * run on it later, in a job.
 *
 * @param unavailable why the model cannot estimate this text (errors, no target...); null when {@code hardware} is
 *        present
 */
public record DesignInputs(String text, String network, Optional<HardwareAnalyzer.HardwareInputs> hardware,
		String unavailable, Map<String, TextRange> layers, Optional<TextRange> split) {

	/** A region of the text. */
	public record TextRange(int offset, int length) {
	}

	/** Reads the inputs of {@code state}'s spec; called on the reconciler's thread with the resource held. */
	public static DesignInputs of(ParsedDocument.State state, Injector injector) {
		String text = state.document().getContents();
		if (state.resource().getContents().isEmpty() || !(state.resource().getContents().get(0) instanceof Spec spec)) {
			return new DesignInputs(text, "", Optional.empty(), "the text is not a spec", Map.of(), Optional.empty());
		}
		ILocationInFileProvider locations = injector.getInstance(ILocationInFileProvider.class);
		Map<String, TextRange> layers = new LinkedHashMap<>();
		for (Layer layer : EcoreUtil2.typeSelect(spec.getElements(), Layer.class)) {
			ITextRegion region = locations.getSignificantTextRegion(layer);
			if (layer.getName() != null && region != null) {
				layers.putIfAbsent(layer.getName(), new TextRange(region.getOffset(), region.getLength()));
			}
		}
		Optional<TextRange> split = EcoreUtil2.typeSelect(spec.getElements(), Quantization.class).stream()
				.flatMap(q -> EcoreUtil2.typeSelect(q.getSettings(), SplitStatement.class).stream()).findFirst()
				.map(locations::getFullTextRegion).map(r -> new TextRange(r.getOffset(), r.getLength()));
		Optional<HardwareAnalyzer.HardwareInputs> hardware = injector.getInstance(HardwareAnalyzer.class).inputs(spec);
		String network = spec.getName() == null ? "" : spec.getName();
		return new DesignInputs(text, network, hardware, hardware.isPresent() ? null : unavailable(spec, split),
				Map.copyOf(layers), split);
	}

	private static String unavailable(Spec spec, Optional<TextRange> split) {
		if (!spec.eResource().getErrors().isEmpty() || spec.eResource().getContents().isEmpty()) {
			return "the spec has syntax errors";
		}
		if (spec.isLibrary()) {
			return "library " + spec.getName() + " is a file of blocks: open a network that imports it";
		}
		if (EcoreUtil2.typeSelect(spec.getElements(), org.ilmpq.dsl.ilmpq.Target.class).isEmpty()) {
			return "the spec names no target: add one (target PYNQ-Z2 clock 100 MHz)";
		}
		if (split.isEmpty()) {
			return "the spec has no default split (split ... in its quantization section)";
		}
		return "the spec has errors (see the Problems view)";
	}

	/** The top-level layer a layer of the model belongs to: itself, or the block instance it is a member of. */
	public Optional<TextRange> layer(String modelName) {
		TextRange exact = layers.get(modelName);
		if (exact != null) {
			return Optional.of(exact);
		}
		int dot = modelName.indexOf('.');
		return dot < 0 ? Optional.empty() : Optional.ofNullable(layers.get(modelName.substring(0, dot)));
	}
}
