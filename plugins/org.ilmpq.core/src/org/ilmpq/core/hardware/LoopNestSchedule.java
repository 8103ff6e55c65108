package org.ilmpq.core.hardware;

import static org.ilmpq.core.hardware.FabricCosts.log2Ceil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ilmpq.core.quant.Scheme;

/**
 * The cycles of one weight layer on the generated design, loop by loop, as Vitis HLS schedules the generated
 * {@code weight_layer} (docs/hardware-model.md, "Cycles"): every pipelined loop costs its trips (at II = 1) plus its
 * pipeline depth each time it is entered; loops in sequence add; a lone DRAM read is a loop of one trip; the scalar
 * control between loops is taken as free. The generated cycle-counting C simulation ({@code make cycles}) counts the
 * same loops as they run, so the two agree to the cycle wherever the rows of a group are what this schedule assumes
 * (always, but for grouped layers of several rows per group, where it takes an expectation: see
 * {@link #groupClasses}).
 * <p>
 * The loop nest, per output tile: the layer's parameter word; per group its word of row counts, then per row step
 * (each engine its next rows of the group) one pipelined loop. It goes through the step's positions: first the
 * first position's weights (the layer's first step also its first lane group's input tile; every other step's was
 * loaded by the step before it), then per lane group and kernel position a pass over the tile's pixels
 * ({@link LayerWork#passes} x pixels cycles) while the next position's weights and the next lane group's input tile
 * (after the last lane group, the next step's first) load, a position lasting as long as the longest of the three.
 * Behind the positions, an item a cycle, runs the background: the output stage of the previous step (its rows x
 * pixels values, two pixels a cycle per output lane), then a fused add's residual tile when this step is its tile's
 * first; beside them the store of a finished tile's words from the other output tile buffer, in the second step after
 * the tile's last (on the depthwise unit, a group's own words, beside the output stage of the group after it); and the
 * step's row parameters arrive on their own port, a word a cycle. The loop lasts as long as the longest of them. After
 * the last tile, one more loop runs what the last step left behind.
 */
public final class LoopNestSchedule {

	/**
	 * Pipeline depth of a loop that reads or writes DRAM: the round trip Vitis HLS schedules an AXI master's
	 * accesses for, the {@code latency} of {@code INTERFACE m_axi}, 64 cycles by default (UG1399, "m_axi
	 * Interfaces"). Zynq-7000 HP ports take of the order of 30 to 40 cycles at 100 MHz; the default is what the
	 * generated design is scheduled with. A row step's loop reads DRAM, so this is its depth too: longer than its
	 * compute path ({@link #computeDepth}) and its output stage ({@link #OUTPUT_STAGE_DEPTH}).
	 */
	public static final int DRAM_LOOP_DEPTH = 64;

	/**
	 * Pipeline depth of the output stage: the accumulator's block RAM read (2, UG473), the product by M on DSP slices
	 * (3 registers, 4 when the accumulator spans two slices, UG479: 4 taken), the shift (1), the bias and residual
	 * additions (2) and the clamp with the write into the output tile (1).
	 */
	public static final int OUTPUT_STAGE_DEPTH = 10;

	/**
	 * Pixels the output stage requantizes a cycle: two, each block RAM it reads and writes (the accumulators, the
	 * residual and output tile buffers) having two ports (true dual port, UG473).
	 */
	public static final int OUTPUT_PIXELS_PER_CYCLE = 2;

	/**
	 * Most lanes of the output stage ({@link AcceleratorConfig#outputLanes}), each requantizing a row at
	 * {@link #OUTPUT_PIXELS_PER_CYCLE} pixels a cycle. An accumulator word holds all rows of an engine at a pixel, so
	 * a read serves every lane; what limits the lanes is the tile buffers' ports. Lane j takes the rows whose channel
	 * c has c mod lanes = j, whose codes lie in the tile buffers' banks b = c mod P with b mod lanes = j (P, the codes
	 * a word holds, a multiple of the lanes: {@link WorkloadBounds#maxOutputLanes}): no two lanes ever write one
	 * bank, so each bank sees its two ports' accesses and no more, whatever the channels. Four lanes (eight values a
	 * cycle) keep up with the engines wherever a step's positions take at least a quarter of its rows' pixel passes;
	 * a 1 x 1 layer of few input channels (ResNet-50's layer1 conv3, 64 channels to 256) needs more, at twice the
	 * requantizers' DSP slices, which the search weighs against the engines' ({@code DesignSearch}). Eight at most:
	 * sixteen would take a 64-bit word's codes of 4 bits only, and double the search.
	 */
	public static final int MAX_OUTPUT_LANES = 8;

	private LoopNestSchedule() {
	}

	/**
	 * Pipeline depth of a pass over a tile's pixels: block RAM read latency (2, with output registers, UG473), the
	 * DSP48 or shifter pipeline (3 registers: input, product, accumulator, UG479), the adder tree over the lanes
	 * (ceil(log2 Tn) levels, one register each) and the write of the accumulator (1).
	 */
	public static int computeDepth(int lanes) {
		return 6 + log2Ceil(lanes);
	}

