package org.ilmpq.core.hardware;

import java.util.Map;

import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.quant.Scheme;

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
		long laneGroups = LatencyModel.ceil(layer.inputChannelsPerGroup(), lanes);
		long weightBlocks = 0;
		for (Map.Entry<Scheme, Long> rows : layer.rowsPerScheme().entrySet()) {
			if (rows.getValue() > 0) {
				EngineConfig engine = engine(config, layer, rows.getKey());
				// taken as spread evenly over as many groups as they can be, as LatencyModel.rowSteps takes them
				long groups = Math.min(layer.groups(), rows.getValue());
				long perGroup = Math.min(LatencyModel.ceil(rows.getValue(), groups), layer.rows() / layer.groups());
				weightBlocks += groups * FeatureMapLayout.stepBlockWords(perGroup, engine.rows(), lanes,
						rows.getKey().bits(), wordBits);
			}
		}
		long inputPixels = inputRowsRead(layer, tile) * inputColumnsRead(layer, tile);
		long input = inputPixels * stepsPerGroup(layer, config) * FeatureMapLayout.wordsPerInputPixel(layer.groups(),
				layer.inputChannelsPerGroup(), lanes, layer.inputFormat().codesPerWord(wordBits));
		long outputPixels = layer.outputHeight() * layer.outputWidth();
		long residual = layer.residualFormat()
				.map(format -> outputPixels * FeatureMapLayout.wordsPerPixel(layer.rows(), format, wordBits)).orElse(0L);
		return new DramTraffic(input, tiles * laneGroups * layer.kernelArea() * weightBlocks,
				tiles * (1 + layer.groups() + layer.rows()), residual,
				outputPixels * FeatureMapLayout.wordsPerPixel(layer.rows(), layer.outputFormat(), wordBits), wordBits);
	}

	/**
	 * The words loaded before anything computes: the first lane group's input tile and the engines' weights of the
	 * first kernel position.
	 */
	static long firstLoadWords(LayerWork layer, AcceleratorConfig config, int wordBits) {
		int lanes = config.lanes();
		long pixels = inputExtent(0, layer.outputHeight(), config.tile(), layer.strideHeight(), layer.padding().height(),
				layer.kernelHeight(), layer.dilation().height(), layer.inputHeight())
				* inputExtent(0, layer.outputWidth(), config.tile(), layer.strideWidth(), layer.padding().width(),
						layer.kernelWidth(), layer.dilation().width(), layer.inputWidth());
		CodeFormat format = layer.inputFormat();
		long words = pixels * FeatureMapLayout.wordsCovering(0, Math.min(lanes, layer.inputChannelsPerGroup()),
				format.codesPerWord(wordBits));
		long rowsPerGroup = layer.rows() / layer.groups();
		for (Map.Entry<Scheme, Long> rows : layer.rowsPerScheme().entrySet()) {
			if (rows.getValue() > 0) {
				long first = Math.min(Math.min(engine(config, layer, rows.getKey()).rows(), rows.getValue()), rowsPerGroup);
				words += FeatureMapLayout.blockWords(first, lanes, rows.getKey().bits(), wordBits);
			}
		}
		return words;
	}

	/**
	 * How often each group's input tile is loaded: once per row step, the steps of the engine with the most. For a
	 * grouped layer the rows of a scheme are taken as spread evenly over the groups (as {@link LatencyModel#rowSteps}
	 * takes them); a depthwise layer has one row, so one step, per group.
	 */
	static long stepsPerGroup(LayerWork layer, AcceleratorConfig config) {
		long steps = 0;
		long rowsPerGroup = layer.rows() / layer.groups();
		for (Map.Entry<Scheme, Long> rows : layer.rowsPerScheme().entrySet()) {
			if (rows.getValue() > 0) {
				long groups = Math.min(layer.groups(), rows.getValue());
				long perGroup = LatencyModel.ceil(rows.getValue(), groups);
				int engineRows = engine(config, layer, rows.getKey()).rows();
				steps = Math.max(steps, LatencyModel.ceil(perGroup, Math.min(engineRows, rowsPerGroup)));
			}
		}
		return steps;
	}

	/** Input rows all output tiles read, summed over the tile rows: each tile's window, inside the map. */
	static long inputRowsRead(LayerWork layer, int tile) {
		long rows = 0;
		for (long first = 0; first < layer.outputHeight(); first += tile) {
			rows += inputExtent(first, layer.outputHeight(), tile, layer.strideHeight(), layer.padding().height(),
					layer.kernelHeight(), layer.dilation().height(), layer.inputHeight());
		}
		return rows;
	}

	static long inputColumnsRead(LayerWork layer, int tile) {
		long columns = 0;
		for (long first = 0; first < layer.outputWidth(); first += tile) {
			columns += inputExtent(first, layer.outputWidth(), tile, layer.strideWidth(), layer.padding().width(),
					layer.kernelWidth(), layer.dilation().width(), layer.inputWidth());
		}
		return columns;
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

	private static EngineConfig engine(AcceleratorConfig config, LayerWork layer, Scheme scheme) {
		return config.engine(scheme).orElseThrow(() -> new IllegalArgumentException(
				"the design has no " + scheme + " engine for layer " + layer.name()));
	}
}
