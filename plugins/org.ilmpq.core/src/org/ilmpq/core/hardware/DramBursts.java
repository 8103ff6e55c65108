package org.ilmpq.core.hardware;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DRAM time of one weight layer's words, burst by burst (docs/hardware-model.md, "DRAM bound"): the generated
 * loop nest reads and writes each of its streams (the input tile of a lane group, each engine's weights and row
 * parameters of a group, the layer's and the group's words, a tile's residual operand and its output) as runs of
 * consecutive words, one run per stream and loop, which the AXI master issues as bursts of at most
 * {@link MemoryBandwidth#MAX_BURST_BEATS} beats. The DRAM moves a burst in whole accesses of its access size, so a
 * burst of fewer bytes takes it as long as a whole access: what {@link MemoryBandwidth#burstBytes} charges. The
 * runs, per tile:
 * <ul>
 * <li>input, per group, row step and lane group: the lane group's words of every pixel of the tile's window inside
 * the map; where they are all the words of a pixel, a window row is one run (the whole window, where it spans the
 * map's width), otherwise each pixel's words are one;</li>
 * <li>weights, per group and engine: the engine's blocks of every row step, lane group and kernel position, which lie
 * one after the other;</li>
 * <li>parameters: the layer's word; per group its counts word and each engine's rows' words;</li>
 * <li>residual operand and output: a tile row's words (the whole tile, where it spans the map's width).</li>
 * </ul>
 * A run never spans two groups or two tiles: each is a request of its own. The generated counting simulation
 * ({@code make cycles}) finds the same runs in the addresses its loops read and write.
 */
public final class DramBursts {

	private DramBursts() {
	}

	/** The bytes of DRAM time the layer's bursts take, the words as {@link DramTraffic} counts them. */
	public static long bytes(LayerWork layer, AcceleratorConfig config, MemoryBandwidth bandwidth) {
		int wordBits = bandwidth.wordBits();
		int beat = wordBits / 8;
		int parameterBeat = FeatureMapLayout.PARAMETER_BITS / 8;
		int lanes = config.lanes();
		int tile = config.tile();
		long tiles = LatencyModel.tiles(layer, tile);
		long perWord = layer.inputFormat().codesPerWord(wordBits);
		long pixelWords = FeatureMapLayout.wordsPerPixel(layer.inputChannels(), layer.inputFormat(), wordBits);
		long laneGroups = layer.laneGroups(lanes);
		int valueLanes = layer.valueLanes(lanes);

		// per group class: its row steps, its lane groups by the words of a pixel each reads, its weight and
		// parameter runs
		double weightsAndParameters = 0;
		Map<Long, Double> laneGroupReads = new LinkedHashMap<>(); // words of a pixel -> lane group reads per tile
		double onePixel = 0; // the input of a tile whose window is one pixel
		Map<Long, Long> windowRows = DramTraffic.windowRows(layer, tile);
		Map<Long, Long> windowColumns = DramTraffic.windowColumns(layer, tile);
		boolean onePixelWindows = windowRows.containsKey(1L) && windowColumns.containsKey(1L);
		List<EngineConfig> engines = LoopNestSchedule.engines(layer, config);
		for (LoopNestSchedule.GroupClass group : LoopNestSchedule.groupClasses(layer, config, wordBits)) {
			long steps = LoopNestSchedule.steps(group, engines);
			// the group's counts word (none on the depthwise unit, which takes every row of a group)
			double perGroup = bandwidth.burstBytes(layer.groupCountsWords(), parameterBeat);
			for (int e = 0; e < engines.size(); e++) {
				long rows = group.rows()[e];
				if (rows > 0) {
					perGroup += bandwidth.burstBytes(rows, parameterBeat) + bandwidth.burstBytes(laneGroups
							* layer.kernelArea() * LoopNestSchedule.stepBlockWords(layer, engines.get(e), rows, lanes,
									wordBits), beat);
				}
			}
			weightsAndParameters += group.count() * perGroup;
			if (onePixelWindows) {
				onePixel += group.count() * steps
						* onePixelRuns(layer, bandwidth, beat, group.firstChannel(), valueLanes, perWord);
			}
			if (laneGroups >= 3 && layer.laneGroupsAligned(group.firstChannel(), valueLanes, perWord)) {
				laneGroupReads.merge(layer.laneGroupWords(group.firstChannel(), 0, valueLanes, perWord),
						group.count() * steps, Double::sum);
				laneGroupReads.merge(layer.laneGroupWords(group.firstChannel(), 1, valueLanes, perWord),
						group.count() * steps * (laneGroups - 2), Double::sum);
				laneGroupReads.merge(layer.laneGroupWords(group.firstChannel(), laneGroups - 1, valueLanes, perWord),
						group.count() * steps, Double::sum);
			} else {
				for (long l = 0; l < laneGroups; l++) {
					laneGroupReads.merge(layer.laneGroupWords(group.firstChannel(), l, valueLanes, perWord),
							group.count() * steps, Double::sum);
				}
			}
		}

		double total = tiles * (bandwidth.burstBytes(1, parameterBeat) + weightsAndParameters);
		long outputWords = FeatureMapLayout.wordsPerPixel(layer.rows(), layer.outputFormat(), wordBits);
		long residualWords = layer.residualFormat()
				.map(format -> FeatureMapLayout.wordsPerPixel(layer.rows(), format, wordBits)).orElse(0L);
		// tiles alike in their window's extent inside the map (rows, columns) cost alike: a map's tile rows and tile
		// columns take few extents (the edges' and the rest), so the tiles are summed by extent, not one by one
		for (Map.Entry<Long, Long> rows : windowRows.entrySet()) {
			for (Map.Entry<Long, Long> columns : windowColumns.entrySet()) {
				double window = 0;
				if (rows.getKey() * columns.getKey() == 1) {
					window = onePixel;
				} else {
					for (Map.Entry<Long, Double> reads : laneGroupReads.entrySet()) {
						window += reads.getValue() * mapRuns(bandwidth, beat, rows.getKey(), columns.getKey(),
								layer.inputWidth(), reads.getKey(), pixelWords);
					}
				}
				total += (double) rows.getValue() * columns.getValue() * window;
			}
		}
		Map<Long, Long> heights = sizes(layer.outputHeight(), tile);
		Map<Long, Long> widths = sizes(layer.outputWidth(), tile);
		// a tile's output words at once, or each group's behind the next step (LoopNestSchedule.groupStoreWords)
		long groupStore = LoopNestSchedule.groupStoreWords(layer, wordBits);
		for (Map.Entry<Long, Long> height : heights.entrySet()) {
			for (Map.Entry<Long, Long> width : widths.entrySet()) {
				long runs = (groupStore > 0
						? layer.groups() * mapRuns(bandwidth, beat, height.getKey(), width.getKey(), layer.outputWidth(),
								groupStore, outputWords)
						: mapRuns(bandwidth, beat, height.getKey(), width.getKey(), layer.outputWidth(), outputWords,
								outputWords))
						+ (residualWords > 0 ? mapRuns(bandwidth, beat, height.getKey(), width.getKey(),
								layer.outputWidth(), residualWords, residualWords) : 0);
				total += (double) height.getValue() * width.getValue() * runs;
			}
		}
		return Math.round(total);
	}

	/** The sizes of a map's tile rows (or columns): whole tiles, and the one at the edge. */
	private static Map<Long, Long> sizes(long outputs, int tile) {
		Map<Long, Long> sizes = new LinkedHashMap<>();
		if (outputs / tile > 0) {
			sizes.put((long) tile, outputs / tile);
		}
		if (outputs % tile > 0) {
			sizes.put(outputs % tile, 1L);
		}
		return sizes;
	}

	/**
	 * The bursts of a row step's input where the tile's window is one pixel (a linear layer, a map of 1 x 1): the
	 * lane groups read their words one after the other, so those of a lane group that begins where the one before it
	 * ended continue its run (lane groups sharing a word, or reading every word of the pixel, each begin one).
	 */
	private static long onePixelRuns(LayerWork layer, MemoryBandwidth bandwidth, int beat, long firstChannel, int lanes,
			long perWord) {
		long laneGroups = LatencyModel.ceil(layer.inputChannelsPerGroup(), lanes);
		if (layer.columnsOnLanes() > 1) {
			// every lane group reads every word of the pixel, from its first
			return laneGroups * bandwidth.burstBytes(layer.laneGroupWords(firstChannel, 0, lanes, perWord), beat);
		}
		if (firstChannel % perWord == 0 && lanes % perWord == 0) {
			// whole words each, one after the other: one run
			return bandwidth.burstBytes(layer.laneGroupsWords(firstChannel, lanes, perWord), beat);
		}
		if (firstChannel % perWord == 0 && perWord % lanes == 0) {
			// m lane groups a word: each begins a run of its word, but the first of a word continues the run of the
			// word before it, two beats
			long m = perWord / lanes;
			long words = LatencyModel.ceil(laneGroups, m);
			return (words - 1) * bandwidth.burstBytes(2, beat)
					+ (laneGroups - 2 * (words - 1)) * bandwidth.burstBytes(1, beat);
		}
		long bytes = 0;
		long run = 0;
		long next = -1;
		for (long l = 0; l < laneGroups; l++) {
			long first = (firstChannel + l * lanes) / perWord;
			long words = layer.laneGroupWords(firstChannel, l, lanes, perWord);
			if (run > 0 && first != next) {
				bytes += bandwidth.burstBytes(run, beat);
				run = 0;
			}
			run += words;
			next = first + words;
		}
		return bytes + (run > 0 ? bandwidth.burstBytes(run, beat) : 0);
	}

	/**
	 * The bursts of {@code words} words of each pixel of a {@code rows x columns} piece of a map {@code mapWidth}
	 * wide whose pixels have {@code pixelWords} words: one run where the piece spans the map's width and takes whole
	 * pixels, a run a row where it takes whole pixels, a run a pixel otherwise.
	 */
	private static long mapRuns(MemoryBandwidth bandwidth, int beat, long rows, long columns, long mapWidth,
			long words, long pixelWords) {
		if (rows == 0 || columns == 0 || words == 0) {
			return 0;
		}
		if (words == pixelWords && columns == mapWidth) {
			return bandwidth.burstBytes(rows * columns * words, beat);
		}
		if (words == pixelWords) {
			return rows * bandwidth.burstBytes(columns * words, beat);
		}
		return rows * columns * bandwidth.burstBytes(words, beat);
	}
}