	/** A pipelined loop of {@code trips} iterations at II = 1 entered once; one that runs none costs nothing. */
	static long loop(long trips, long depth) {
		return trips > 0 ? trips + depth : 0;
	}

	/**
	 * The layer's cycles on the design's loops alone (without the DRAM bound): fills {@code engineCycles}, when it is
	 * not null, with the cycles in which each engine computes: the passes of the row steps in which it has rows.
	 */
	public static long cycles(LayerWork layer, AcceleratorConfig config, int activationBits, int wordBits,
			Map<Scheme, Long> engineCycles) {
		Layer schedule = new Layer(layer, config, activationBits, wordBits);
		// the tiles in the order the loops take them: rows of tiles, alike but for the first two, the last full one
		// and the partial one at the edge (a map of millions of rows costs as little as one of five); along a row,
		// runs of alike tiles. Each tile is costed after the two before it (whose output stage and store run behind
		// its steps) and before the one after it, whose input its last step loads
		int tile = config.tile();
		long fullRows = layer.outputHeight() / tile;
		long edgeHeight = layer.outputHeight() % tile;
		long fullFirst = schedule.firstArea(tile);
		long edgeFirst = edgeHeight > 0 ? schedule.firstArea(edgeHeight) : 0;
		double total = 0;
		Preceding before = new Preceding();
		for (long row = 0; row < fullRows; row++) {
			if (row == 2 && fullRows >= 4) {
				// rows 2 to fullRows - 2 follow full rows alike
				total += (fullRows - 3) * schedule.row(tile, before.copy(), fullFirst);
				row = fullRows - 2;
				continue;
			}
			total += schedule.row(tile, before, row + 1 < fullRows ? fullFirst : edgeFirst);
		}
		if (edgeHeight > 0) {
			total += schedule.row(edgeHeight, before, 0);
		}
		total += schedule.flush(before);
		if (engineCycles != null) {
			schedule.busy(engineCycles, layer.outputHeight(), layer.outputWidth());
		}
		return Math.round(total);
	}

	/**
	 * The two tiles before the one costed next: their pixels, and the cycles of the last one's steps after its first,
	 * beside which the store of the one before it ran.
	 */
	private static final class Preceding {
		long previous;
		long earlier;
		double previousAfterFirst;

		Preceding copy() {
			Preceding copy = new Preceding();
			copy.previous = previous;
			copy.earlier = earlier;
			copy.previousAfterFirst = previousAfterFirst;
			return copy;
		}

		void follow(long pixels, double afterFirst) {
			earlier = previous;
			previous = pixels;
			previousAfterFirst = afterFirst;
		}
	}

	/**
	 * A tile's cycles and those of its steps after its first, beside which the previous tile's words are stored; and
	 * the trips of its first step, as often as its first group is of each class ({@code shares}), which words of a
	 * store left for the first step lengthen ({@link #withSpill}).
	 */
	private record TileCycles(double cycles, double afterFirst, double[] shares, long[] firstTrips) {

		/** The tile's cycles where its first step also stores {@code spill} words. */
		double withSpill(long spill) {
			double cycles = this.cycles;
			for (int i = 0; i < shares.length; i++) {
				cycles += shares[i] * Math.max(0, spill - firstTrips[i]);
			}
			return cycles;
		}
	}

	/** A group's cycles in a tile, those of its counts' word and its first step, and that step's trips. */
	private record GroupCycles(long cycles, long first, long firstTrips) {
	}

	/** The schedule of one layer's steps, its group classes worked out once. */
	private static final class Layer {
		private final LayerWork layer;
		private final AcceleratorConfig config;
		private final List<EngineConfig> engines;
		private final int activationBits;
		private final int wordBits;
		private final int outputLanes;
		private final List<GroupClass> groups;
		private final double groupCount;
		private final Map<List<Long>, Long> positionCycles = new HashMap<>();
		private final Map<List<Long>, TileCycles> tiles = new HashMap<>();
		/** Input codes a word holds, and the values a lane group takes. */
		private final long perWord;
		private final int valueLanes;
		/** Words of each pixel a group stores behind the next step ({@link #groupStoreWords}); 0: a tile's, all. */
		private final long groupStore;

		Layer(LayerWork layer, AcceleratorConfig config, int activationBits, int wordBits) {
			this.layer = layer;
			this.config = config;
			// a layer on the depthwise unit has every row of a group there, and none on the engines
			this.engines = engines(layer, config);
			this.activationBits = activationBits;
			this.wordBits = wordBits;
			this.outputLanes = config.outputLanes();
			this.groups = groupClasses(layer, config, wordBits);
			this.groupCount = layer.groups();
			this.perWord = layer.inputFormat().codesPerWord(wordBits);
			this.valueLanes = layer.valueLanes(config.lanes());
			this.groupStore = groupStoreWords(layer, wordBits);
		}

		/**
		 * Words of a group's first lane group's input tile of {@code inputArea} pixels, the group's first channel at
		 * {@code firstChannel} of its word: what a step loads before its first lane group computes.
		 */
		private long firstInput(long inputArea, long firstChannel) {
			return inputArea * layer.laneGroupWords(firstChannel, 0, valueLanes, perWord);
		}

