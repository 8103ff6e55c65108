package org.ilmpq.core.integer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.Network;
import org.ilmpq.core.model.Operation;

/**
 * Which BatchNorms an export folds, and into which layer: a BatchNorm that alone reads a quantized layer's result,
 * where that result is not also the network's output (folding would change the output). The generator writes this
 * into the script's table, which export folds by; {@link ReferenceInference} treats exactly these BatchNorms as the
 * identity.
 */
public final class BatchNormFolding {

	private BatchNormFolding() {
	}

	/** BatchNorm name to the quantized layer it folds into, in the order the network lists them. */
	public static Map<String, String> of(Network network, Set<String> quantizedLayers) {
		Map<String, Integer> readers = new HashMap<>();
		for (Layer layer : network.layers()) {
			layer.inputs().forEach(input -> readers.merge(input, 1, Integer::sum));
		}
		Map<String, String> folded = new LinkedHashMap<>();
		for (Layer layer : network.layers()) {
			if (layer.operation() instanceof Operation.BatchNorm) {
				String source = layer.inputs().get(0);
				if (quantizedLayers.contains(source) && readers.get(source) == 1 && !source.equals(network.output())) {
					folded.put(layer.name(), source);
				}
			}
		}
		return folded;
	}
}
