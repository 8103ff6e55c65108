package org.ilmpq.core.hardware;

/**
 * What the buffers and accumulators of a design must be sized for: the largest of each over the layers.
 *
 * @param maxFanIn products summed into one output: input channels per group x kernel area
 * @param maxInputTileArea input values per channel a tile reads, halo included
 * @param maxOutputTileArea outputs per row a tile computes
 * @param maxInputBits bits of the widest input value a layer reads (8-bit pixels, the activations otherwise)
 * @param accumulatorGrowthBits bits an accumulator needs above one product of a weight and an activation-wide
 *            value: ceil(log2(fan-in)) for the sum, plus the extra bits of an input wider than the activations,
 *            which the engines take in activation-wide slices (see {@link LatencyModel#passes}); the largest over
 *            the layers
 */
public record WorkloadBounds(long maxFanIn, long maxKernelArea, long maxInputTileArea, long maxOutputTileArea,
		int maxInputBits, int accumulatorGrowthBits) {

	public static WorkloadBounds of(Workload workload, int tile) {
		long fanIn = 1;
		long kernel = 1;
		long inputTile = 1;
		long outputTile = 1;
		int activationBits = workload.activations().bits();
		int inputBits = activationBits;
		int growth = 0;
		for (LayerWork layer : workload.layers()) {
			long layerFanIn = layer.inputChannelsPerGroup() * layer.kernelArea();
			growth = Math.max(growth, FabricCosts.log2Ceil(layerFanIn) + Math.max(0, layer.inputBits() - activationBits));
			fanIn = Math.max(fanIn, layer.inputChannelsPerGroup() * layer.kernelArea());
			kernel = Math.max(kernel, layer.kernelArea());
			inputTile = Math.max(inputTile, inputTileHeight(layer, tile) * inputTileWidth(layer, tile));
			outputTile = Math.max(outputTile, Math.min(tile, layer.outputHeight()) * Math.min(tile, layer.outputWidth()));
			inputBits = Math.max(inputBits, layer.inputBits());
		}
		return new WorkloadBounds(fanIn, kernel, inputTile, outputTile, inputBits, growth);
	}

	/** Input rows one output tile reads: (Tr - 1) x stride + kernel, at most the map's height. */
	static long inputTileHeight(LayerWork layer, int tile) {
		long rows = Math.min(tile, layer.outputHeight());
		return Math.min(layer.inputHeight(), (rows - 1) * layer.strideHeight() + layer.kernelHeight());
	}

	static long inputTileWidth(LayerWork layer, int tile) {
		long columns = Math.min(tile, layer.outputWidth());
		return Math.min(layer.inputWidth(), (columns - 1) * layer.strideWidth() + layer.kernelWidth());
	}
}