		/** The input tile of an output tile: its window, ((T - 1) x S + (K - 1) x D + 1) pixels a side. */
		long inputArea(long height, long width) {
			return ((height - 1) * layer.strideHeight() + (layer.kernelHeight() - 1) * layer.dilation().height() + 1)
					* ((width - 1) * layer.strideWidth() + (layer.kernelWidth() - 1) * layer.dilation().width() + 1);
		}

		/**
		 * A row of tiles of {@code height} after the tiles {@code before} and before a tile whose input tile has
		 * {@code nextArea} pixels: its whole tiles, a run of alike ones, and the partial one at the edge. Leaves in
		 * {@code before} its last two tiles.
		 */
		double row(long height, Preceding before, long nextArea) {
			int tile = config.tile();
			long fullColumns = layer.outputWidth() / tile;
			long edgeWidth = layer.outputWidth() % tile;
			long pixels = height * tile;
			long area = inputArea(height, tile);
			long edgeArea = edgeWidth > 0 ? inputArea(height, edgeWidth) : nextArea;
			double cycles = 0;
			for (long column = 0; column < fullColumns; column++) {
				if (column == 2 && fullColumns >= 4) {
					// tiles 2 to fullColumns - 2 follow two whole tiles and precede one, and their steps after the first
					// take as long as those of the tile before
					TileCycles alike = tile(height, tile, pixels, area);
					cycles += (fullColumns - 3) * alike.withSpill(spill(pixels, alike.afterFirst()));
					before.follow(pixels, alike.afterFirst());
					before.follow(pixels, alike.afterFirst());
					column = fullColumns - 2;
					continue;
				}
				TileCycles costed = tile(height, tile, before.previous, column + 1 < fullColumns ? area : edgeArea);
				cycles += costed.withSpill(spill(before.earlier, before.previousAfterFirst));
				before.follow(pixels, costed.afterFirst());
			}
			if (edgeWidth > 0) {
				TileCycles costed = tile(height, edgeWidth, before.previous, nextArea);
				cycles += costed.withSpill(spill(before.earlier, before.previousAfterFirst));
				before.follow(height * edgeWidth, costed.afterFirst());
			}
			return cycles;
		}

		/**
		 * The words of a tile of {@code pixels} that its store leaves for the first step of the tile two after it: a
		 * finished tile's words go out beside the steps after the first of the tile after it ({@code afterFirst}
		 * cycles, a word a cycle), and what is left beside the next tile's first step, whose output stage will write
		 * the same buffer.
		 */
		private long spill(long pixels, double afterFirst) {
			return Math.max(0, tileStore(pixels) - Math.round(afterFirst));
		}

		/** The input tile's pixels of the first tile of a row of tiles of {@code height}. */
		long firstArea(long height) {
			return inputArea(height, Math.min(config.tile(), layer.outputWidth()));
		}

		/**
		 * One tile after a tile of {@code previousPixels} pixels (0 for the layer's first), and before one whose input
		 * tile has {@code nextArea} pixels (0 for the layer's last): its layer word, then its groups; the first group's
		 * first step carries the output stage the previous tile left, the residual tile and what is left of the store
		 * of the tile before the previous one ({@link TileCycles#withSpill}), the last group's last step loads the
		 * next tile's first input. A tile's words are stored, from the other output tile buffer than the next tile's,
		 * beside the background of the steps after the first of the tile after it and, where they do not suffice, of the
		 * first step of the tile after that, which waits for them: its output stage writes the same buffer.
		 */
		TileCycles tile(long height, long width, long previousPixels, long nextArea) {
			return tiles.computeIfAbsent(List.of(height, width, previousPixels, nextArea),
					key -> costTile(height, width, previousPixels, nextArea));
		}

		/** Words a tile of {@code pixels} stores when it is finished: none where its groups store their own. */
		private long tileStore(long pixels) {
			return groupStore > 0 ? 0 : pixels * FeatureMapLayout.wordsPerPixel(layer.rows(), layer.outputFormat(), wordBits);
		}

