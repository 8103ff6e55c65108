package org.ilmpq.core.model;

import java.util.List;

/**
 * A lowered network: inputs, layers in the order the spec wrote them (not necessarily topological), and the
 * name of the tensor that is its output. Names are unique across inputs and layers.
 *
 * @param output the name of the output tensor; empty where the spec names none (a front end reports that), in
 *            which case no layer is reported as unused
 */
public record Network(String name, List<InputTensor> inputs, List<Layer> layers, String output) {

	public Network {
		inputs = List.copyOf(inputs);
		layers = List.copyOf(layers);
	}
}
