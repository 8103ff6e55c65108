package org.ilmpq.core.exploration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.AlikeLayers;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LatencyModel;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;

/**
 * Sizes an accelerator for a workload on a target: the fastest feasible design over the lane counts
 * {@link #LANES}, the tiles {@link #TILES}, the output stage's lanes ({@link #outputLanes}), and the rows of each
 * engine (docs/hardware-model.md, "Search").
 * <p>
 * For each lane count, tile and output stage, the rows go to the engines in proportion to their work (the cycles each scheme's
 * rows take on a one-row engine), as large as the budget allows but no larger than a layer can use, so that the
 * engines finish together; then each engine's rows are nudged, one engine at a time, to values that divide the
 * layers' rows better (partial row steps waste cycles) while the design gets faster and still fits. Of equally fast
 * designs the smaller wins. Packed engines are tried first; when none fits, unpacked ones (packing costs LUTs).
 */
public final class DesignSearch {

	/** Tn candidates: powers of two, as the input buffer is partitioned into that many banks. */
	public static final int[] LANES = { 4, 8, 16, 32, 64 };

	/** Tile candidates: divisors of the 224-pixel ImageNet maps' 112, 56, 28, 14 and 7. */
	public static final int[] TILES = { 7, 14, 28, 56 };

	/** Whether the fixed-point engines may pack several products per DSP slice. */
	public enum Packing {
		NONE, DENSEST
	}

	private DesignSearch() {
	}

	/** The fastest feasible design; empty when not even one row per engine fits the budget. */
	public static Optional<DesignEstimate> best(Workload workload, Target target, Packing packing) {
		return best(workload, target, packing, design -> {
		});
	}

	/**
	 * The fastest feasible design, handing every feasible design evaluated on the way to {@code explored} (for a
	 * Pareto front).
	 */
	public static Optional<DesignEstimate> best(Workload workload, Target target, Packing packing,
			Consumer<DesignEstimate> explored) {
		List<Scheme> schemes = workload.schemes();
		if (schemes.isEmpty()) {
			return Optional.empty();
		}
		DspSlice slice = target.part().device().dspType();
		int activationBits = workload.activations().bits();
		Map<Scheme, Integer> useful = usefulRows(workload);
		WorkloadBounds[] boundsPerTile = new WorkloadBounds[TILES.length];
		for (int t = 0; t < TILES.length; t++) {
			boundsPerTile[t] = WorkloadBounds.of(workload, TILES[t], target.part().device().memory().hpWidthBits());
		}
		// every lane count and tile with the fewest output lanes; then more output lanes for the arrays that came
		// closest: they cost DSP slices the engines lose, so they pay only where the engines were nearly fast enough.
		// Searching them for every array took the report twice as long and found the same designs and baselines for
		// every example on both boards (only the Pareto front had more points)
		List<DesignEstimate> arrays = new ArrayList<>();
		for (int lanes : LANES) {
			for (int t = 0; t < TILES.length; t++) {
				List<Integer> outputLanes = outputLanes(boundsPerTile[t]);
				search(workload, boundsPerTile[t], target, new AcceleratorConfig(lanes, TILES[t], outputLanes.get(0),
						List.of()), useful, slice, packing, activationBits, explored).ifPresent(arrays::add);
			}
		}
		arrays.sort(DesignSearch::compare);
		DesignEstimate best = arrays.isEmpty() ? null : arrays.get(0);
		for (DesignEstimate near : arrays.subList(0, Math.min(WIDER_OUTPUT_TRIES, arrays.size()))) {
			int t = Arrays.binarySearch(TILES, near.config().tile());
			for (int outputLanes : outputLanes(boundsPerTile[t])) {
				if (outputLanes <= near.config().outputLanes()) {
					continue;
				}
				Optional<DesignEstimate> wider = search(workload, boundsPerTile[t], target,
						new AcceleratorConfig(near.config().lanes(), near.config().tile(), outputLanes, List.of()), useful,
						slice, packing, activationBits, explored);
				if (wider.isPresent() && better(wider.get(), best)) {
					best = wider.get();
				}
			}
		}
		if (best == null && packing == Packing.DENSEST) {
			// packing costs LUTs (canaries, lane adders): on a tight LUT budget only unpacked engines may fit
			return best(workload, target, Packing.NONE, explored);
		}
		return Optional.ofNullable(best);
	}