		private TileCycles costTile(long height, long width, long previousPixels, long nextArea) {
			long pixels = height * width;
			long pass = layer.passCycles(height, width, activationBits);
			long inputArea = inputArea(height, width);
			long residual = layer.residualFormat()
					.map(format -> pixels * FeatureMapLayout.wordsPerPixel(layer.rows(), format, wordBits)).orElse(0L);
			// where each group stores its own words, they go out from one output tile buffer beside the output stage of
			// the next group into the other, behind the step after it: the first two groups' steps of a tile run beside
			// the stores of the previous tile's last two groups
			long groupWords = previousPixels * groupStore;
			// only the layer's first step loads its first input before it computes: every other step's was loaded
			// by the step before it
			boolean firstOfLayer = previousPixels == 0;
			long nextTile = firstInput(nextArea, 0);
			double cycles = loop(1, DRAM_LOOP_DEPTH);
			double first = cycles;
			double[] shares = new double[groups.size()];
			long[] firstTrips = new long[groups.size()];
			for (int i = 0; i < groups.size(); i++) {
				GroupClass group = groups.get(i);
				// a group's first step runs behind the last step of the group before it, taken as alike; its last
				// step loads the next group's first input
				long steps = steps(group, engines);
				long nextGroup = firstInput(inputArea, (group.firstChannel() + layer.inputChannelsPerGroup()) % perWord);
				long within = Math.max(drain(group, steps - 1, pixels), pixels * groupStore);
				long second = Math.max(drain(group, steps - 1, pixels), groupWords);
				long behind = Math.max(drain(group, steps - 1, previousPixels) + residual, groupWords);
				if (layer.groups() == 1) {
					GroupCycles only = group(group, pixels, pass, inputArea, behind, firstOfLayer, nextTile);
					return new TileCycles(cycles + only.cycles(), only.cycles() - only.first(), new double[] { 1 },
							new long[] { only.firstTrips() });
				}
				// the tile's first group is of each class as often as the layer's groups are
				double share = group.count() / groupCount;
				long alike = group(group, pixels, pass, inputArea, within, false, nextGroup).cycles();
				GroupCycles firstOfTile = group(group, pixels, pass, inputArea, behind, firstOfLayer, nextGroup);
				// a tile's second group is its last where the layer has two
				boolean twoGroups = layer.groups() == 2;
				long lastOfTile = group(group, pixels, pass, inputArea, twoGroups ? second : within, false, nextTile)
						.cycles();
				cycles += group.count() * alike + share * (firstOfTile.cycles() - alike + lastOfTile - alike);
				if (!twoGroups && second != within) {
					cycles += share * (group(group, pixels, pass, inputArea, second, false, nextGroup).cycles() - alike);
				}
				first += share * firstOfTile.first();
				shares[i] = share;
				firstTrips[i] = firstOfTile.firstTrips();
			}
			return new TileCycles(cycles, cycles - first, shares, firstTrips);
		}

		/**
		 * What the last step of the layer leaves: its output stage beside what is left of the store of the tile before
		 * the last (or the store of the group before the last), then the last tile's (or group's) words.
		 */
		double flush(Preceding last) {
			long pixels = last.previous;
			double left = 0;
			for (GroupClass group : groups) {
				left += group.count() / groupCount * drain(group, steps(group, engines) - 1, pixels);
			}
			left = Math.max(Math.max(left, spill(last.earlier, last.previousAfterFirst)), pixels * groupStore);
			left += pixels * groupStore + tileStore(pixels);
			return loop(Math.round(left), DRAM_LOOP_DEPTH);
		}

		/**
		 * A group: its counts' word, then its steps, the first behind {@code firstBackground} items and, where it is
		 * the layer's first ({@code loadsFirstInput}), loading its first input before it computes; every step loads the
		 * first input of the step after it, the last one {@code following} words. A step's rows change only where an
		 * engine's rows run out, so the steps come in runs of alike ones: the first of a run runs behind the step
		 * before it, the others behind one of their own kind; the group's first and last step differ in their loads.
		 */
		private GroupCycles group(GroupClass group, long pixels, long pass, long inputArea, long firstBackground,
				boolean loadsFirstInput, long following) {
			// the counts word, a lone read (none on the depthwise unit)
			long cycles = loop(layer.groupCountsWords(), DRAM_LOOP_DEPTH);
			long first = -1;
			long firstTrips = 0;
			long steps = steps(group, engines);
			long own = firstInput(inputArea, group.firstChannel());
			if (group.drains() != null) {
				// an export's rows: each step's output stage as its rows' channels make it
				long background = firstBackground;
				for (long step = 0; step < steps; step++) {
					long[] rows = stepRows(group, step);
					long positions = positions(rows, pass, inputArea, group.firstChannel(), step == 0 && loadsFirstInput,
							step == steps - 1 ? following : own);
					long trips = Math.max(Math.max(positions, background), sum(rows));
					cycles += loop(trips, DRAM_LOOP_DEPTH);
					if (first < 0) {
						first = cycles;
						firstTrips = trips;
					}
					background = drain(group, step, pixels);
				}
				return new GroupCycles(cycles, first, firstTrips);
			}
			long[] starts = new long[2 * engines.size() + 1];
			int count = 0;
			starts[count++] = 0;
			for (int e = 0; e < engines.size(); e++) {
				// the steps change where an engine's rows run out: at its partial step and after it
				long full = group.rows()[e] / engines.get(e).rows();
				for (long start : new long[] { full, full + 1 }) {
					if (start > 0 && start < steps) {
						starts[count++] = start;
					}
				}
			}
			Arrays.sort(starts, 0, count);
			long background = firstBackground;
			for (int i = 0; i < count; i++) {
				if (i > 0 && starts[i] == starts[i - 1]) {
					continue;
				}
				long start = starts[i];
				long end = steps;
				for (int j = i + 1; j < count; j++) {
					if (starts[j] > start) {
						end = starts[j];
						break;
					}
				}
				long[] rows = stepRows(group, start);
				long rowCount = sum(rows);
				long even = drain(rows, pixels); // no export here: each step's rows spread evenly over the lanes
				// the run's first step (the group's first where start is 0), its last (the group's last where end is
				// steps), and alike ones between, each behind the output stage of the step before it
				long firstFollowing = start == steps - 1 ? following : own;
				long trips = Math.max(Math.max(positions(rows, pass, inputArea, group.firstChannel(),
						start == 0 && loadsFirstInput, firstFollowing), background), rowCount);
				cycles += loop(trips, DRAM_LOOP_DEPTH);
				if (first < 0) {
					first = cycles;
					firstTrips = trips;
				}
				background = drain(group, start, pixels);
				if (end - start >= 2) {
					long middle = positions(rows, pass, inputArea, group.firstChannel(), false, own);
					if (end - start >= 3) {
						cycles += loop(Math.max(Math.max(middle, background), rowCount), DRAM_LOOP_DEPTH)
								+ (end - start - 3) * loop(Math.max(Math.max(middle, even), rowCount), DRAM_LOOP_DEPTH);
						background = even;
					}
					long lastFollowing = end == steps ? following : own;
					cycles += loop(Math.max(Math.max(positions(rows, pass, inputArea, group.firstChannel(), false,
							lastFollowing), background), rowCount), DRAM_LOOP_DEPTH);
					background = drain(group, end - 1, pixels);
				}
			}
			return new GroupCycles(cycles, first, firstTrips);
		}

