package org.ilmpq.core.exploration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Split;

/**
 * The designs an ILMPQ design is compared with, modelled with the same engines on the same target and budget
 * (docs/hardware-model.md, "Baselines"). In each, the layers that take the network's default split take the
 * baseline's precision instead; layers with a split of their own or under a first/last-layer policy keep theirs,
 * so that only the intra-layer split differs.
 */
public final class Baselines {

	/** The baselines, in report order. */
	public enum Kind {
		/**
		 * (a) Every row 4-bit fixed-point on DSP slices, one product per slice: the baseline of the published
		 * speedups (ILMPQ and RMSMP compare with "the 4-bit Fixed-point baseline"; one product per DSP is what
		 * their speedups imply, see docs/hardware-model.md).
		 */
		FIXED4_DSP("(a) fixed 4 on DSPs, one product per DSP"),
		/** (a') The same with DSP packing, four 4-bit products per slice: what a careful engineer builds. */
		FIXED4_DSP_PACKED("(a') fixed 4 on DSPs, packed"),
		/** (b) Every row 8-bit fixed-point on DSP slices, packed two per slice. */
		FIXED8_DSP("(b) fixed 8 on DSPs, packed"),
		/**
		 * (c) Inter-layer mixed precision: whole layers 8-bit, the earliest ones until they hold the split's 8-bit
		 * share of the rows, the others 4-bit; both on packed DSP engines. Each engine waits while the other's
		 * layers run, as on a fixed array; an engine reconfigured between precisions would do better.
		 */
		INTER_LAYER("(c) inter-layer mixed precision on DSPs");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

		public String label() {
			return label;
		}
	}

	private Baselines() {
	}

	/** The fastest design of each baseline that fits; a baseline that does not fit is left out. */
	public static Map<Kind, DesignEstimate> all(Workload workload, Set<String> defaultSplitLayers, Split defaultSplit,
			Target target) {
		Map<Kind, DesignEstimate> baselines = new LinkedHashMap<>();
		for (Kind kind : Kind.values()) {
			of(kind, workload, defaultSplitLayers, defaultSplit, target).ifPresent(d -> baselines.put(kind, d));
		}
		return baselines;
	}

	public static Optional<DesignEstimate> of(Kind kind, Workload workload, Set<String> defaultSplitLayers,
			Split defaultSplit, Target target) {
		return switch (kind) {
		case FIXED4_DSP -> DesignSearch.best(workload.withDefaultSplit(Split.of(Scheme.fixed(4)), defaultSplitLayers),
				target, DesignSearch.Packing.NONE);
		case FIXED4_DSP_PACKED -> DesignSearch.best(
				workload.withDefaultSplit(Split.of(Scheme.fixed(4)), defaultSplitLayers), target,
				DesignSearch.Packing.DENSEST);
		case FIXED8_DSP -> DesignSearch.best(workload.withDefaultSplit(Split.of(Scheme.fixed(8)), defaultSplitLayers),
				target, DesignSearch.Packing.DENSEST);
		case INTER_LAYER -> DesignSearch.best(interLayer(workload, defaultSplitLayers, defaultSplit), target,
				DesignSearch.Packing.DENSEST);
		};
	}

	/**
	 * Whole layers at 8 bits, from the first on, while that brings their rows nearer to the split's accuracy share
	 * ({@link Split#accuracyShares()}, the 8-bit rows); the others 4-bit. Without an accuracy share, every layer is
	 * 4-bit.
	 */
	static Workload interLayer(Workload workload, Set<String> defaultSplitLayers, Split defaultSplit) {
		double share = defaultSplit.accuracyPercent().doubleValue() / 100;
		long totalRows = workload.layers().stream().filter(l -> defaultSplitLayers.contains(l.name()))
				.mapToLong(LayerWork::rows).sum();
		double wanted = share * totalRows;
		long wideRows = 0;
		boolean widening = true;
		List<LayerWork> layers = new ArrayList<>();
		for (LayerWork layer : workload.layers()) {
			if (!defaultSplitLayers.contains(layer.name())) {
				layers.add(layer);
				continue;
			}
			widening = widening && Math.abs(wideRows + layer.rows() - wanted) < Math.abs(wideRows - wanted);
			if (widening) {
				wideRows += layer.rows();
				layers.add(layer.withSplit(Split.of(Scheme.fixed(8))));
			} else {
				layers.add(layer.withSplit(Split.of(Scheme.fixed(4))));
			}
		}
		return new Workload(workload.network(), layers, workload.activations());
	}
}