	/**
	 * Output stages to try: four lanes and every power of two above up to what the tile buffers' banks allow
	 * ({@link WorkloadBounds#maxOutputLanes}), or that where it is fewer than four. Four keep up with most layers;
	 * more cost two requantizers' DSP slices a lane, which only layers of few input channels per output repay.
	 */
	public static List<Integer> outputLanes(WorkloadBounds bounds) {
		int most = bounds.maxOutputLanes();
		List<Integer> candidates = new ArrayList<>();
		for (int lanes = Math.min(4, most); lanes <= most; lanes *= 2) {
			candidates.add(lanes);
		}
		return candidates;
	}

	/**
	 * The arrays (lanes and tile) whose designs of the fewest output lanes are tried with more: the fastest five. With
	 * three, the digits CNN's 8-bit baseline on the PYNQ-Z2 missed its best design (Tn 4 with eight output lanes).
	 */
	static final int WIDER_OUTPUT_TRIES = 5;

	/**
	 * The fastest design of one array (lanes, tile, output stage): the proportional engines, refined; empty where not
	 * even those fit.
	 */
	private static Optional<DesignEstimate> search(Workload workload, WorkloadBounds bounds, Target target,
			AcceleratorConfig array, Map<Scheme, Integer> useful, DspSlice slice, Packing packing, int activationBits,
			Consumer<DesignEstimate> explored) {
		Map<Scheme, Double> work = work(workload, array.lanes(), array.outputLanes(), array.tile());
		double totalWork = work.values().stream().mapToDouble(Double::doubleValue).sum();
		List<EngineConfig> proportional = largestProportional(workload, bounds, target, array, work, totalWork, useful,
				slice, packing, activationBits);
		return proportional == null ? Optional.empty()
				: Optional.of(refine(workload, bounds, target, array, proportional, explored));
	}

	/** Faster first ({@link #better}). */
	private static int compare(DesignEstimate a, DesignEstimate b) {
		return better(a, b) ? -1 : better(b, a) ? 1 : 0;
	}

	/** Faster, or as fast with fewer DSP slices, then LUTs, then block RAM, then flip-flops. */
	static boolean better(DesignEstimate a, DesignEstimate b) {
		if (a.cycles() != b.cycles()) {
			return a.cycles() < b.cycles();
		}
		return RESOURCES_USED.compare(a, b) < 0;
	}

	private static final Comparator<DesignEstimate> RESOURCES_USED = Comparator
			.comparingLong((DesignEstimate d) -> d.used().dsp()).thenComparingLong(d -> d.used().lut())
			.thenComparingLong(d -> d.used().bram18()).thenComparingLong(d -> d.used().ff());

	/**
	 * The most rows each engine can use: beyond the most rows of its scheme one row step of any layer holds, a
	 * larger engine only costs resources.
	 */
	static Map<Scheme, Integer> usefulRows(Workload workload) {
		Map<Scheme, Integer> useful = new LinkedHashMap<>();
		for (LayerWork layer : AlikeLayers.of(workload).layers()) {
			layer.rowsPerScheme().forEach((scheme, rows) -> {
				if (rows > 0) {
					useful.merge(scheme, (int) Math.min(Integer.MAX_VALUE, LatencyModel.usefulRows(layer, rows)),
							Math::max);
				}
			});
		}
		return useful;
	}

	/**
	 * Cycles each scheme's rows take on a one-row engine: the share of the rows its engine should get. Layers of one
	 * row per group as the lanes run them count for nothing: a row step holds rows of one group, so an engine's size
	 * does not change their time; nor do the layers on the depthwise unit. A scheme no layer has rows of gets no engine; one with rows only there, the least work.
	 */
	static Map<Scheme, Double> work(Workload workload, int lanes, int outputLanes, int tile) {
		Map<Scheme, Double> work = new LinkedHashMap<>();
		AlikeLayers alike = AlikeLayers.of(workload);
		for (int i = 0; i < alike.layers().size(); i++) {
			LayerWork layer = alike.layers().get(i);
			long count = alike.counts().get(i);
			LayerWork onLanes = layer.onLanes(lanes, outputLanes, workload.activations().bits());
			boolean sizeHelps = !onLanes.onDepthwiseUnit()
					&& (onLanes.groups() == 1 || onLanes.rows() / onLanes.groups() > 1);
			double perRow = sizeHelps ? (double) LatencyModel.tiles(onLanes, tile)
					* LatencyModel.rowStep(onLanes, lanes, tile, workload.activations().bits()) : 0;
			layer.rowsPerScheme().forEach((scheme, rows) -> {
				if (rows > 0) {
					work.merge(scheme, count * Math.max(1.0, rows * perRow), Double::sum);
				}
			});
		}
		return work;
	}