		/**
		 * Cycles of a step's positions: the first position's weights (and, for the layer's first step,
		 * {@code loadsFirstInput}, the first lane group's input tile), then per lane group its kernel positions, each
		 * the longest of its pass, the next position's weights and, at the lane group's last, what is left of the next
		 * lane group's input tile, or for the last lane group the first input of the step after it ({@code following}
		 * words).
		 */
		private long positions(long[] rows, long pass, long inputArea, long firstChannel, boolean loadsFirstInput,
				long following) {
			long weightWords = 0;
			for (int e = 0; e < engines.size(); e++) {
				weightWords += layer.onDepthwiseUnit() ? DepthwiseUnit.blockWords(rows[e], wordBits)
						: FeatureMapLayout.blockWords(rows[e], config.lanes(), engines.get(e).scheme().bits(), wordBits);
			}
			// steps of equal weights (every full step) cost alike: a design search asks for thousands
			return positionCycles.computeIfAbsent(
					List.of(weightWords, pass, inputArea, firstChannel, loadsFirstInput ? 1L : 0L, following),
					key -> positions(key.get(0), pass, inputArea, firstChannel, loadsFirstInput, following));
		}

		private long positions(long weightWords, long pass, long inputArea, long firstChannel,
				boolean loadsFirstInput, long following) {
			long laneGroups = layer.laneGroups(config.lanes());
			long kernelArea = layer.kernelArea();
			long position = Math.max(pass, weightWords);
			long cycles = Math.max(loadsFirstInput ? firstInput(inputArea, firstChannel) : 0, weightWords);
			long issued = (kernelArea - 1) * position;
			if (laneGroups >= 3 && layer.laneGroupsAligned(firstChannel, valueLanes, perWord)) {
				// aligned lane groups of whole words: every one but the last reads as many words (a search asks for
				// thousands of designs, a layer of 2,048 channels on 4 lanes has 512 lane groups)
				long full = inputArea * layer.laneGroupWords(firstChannel, 1, valueLanes, perWord);
				long last = inputArea * layer.laneGroupWords(firstChannel, laneGroups - 1, valueLanes, perWord);
				return cycles + (laneGroups - 2) * laneGroup(issued, pass, weightWords, full)
						+ laneGroup(issued, pass, weightWords, last) + laneGroup(issued, pass, 0, following);
			}
			for (long l = 0; l < laneGroups; l++) {
				boolean more = l + 1 < laneGroups;
				long nextInput = more ? inputArea * layer.laneGroupWords(firstChannel, l + 1, valueLanes, perWord) : following;
				cycles += laneGroup(issued, pass, more ? weightWords : 0, nextInput);
			}
			return cycles;
		}

		/**
		 * A lane group's positions: all but the last as long as their pass or the next position's weights
		 * ({@code issued} in all), the last as long as its pass, the weights of the position after it (0 at the
		 * step's end) or what is left of the next lane group's input tile (the next step's first at the step's end).
		 */
		private static long laneGroup(long issued, long pass, long nextWeights, long nextInput) {
			return issued + Math.max(Math.max(pass, nextWeights), nextInput - Math.min(nextInput, issued));
		}

		/**
		 * The output stage of a group's step over a tile of {@code pixels}: its lanes each through its rows of every
		 * engine, two pixels a cycle ({@link AcceleratorConfig#outputLanes}), as many rounds as the fullest lane has
		 * rows. Without an export the host's dealing ({@link #outputLaneRounds}) is taken to spread each step's rows
		 * evenly over the lanes.
		 */
		private long drain(GroupClass group, long step, long pixels) {
			if (group.drains() == null) {
				return drain(stepRows(group, step), pixels);
			}
			return group.drains().get((int) step) * LatencyModel.ceil(pixels, OUTPUT_PIXELS_PER_CYCLE);
		}

