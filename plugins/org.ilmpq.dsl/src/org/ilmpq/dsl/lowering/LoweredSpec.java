package org.ilmpq.dsl.lowering;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.ilmpq.core.model.NetworkSpec;
import org.ilmpq.dsl.ilmpq.Layer;

/**
 * A spec lowered to the core model, with the trace back to the text that every consumer needs to put a finding
 * about a lowered layer where the user can see it.
 */
public final class LoweredSpec {

	private final NetworkSpec spec;
	private final Map<String, EObject> origins;
	private final Set<String> expandedLayers;
	private final Map<Layer, String> instanceResults;
	private final List<LoweringProblem> problems;
	private final List<EObject> refused;

	LoweredSpec(NetworkSpec spec, Map<String, EObject> origins, Set<String> expandedLayers,
			Map<Layer, String> instanceResults, List<LoweringProblem> problems, List<EObject> refused) {
		this.spec = spec;
		this.origins = origins;
		this.expandedLayers = expandedLayers;
		this.instanceResults = instanceResults;
		this.problems = problems;
		this.refused = refused;
	}

	public NetworkSpec spec() {
		return spec;
	}

	/**
	 * The element of the network body a lowered input or layer comes from: the input or layer itself, or, for a
	 * layer expanded from a block ({@code l1_0.c1}), the block instance in the network body ({@code l1_0}).
	 */
	public Optional<EObject> originOf(String loweredName) {
		return Optional.ofNullable(origins.get(loweredName));
	}

	/** True for layers that come from expanding a block instance. */
	public boolean isExpanded(String loweredName) {
		return expandedLayers.contains(loweredName);
	}

	/** The lowered layer whose result a block instance of the network body stands for. */
	public Optional<String> resultOf(Layer instance) {
		return Optional.ofNullable(instanceResults.get(instance));
	}

	/** Problems found only by evaluating the spec: a division by zero, an instance that depends on itself. */
	public List<LoweringProblem> problems() {
		return Collections.unmodifiableList(problems);
	}

	/**
	 * The settings whose values the core does not take (a bit width or a budget out of range): validation reports
	 * each of them; what stands in their place in {@link #spec()} (the default activations, no split) must not be
	 * costed, so the hardware model does not run while there are any.
	 */
	public List<EObject> refused() {
		return Collections.unmodifiableList(refused);
	}
}
