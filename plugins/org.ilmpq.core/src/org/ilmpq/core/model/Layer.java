package org.ilmpq.core.model;

import java.util.List;
import java.util.Optional;

import org.ilmpq.core.quant.LayerSplit;

/**
 * One layer of a lowered network: blocks are expanded (a layer {@code c1} of block instance {@code l1_0} is
 * {@code l1_0.c1}), references are names of inputs or other layers.
 *
 * @param split the split that applies to this layer's rows; empty for layers without weights, and for
 *            weight layers of a network that has no split at all
 */
public record Layer(String name, Operation operation, List<String> inputs, Optional<LayerSplit> split) {

	public Layer {
		inputs = List.copyOf(inputs);
	}

	public Layer(String name, Operation operation, List<String> inputs) {
		this(name, operation, inputs, Optional.empty());
	}

	public Layer withSplit(LayerSplit layerSplit) {
		return new Layer(name, operation, inputs, Optional.of(layerSplit));
	}
}