		/** The output stage of a step of {@code rows} of each engine spread evenly over the lanes. */
		private long drain(long[] rows, long pixels) {
			return LatencyModel.ceil(sum(rows), outputLanes) * LatencyModel.ceil(pixels, OUTPUT_PIXELS_PER_CYCLE);
		}

		private static long sum(long[] values) {
			long sum = 0;
			for (long value : values) {
				sum += value;
			}
			return sum;
		}

		private long[] stepRows(GroupClass group, long step) {
			long[] rows = new long[engines.size()];
			for (int e = 0; e < engines.size(); e++) {
				rows[e] = LoopNestSchedule.stepRows(group, engines.get(e), e, step);
			}
			return rows;
		}

		/**
		 * Each engine's compute cycles: passes x pixels per position of every step it has rows in, every tile; none
		 * for a layer on the depthwise unit, while which the engines wait.
		 */
		void busy(Map<Scheme, Long> engineCycles, long height, long width) {
			if (layer.onDepthwiseUnit()) {
				for (EngineConfig engine : config.engines()) {
					if (layer.rowsPerScheme().getOrDefault(engine.scheme(), 0L) > 0) {
						engineCycles.put(engine.scheme(), 0L);
					}
				}
				return;
			}
			long passes = layer.passes(activationBits) * height * width;
			long positions = layer.laneGroups(config.lanes()) * layer.kernelArea();
			for (int e = 0; e < engines.size(); e++) {
				double steps = 0;
				for (GroupClass group : groups) {
					steps += group.count() * LatencyModel.ceil(group.rows()[e], engines.get(e).rows());
				}
				if (layer.rowsPerScheme().getOrDefault(engines.get(e).scheme(), 0L) > 0) {
					engineCycles.put(engines.get(e).scheme(), Math.round(steps * positions * passes));
				}
			}
		}
	}

	/**
	 * The engines a layer's rows take, in the order of a group's row counts: the config's; for a layer on the
	 * depthwise unit the unit alone (every row of a group there, whatever its scheme), taken as an engine of a row per
	 * lane, whose one row step holds a group's channels.
	 */
	static List<EngineConfig> engines(LayerWork layer, AcceleratorConfig config) {
		return layer.onDepthwiseUnit()
				? List.of(new EngineConfig(Scheme.fixed(DepthwiseUnit.WEIGHT_BITS), config.lanes(), DspPacking.NONE))
				: config.engines();
	}

	/**
	 * Words of engine {@code engine}'s blocks of one kernel position over all its row steps of {@code rows} rows
	 * ({@link FeatureMapLayout#stepBlockWords}); on the depthwise unit a kernel row of each channel
	 * ({@link DepthwiseUnit#blockWords}).
	 */
	static long stepBlockWords(LayerWork layer, EngineConfig engine, long rows, int lanes, int wordBits) {
		return layer.onDepthwiseUnit() ? DepthwiseUnit.blockWords(rows, wordBits)
				: FeatureMapLayout.stepBlockWords(rows, engine.rows(), lanes, engine.scheme().bits(), wordBits);
	}

	/**
	 * Words of each output pixel a group stores beside the output stage of the group after it: on the depthwise unit,
	 * where a group's channels fill whole output words and the layer has several groups, its own words, which are
	 * whole once its output stage is done, so that the tile's store spreads over its groups' steps instead of waiting
	 * behind the next tile's first; 0 otherwise (a tile's words go beside the next tile's steps after its first). The
	 * two output tile buffers then take turns by group, not by tile, and the words of a pixel are written in runs of
	 * a group's.
	 */
	public static long groupStoreWords(LayerWork layer, int wordBits) {
		if (!layer.onDepthwiseUnit() || layer.groups() < 2) {
			return 0;
		}
		long channels = layer.rows() / layer.groups();
		long perWord = layer.outputFormat().codesPerWord(wordBits);
		return channels % perWord == 0 ? channels / perWord : 0;
	}

	/** Row steps of a group: each engine takes its next rows of the group in a step, until the last has none. */
	static long steps(GroupClass group, List<EngineConfig> engines) {
		long steps = 0;
		for (int e = 0; e < engines.size(); e++) {
			steps = Math.max(steps, LatencyModel.ceil(group.rows()[e], engines.get(e).rows()));
		}
		return steps;
	}

	/** The rows engine {@code e} takes in a group's row step {@code step}. */
	static long stepRows(GroupClass group, EngineConfig engine, int e, long step) {
		return Math.max(0, Math.min(engine.rows(), group.rows()[e] - step * engine.rows()));
	}

	/**
	 * Groups of a layer alike in cost: as many as {@code count} (an expectation, not always whole), whose first input
	 * channel lies at {@code firstChannel} in its word, with {@code rows} of each engine; where an export says which
	 * rows these are, {@code drains} gives per row step the rows of all engines in its fullest output lane (null: each
	 * step's rows spread evenly over the lanes).
	 */
	record GroupClass(double count, long firstChannel, long[] rows, List<Long> drains) {
	}

