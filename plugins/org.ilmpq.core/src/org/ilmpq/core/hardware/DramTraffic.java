package org.ilmpq.core.hardware;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words one weight layer moves between DRAM and the accelerator, by what they carry, as the generated loop
 * nest moves them (docs/hardware-model.md, "DRAM traffic"): per output tile, its parameter words and, for a fused
 * add, the residual operand's words of the tile; per group and row step, each lane group's input tile (the words
 * of its pixels inside the map) and, per kernel position, each engine's block of weights of the step's rows; the
 * output tile's words once. The layout of every word is {@link FeatureMapLayout}'s.
 *
 * @param inputWords feature-map words of the input tiles, every time a row step reloads them
 * @param weightWords words of the engines' weight blocks, reloaded for every output tile
 * @param parameterWords 64-bit words: per tile the layer's word, each group's row counts and each row's
 *            requantization parameters
 * @param residualWords words of a fused add's other operand, each read once
 * @param outputWords words of the layer's output, each written once
 * @param wordBits the width of a feature-map and weight word (the AXI ports' width)
 */
public record DramTraffic(long inputWords, long weightWords, long parameterWords, long residualWords,
		long outputWords, int wordBits) {

	/** Bytes moved in all. */
	public long bytes() {
		return (inputWords + weightWords + residualWords + outputWords) * (wordBits / 8)
				+ parameterWords * (FeatureMapLayout.PARAMETER_BITS / 8);
	}

	public static DramTraffic of(LayerWork layer, AcceleratorConfig config, int wordBits) {
		int lanes = config.lanes();
		int tile = config.tile();
		long tiles = LatencyModel.tiles(layer, tile);
		long laneGroups = layer.laneGroups(lanes);
		int valueLanes = layer.valueLanes(lanes);
		long perWord = layer.inputFormat().codesPerWord(wordBits);
		// per group (as LoopNestSchedule takes a grouped layer's rows: see groupClasses): its input tile once per row
		// step and lane group, each engine's blocks of its row steps
		double inputWordsPerPixel = 0;
		double weightBlocks = 0;
		List<EngineConfig> engines = LoopNestSchedule.engines(layer, config);
		for (LoopNestSchedule.GroupClass group : LoopNestSchedule.groupClasses(layer, config, wordBits)) {
			long words = layer.laneGroupsWords(group.firstChannel(), valueLanes, perWord);
			inputWordsPerPixel += group.count() * LoopNestSchedule.steps(group, engines) * words;
			for (int e = 0; e < engines.size(); e++) {
				weightBlocks += group.count()
						* LoopNestSchedule.stepBlockWords(layer, engines.get(e), group.rows()[e], lanes, wordBits);
			}
		}
		long inputPixels = inputRowsRead(layer, tile) * inputColumnsRead(layer, tile);
		long outputPixels = layer.outputHeight() * layer.outputWidth();
		long residual = layer.residualFormat()
				.map(format -> outputPixels * FeatureMapLayout.wordsPerPixel(layer.rows(), format, wordBits)).orElse(0L);
		return new DramTraffic(Math.round(inputPixels * inputWordsPerPixel),
				Math.round(tiles * laneGroups * layer.kernelArea() * weightBlocks),
				tiles * layer.parameterWords(), residual,
				outputPixels * FeatureMapLayout.wordsPerPixel(layer.rows(), layer.outputFormat(), wordBits), wordBits);
	}

	/** Input rows all output tiles read, summed over the tile rows: each tile's window, inside the map. */
	static long inputRowsRead(LayerWork layer, int tile) {
		return windowRows(layer, tile).entrySet().stream().mapToLong(extent -> extent.getKey() * extent.getValue())
				.sum();
	}

	static long inputColumnsRead(LayerWork layer, int tile) {
		return windowColumns(layer, tile).entrySet().stream().mapToLong(extent -> extent.getKey() * extent.getValue())
				.sum();
	}

	/**
	 * The rows inside the map of the windows of the layer's tile rows, each with how many tile rows have it: the
	 * edges' and the rest, few however large the map.
	 */
	static Map<Long, Long> windowRows(LayerWork layer, int tile) {
		return extents(layer.outputHeight(), tile, layer.strideHeight(), layer.padding().height(),
				layer.kernelHeight(), layer.dilation().height(), layer.inputHeight());
	}

	/** {@link #windowRows}, for the columns of the windows of the layer's tile columns. */
	static Map<Long, Long> windowColumns(LayerWork layer, int tile) {
		return extents(layer.outputWidth(), tile, layer.strideWidth(), layer.padding().width(), layer.kernelWidth(),
				layer.dilation().width(), layer.inputWidth());
	}

	/**
	 * The extents of the tiles along one side, with their counts. The whole tiles whose windows lie wholly in the
	 * padding before the map, wholly inside it or wholly in the padding after it come in ranges, counted at once:
	 * only the tiles across the map's edges, and the partial one, are taken one by one, so a side of millions of
	 * outputs costs what one of a few tiles does.
	 */
	private static Map<Long, Long> extents(long outputs, int tile, long stride, long padding, long kernel,
			long dilation, long inputs) {
		Map<Long, Long> extents = new LinkedHashMap<>();
		long span = tile * stride;
		long window = (tile - 1) * stride + (kernel - 1) * dilation + 1;
		long whole = outputs / tile;
		// tile t's window starts at t x span - padding and ends window - 1 after
		long before = clamp(Math.floorDiv(padding - window, span) + 1, 0, whole); // ends before the map
		long insideFrom = clamp(Math.floorDiv(padding + span - 1, span), 0, whole); // starts inside the map
		long insideTo = clamp(Math.floorDiv(inputs - window + padding, span) + 1, insideFrom, whole); // ends inside
		long after = clamp(Math.floorDiv(inputs - 1 + padding, span) + 1, 0, whole); // starts after the map
		for (long t = 0; t < whole;) {
			if (t < before) {
				extents.merge(0L, before - t, Long::sum);
				t = before;
			} else if (t >= insideFrom && t < insideTo) {
				extents.merge(window, insideTo - t, Long::sum);
				t = insideTo;
			} else if (t >= after) {
				extents.merge(0L, whole - t, Long::sum);
				t = whole;
			} else {
				extents.merge(inputExtent(t * tile, outputs, tile, stride, padding, kernel, dilation, inputs), 1L,
						Long::sum);
				t++;
			}
		}
		if (outputs % tile != 0) {
			extents.merge(inputExtent(whole * tile, outputs, tile, stride, padding, kernel, dilation, inputs), 1L,
					Long::sum);
		}
		return extents;
	}

	private static long clamp(long value, long low, long high) {
		return Math.max(low, Math.min(high, value));
	}

	/**
	 * The input rows (or columns) inside the map that the tile of outputs {@code first} onwards reads: its window
	 * from {@code first x stride - padding}, {@code (tile - 1) x stride + (kernel - 1) x dilation + 1} long.
	 */
	static long inputExtent(long first, long outputs, long tile, long stride, long padding, long kernel,
			long dilation, long inputs) {
		long count = Math.min(tile, outputs - first);
		long start = first * stride - padding;
		long end = start + (count - 1) * stride + (kernel - 1) * dilation; // inclusive
		return Math.max(0, Math.min(end, inputs - 1) - Math.max(start, 0) + 1);
	}
}
