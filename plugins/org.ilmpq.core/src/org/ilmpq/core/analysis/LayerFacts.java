package org.ilmpq.core.analysis;

import java.util.Optional;

import org.ilmpq.core.model.Layer;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.LayerSplit;
import org.ilmpq.core.quant.RowAllocation;

/**
 * What the analysis knows about one layer whose shape could be inferred.
 *
 * @param output the shape of its result
 * @param macs multiply-accumulates per input sample (conv and linear; every other layer counts 0, the
 *            convention of torchvision's published figures)
 * @param parameters learnable parameters: weights, biases, and batch-norm scale and shift (running statistics
 *            are buffers, not parameters, as in PyTorch)
 * @param rows rows of the weight matrix (output channels or features); 0 for layers without weights
 * @param split the split that applies to the rows, after the first/last-layer policy
 * @param allocation whole rows per scheme, when the layer has rows and a split that sums to 100 %
 */
public record LayerFacts(Layer layer, TensorShape output, long macs, long parameters, long rows,
		Optional<LayerSplit> split, Optional<RowAllocation> allocation) {

	public String name() {
		return layer.name();
	}
}