	/**
	 * The groups of a layer, alike ones together. A plain layer is one group of every row. Which rows of a grouped
	 * layer take a scheme is chosen per row in training (by sensitivity or variance, whatever the channel's index),
	 * so the generated design reads each group's counts from its parameters, and the model takes the rows as spread
	 * at random: a group of n rows has x_e rows of engine e with the multinomial probability of n draws at the
	 * layer's shares p_e = M_e / M, and the layer's G groups are G times that distribution. Exact for a plain layer,
	 * for one row per group (G p_e = M_e groups of one row of e) and for one scheme; an expectation otherwise, from
	 * which a trained or seeded export's groups depart by their partial row steps. Where the layer knows which rows
	 * took which scheme (an export's, {@link LayerWork#withRowSchemes}), its groups are what they are.
	 */
	static List<GroupClass> groupClasses(LayerWork layer, AcceleratorConfig config, int wordBits) {
		List<EngineConfig> engines = config.engines();
		long[] total = new long[engines.size()];
		for (int e = 0; e < engines.size(); e++) {
			total[e] = layer.rowsPerScheme().getOrDefault(engines.get(e).scheme(), 0L);
		}
		long perWord = layer.inputFormat().codesPerWord(wordBits);
		long groups = layer.groups();
		// where a group's first input channel lies in its word repeats with a period of at most perWord groups
		Map<Long, Long> alignments = new LinkedHashMap<>();
		for (long g = 0; g < Math.min(groups, perWord); g++) {
			long first = g * layer.inputChannelsPerGroup() % perWord;
			long alike = (groups - g + perWord - 1) / perWord;
			alignments.merge(first, alike, Long::sum);
		}
		List<GroupClass> classes = new ArrayList<>();
		if (layer.onDepthwiseUnit()) {
			// every row of a group on the unit, whatever its scheme
			for (Map.Entry<Long, Long> alignment : alignments.entrySet()) {
				classes.add(new GroupClass(alignment.getValue(), alignment.getKey(),
						new long[] { layer.rows() / groups }, null));
			}
			return classes;
		}
		if (!layer.rowSchemes().isEmpty()) {
			// the rows an export gave each group: the groups alike in rows, alignment and output lanes together
			Map<List<Long>, Integer> alike = new LinkedHashMap<>();
			long perGroup = layer.rows() / groups;
			int lanes = config.outputLanes();
			for (long g = 0; g < groups; g++) {
				List<List<Long>> members = new ArrayList<>();
				engines.forEach(engine -> members.add(new ArrayList<>()));
				for (long r = g * perGroup; r < (g + 1) * perGroup; r++) {
					Scheme scheme = layer.rowSchemes().get((int) r);
					for (int e = 0; e < engines.size(); e++) {
						if (engines.get(e).scheme().equals(scheme)) {
							members.get(e).add(r);
						}
					}
				}
				long[] rows = members.stream().mapToLong(List::size).toArray();
				List<Long> drains = outputLaneRounds(members, engines, lanes);
				List<Long> key = new ArrayList<>();
				key.add(g * layer.inputChannelsPerGroup() % perWord);
				Arrays.stream(rows).forEach(key::add);
				key.addAll(drains);
				Integer index = alike.get(key);
				if (index == null) {
					alike.put(key, classes.size());
					classes.add(new GroupClass(1, key.get(0), rows, drains));
				} else {
					GroupClass group = classes.get(index);
					classes.set(index, new GroupClass(group.count() + 1, group.firstChannel(), group.rows(), drains));
				}
			}
			return classes;
		}
		Compositions compositions = Compositions.of(total, layer.rows() / groups);
		for (Map.Entry<Long, Long> alignment : alignments.entrySet()) {
			for (int i = 0; i < compositions.rows().size(); i++) {
				classes.add(new GroupClass(alignment.getValue() * compositions.probabilities().get(i),
						alignment.getKey(), compositions.rows().get(i), null));
			}
		}
		return classes;
	}

