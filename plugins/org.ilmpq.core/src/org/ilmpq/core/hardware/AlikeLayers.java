package org.ilmpq.core.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload's layers with those alike in everything the model costs (all but the name) taken together, and how
 * many of each: a ResNet's repeated blocks, a generated chain of 10,000 layers. A design search costs a workload
 * thousands of times, a layer's cost does not depend on its name, and its maxima and sums over the layers do not
 * change for taking alike ones together; so it costs each distinct layer once per design.
 *
 * @param layers the distinct layers, in the order of their first occurrence, unnamed
 * @param counts how many layers of the workload each stands for
 */
public record AlikeLayers(List<LayerWork> layers, List<Long> counts) {

	/** The last workload asked for on this thread and its answer: a search asks for one workload over and over. */
	private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

	public AlikeLayers {
		layers = List.copyOf(layers);
		counts = List.copyOf(counts);
	}

	public static AlikeLayers of(Workload workload) {
		Object[] last = LAST.get();
		if (last != null && last[0] == workload) {
			return (AlikeLayers) last[1];
		}
		Map<LayerWork, Long> alike = new LinkedHashMap<>();
		for (LayerWork layer : workload.layers()) {
			alike.merge(layer.unnamed(), 1L, Long::sum);
		}
		AlikeLayers layers = new AlikeLayers(new ArrayList<>(alike.keySet()), new ArrayList<>(alike.values()));
		LAST.set(new Object[] { workload, layers });
		return layers;
	}
}