	/** The largest engines proportional to their work that fit the budget, by bisection on the total rows. */
	private static List<EngineConfig> largestProportional(Workload workload, WorkloadBounds bounds, Target target,
			AcceleratorConfig array, Map<Scheme, Double> work, double totalWork, Map<Scheme, Integer> useful,
			DspSlice slice, Packing packing, int activationBits) {
		int low = 0;
		int high = 4096;
		List<EngineConfig> found = null;
		while (low < high) {
			int total = (low + high + 1) / 2;
			List<EngineConfig> engines = engines(work, totalWork, total, useful, slice, packing, activationBits);
			if (DesignEstimate.fits(array.withEngines(engines), workload, bounds, target)) {
				low = total;
				found = engines;
			} else {
				high = total - 1;
			}
		}
		if (found == null) {
			List<EngineConfig> smallest = engines(work, totalWork, 0, useful, slice, packing, activationBits);
			return DesignEstimate.fits(array.withEngines(smallest), workload, bounds, target) ? smallest : null;
		}
		return found;
	}

	/**
	 * Coordinate descent from the proportional engines: each engine in turn takes the candidate row count (see
	 * {@link #candidates(int)}) that makes the design fastest (or as fast and smaller), the others held; until
	 * nothing improves.
	 */
	private static DesignEstimate refine(Workload workload, WorkloadBounds bounds, Target target,
			AcceleratorConfig array, List<EngineConfig> start, Consumer<DesignEstimate> explored) {
		List<EngineConfig> current = new ArrayList<>(start);
		DesignEstimate best = DesignEstimate.of(array.withEngines(current), workload, bounds, target);
		explored.accept(best);
		boolean improved = true;
		while (improved) {
			improved = false;
			for (int i = 0; i < current.size(); i++) {
				for (int rows : candidates(start.get(i).rows())) {
					if (rows == current.get(i).rows()) {
						continue;
					}
					List<EngineConfig> trial = new ArrayList<>(current);
					trial.set(i, current.get(i).withRows(rows));
					AcceleratorConfig config = array.withEngines(trial);
					if (!DesignEstimate.fits(config, workload, bounds, target)) {
						continue;
					}
					DesignEstimate design = DesignEstimate.of(config, workload, bounds, target);
					explored.accept(design);
					if (better(design, best)) {
						best = design;
						current = trial;
						improved = true;
					}
				}
			}
		}
		return best;
	}

	private static List<EngineConfig> engines(Map<Scheme, Double> work, double totalWork, int totalRows,
			Map<Scheme, Integer> useful, DspSlice slice, Packing packing, int activationBits) {
		List<EngineConfig> engines = new ArrayList<>();
		work.forEach((scheme, schemeWork) -> {
			int rows = (int) Math.min(useful.get(scheme), Math.max(1, Math.floor(totalRows * schemeWork / totalWork)));
			engines.add(new EngineConfig(scheme, rows, packing(scheme, slice, packing, activationBits)));
		});
		return engines;
	}

	static DspPacking packing(Scheme scheme, DspSlice slice, Packing packing, int activationBits) {
		if (packing == Packing.NONE || scheme.kind() != SchemeKind.FIXED) {
			return DspPacking.NONE;
		}
		return DspPacking.of(slice, scheme.bits(), activationBits);
	}

	/**
	 * Row counts to try for an engine whose proportional share is {@code rows}: that, one less, and the largest
	 * multiple of 8 and power of two not above it (the row counts of real layers are multiples of these, so fewer
	 * cycles go to partial row steps).
	 */
	private static List<Integer> candidates(int rows) {
		List<Integer> candidates = new ArrayList<>();
		candidates.add(rows);
		if (rows > 1) {
			candidates.add(rows - 1);
		}
		int multipleOf8 = rows / 8 * 8;
		if (multipleOf8 >= 1 && !candidates.contains(multipleOf8)) {
			candidates.add(multipleOf8);
		}
		int powerOfTwo = Integer.highestOneBit(rows);
		if (!candidates.contains(powerOfTwo)) {
			candidates.add(powerOfTwo);
		}
		return candidates;
	}
}