	/**
	 * Per row step of a group, the rows of all engines in its fullest output lane. Which of an engine's rows go in
	 * which of its steps is the host's choice (each row's weights and parameters come with it), so it deals them out
	 * (ilmpq_export.h, deal_rows_to_steps): step by step, the engines with the fewest rows in the step first, each row
	 * from the lane (channel modulo {@link AcceleratorConfig#outputLanes}) that has fewer than an even share of the
	 * step's rows (ceil(rows / lanes)) and the most rows left of all engines, else from the lane that has had fewest in
	 * the step.
	 */
	private static List<Long> outputLaneRounds(List<List<Long>> members, List<EngineConfig> engines, int lanes) {
		int count = engines.size();
		long[][] pools = new long[count][lanes];
		long[] left = new long[lanes];
		long steps = 0;
		for (int e = 0; e < count; e++) {
			for (long channel : members.get(e)) {
				pools[e][(int) (channel % lanes)]++;
				left[(int) (channel % lanes)]++;
			}
			steps = Math.max(steps, LatencyModel.ceil(members.get(e).size(), engines.get(e).rows()));
		}
		List<Long> rounds = new ArrayList<>();
		for (long step = 0; step < steps; step++) {
			long[] takes = new long[count];
			long total = 0;
			for (int e = 0; e < count; e++) {
				takes[e] = Math.min(Arrays.stream(pools[e]).sum(), engines.get(e).rows());
				total += takes[e];
			}
			long even = LatencyModel.ceil(total, lanes);
			long[] taken = new long[lanes];
			for (int e : byTakes(takes)) {
				for (long t = 0; t < takes[e]; t++) {
					int best = -1;
					for (int j = 0; j < lanes; j++) {
						if (pools[e][j] == 0) {
							continue;
						}
						if (best < 0) {
							best = j;
							continue;
						}
						boolean under = taken[j] < even;
						boolean bestUnder = taken[best] < even;
						if (under != bestUnder ? under
								: under ? left[j] > left[best]
										: taken[j] < taken[best] || taken[j] == taken[best] && left[j] > left[best]) {
							best = j;
						}
					}
					pools[e][best]--;
					left[best]--;
					taken[best]++;
				}
			}
			rounds.add(Arrays.stream(taken).max().orElse(0));
		}
		return rounds;
	}

	/** The engines by the rows they take in a step, fewest first, in their order where alike. */
	private static List<Integer> byTakes(long[] takes) {
		List<Integer> order = new ArrayList<>();
		for (int e = 0; e < takes.length; e++) {
			order.add(e);
		}
		order.sort((a, b) -> Long.compare(takes[a], takes[b]));
		return order;
	}

	/**
	 * The ways a group's rows fall on the engines, with their probabilities. They depend on the layer's rows per
	 * engine and the group's size only, and a design search asks for them once per design: the last ones asked for
	 * are kept (a few kilobytes each).
	 */
	private record Compositions(List<long[]> rows, List<Double> probabilities) {

		private static final int KEPT = 256;

		private static final Map<List<Long>, Compositions> RECENT = new LinkedHashMap<>(KEPT, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<List<Long>, Compositions> eldest) {
				return size() > KEPT;
			}
		};

		static Compositions of(long[] total, long rows) {
			List<Long> key = new ArrayList<>();
			Arrays.stream(total).forEach(key::add);
			key.add(rows);
			synchronized (RECENT) {
				Compositions known = RECENT.get(key);
				if (known != null) {
					return known;
				}
			}
			List<long[]> compositions = new ArrayList<>();
			List<Double> probabilities = new ArrayList<>();
			compositions(total, rows, compositions, probabilities);
			Compositions computed = new Compositions(List.copyOf(compositions), List.copyOf(probabilities));
			synchronized (RECENT) {
				RECENT.put(key, computed);
			}
			return computed;
		}
	}

	/**
	 * Every way {@code rows} rows of a group fall on the engines, with its probability: the rows drawn at the
	 * layer's shares {@code total[e] / sum}; the one way when all rows of the layer are in the group.
	 */
	private static void compositions(long[] total, long rows, List<long[]> compositions, List<Double> probabilities) {
		long sum = Arrays.stream(total).sum();
		if (rows == sum) {
			compositions.add(total.clone());
			probabilities.add(1.0);
			return;
		}
		compose(total, sum, rows, 0, new long[total.length], 0.0, compositions, probabilities);
	}

	private static void compose(long[] total, long sum, long left, int engine, long[] rows, double logProbability,
			List<long[]> compositions, List<Double> probabilities) {
		if (engine == total.length - 1) {
			if (left > 0 && total[engine] == 0) {
				return;
			}
			rows[engine] = left;
			double log = logProbability + (left == 0 ? 0 : left * Math.log((double) total[engine] / sum))
					- logFactorial(left);
			double probability = Math.exp(log + logFactorial(Arrays.stream(rows).sum()));
			if (probability > NEGLIGIBLE) {
				compositions.add(rows.clone());
				probabilities.add(probability);
			}
			return;
		}
		long most = total[engine] == 0 ? 0 : left;
		for (long x = 0; x <= most; x++) {
			rows[engine] = x;
			double log = logProbability + (x == 0 ? 0 : x * Math.log((double) total[engine] / sum)) - logFactorial(x);
			compose(total, sum, left - x, engine + 1, rows, log, compositions, probabilities);
		}
	}

	/** Compositions less likely than this are left out: their share of a layer's cycles is far below a cycle. */
	private static final double NEGLIGIBLE = 1e-12;

	/** log(n!) up to this n from a table, beyond it by Stirling's series (error below 1e-10 at this size). */
	private static final int LOG_FACTORIALS = 1 << 12;

	private static final double[] LOG_FACTORIAL = new double[LOG_FACTORIALS];

	static {
		for (int n = 2; n < LOG_FACTORIALS; n++) {
			LOG_FACTORIAL[n] = LOG_FACTORIAL[n - 1] + Math.log(n);
		}
	}

	private static double logFactorial(long n) {
		if (n < LOG_FACTORIALS) {
			return LOG_FACTORIAL[(int) n];
		}
		double x = n;
		return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
	}
}
