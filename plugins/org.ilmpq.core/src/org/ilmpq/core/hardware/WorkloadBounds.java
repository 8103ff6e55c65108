package org.ilmpq.core.hardware;

import org.ilmpq.core.integer.CodeFormat;

/**
 * What the buffers and accumulators of a design must be sized for: the largest of each over the layers.
 *
 * @param maxFanIn products summed into one output: input channels per group x kernel area
 * @param maxInputTileArea input values per channel a tile reads, halo and padding included
 * @param maxOutputTileArea outputs per row a tile computes
 * @param maxInputBits bits of the widest input value a layer reads (8-bit pixels, the activations otherwise)
 * @param accumulatorGrowthBits bits an accumulator needs above one product of a weight and an activation-wide
 *            value: ceil(log2(fan-in)) for the sum, plus the extra bits of an input wider than the activations,
 *            which the engines take in activation-wide slices (see {@link LayerWork#slices}); the largest over
 *            the layers
 * @param outputTile the output tile buffer: the codes of every channel of one output tile, in banks of one code
 *            per word position so that a whole output word is read in one cycle
 * @param residualTile the same for the operand of a fused residual add; empty (0 banks) when no layer has one
 */
public record WorkloadBounds(long maxFanIn, long maxKernelArea, long maxInputTileArea, long maxOutputTileArea,
		int maxInputBits, int accumulatorGrowthBits, TileBuffer outputTile, TileBuffer residualTile) {

	/**
	 * A buffer of the codes of one tile's channels: {@code banks} memories, bank b holding the channels b, b + P,
	 * b + 2P, ... of each pixel, P the codes per word of the layer's format (at most {@code banks}).
	 *
	 * @param depth codes per bank: the largest ceil(channels / P) x tile pixels of a layer
	 * @param codeBits bits of one stored code: the widest format, and a sign bit
	 * @param fewestPerWord the smallest P of its layers (of the widest format); 0 for no layer
	 */
	public record TileBuffer(int banks, long depth, int codeBits, int fewestPerWord) {
		static final TileBuffer NONE = new TileBuffer(0, 0, 0, 0);

		TileBuffer include(long channels, long pixels, CodeFormat format, int wordBits) {
			int perWord = format.codesPerWord(wordBits);
			return new TileBuffer(Math.max(banks, perWord),
					Math.max(depth, LatencyModel.ceil(channels, perWord) * pixels), Math.max(codeBits, format.bits() + 1),
					fewestPerWord == 0 ? perWord : Math.min(fewestPerWord, perWord));
		}
	}

	/**
	 * The most lanes the output stage can have: lane j writes the tile buffers' banks b = c mod P of the channels
	 * c = j mod lanes only where the lanes divide every format's P ({@link LoopNestSchedule#MAX_OUTPUT_LANES} at
	 * most). 8 on 64-bit words for 4- and 8-bit codes, 4 where a layer writes 16-bit codes.
	 */
	public int maxOutputLanes() {
		int lanes = LoopNestSchedule.MAX_OUTPUT_LANES;
		for (TileBuffer buffer : new TileBuffer[] { outputTile, residualTile }) {
			if (buffer.fewestPerWord() > 0) {
				lanes = Math.min(lanes, buffer.fewestPerWord());
			}
		}
		return lanes;
	}

	/**
	 * @param wordBits the width of the feature-map words ({@link MemoryBandwidth#wordBits()}), which sets how the
	 *            tile buffers are banked
	 */
	public static WorkloadBounds of(Workload workload, int tile, int wordBits) {
		long fanIn = 1;
		long kernel = 1;
		long inputTile = 1;
		long outputTile = 1;
		int activationBits = workload.activations().bits();
		int inputBits = activationBits;
		int growth = 0;
		TileBuffer outputs = TileBuffer.NONE;
		TileBuffer residuals = TileBuffer.NONE;
		for (LayerWork layer : AlikeLayers.of(workload).layers()) {
			long layerFanIn = layer.inputChannelsPerGroup() * layer.kernelArea();
			growth = Math.max(growth, FabricCosts.log2Ceil(layerFanIn) + Math.max(0, layer.inputBits() - activationBits));
			fanIn = Math.max(fanIn, layerFanIn);
			kernel = Math.max(kernel, layer.kernelArea());
			inputTile = Math.max(inputTile, inputTileHeight(layer, tile) * inputTileWidth(layer, tile));
			long pixels = Math.min(tile, layer.outputHeight()) * Math.min(tile, layer.outputWidth());
			outputTile = Math.max(outputTile, pixels);
			inputBits = Math.max(inputBits, layer.inputBits());
			outputs = outputs.include(layer.rows(), pixels, layer.outputFormat(), wordBits);
			if (layer.residualFormat().isPresent()) {
				residuals = residuals.include(layer.rows(), pixels, layer.residualFormat().get(), wordBits);
			}
		}
		return new WorkloadBounds(fanIn, kernel, inputTile, outputTile, inputBits, growth, outputs, residuals);
	}

	/**
	 * Input rows one output tile holds: (Tr - 1) x stride + (kernel - 1) x dilation + 1, the padding rows
	 * included (the tile buffer holds their zeros).
	 */
	static long inputTileHeight(LayerWork layer, int tile) {
		long rows = Math.min(tile, layer.outputHeight());
		return (rows - 1) * layer.strideHeight() + (layer.kernelHeight() - 1) * layer.dilation().height() + 1;
	}

	static long inputTileWidth(LayerWork layer, int tile) {
		long columns = Math.min(tile, layer.outputWidth());
		return (columns - 1) * layer.strideWidth() + (layer.kernelWidth() - 1) * layer.dilation().width() + 1;
	}
}
