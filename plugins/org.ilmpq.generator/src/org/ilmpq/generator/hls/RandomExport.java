package org.ilmpq.generator.hls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.export.ExportedLayer;
import org.ilmpq.core.export.ExportedRow;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.ReferenceInference;
import org.ilmpq.core.export.Tensor;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;
import org.ilmpq.generator.pytorch.ScriptNetwork;

/**
 * Seeded made-up weights for a network that has not been trained, and their golden data, so that the HLS design
 * can be simulated before the quantization script has run: each layer has the spec's rows per scheme, given to
 * rows at random; codes uniform over the scheme's codes; a row's step {@code 1 / ||integer weights||}, so that a
 * layer keeps its input's magnitude (with BatchNorm-like scale, activations neither vanish nor saturate through a
 * deep network); small biases; each layer's input scale calibrated on the sample as the script's {@code calibrate}
 * would. The golden data is {@link ReferenceInference}'s: the Java integer reference.
 */
public final class RandomExport {

	/** What {@code export} writes: the network and the golden data of one sample. */
	public record Result(QuantizedNetworkExport export, GoldenData golden) {
	}

	private RandomExport() {
	}

	public static Result of(ScriptNetwork network, NetworkAnalysis analysis, List<LayerWork> work, long seed,
			String producer) {
		Random random = new Random(seed);
		List<ExportedLayer> layers = new ArrayList<>();
		for (LayerFacts facts : network.quantizedLayers()) {
			LayerWork layer = work.stream().filter(w -> w.name().equals(facts.name())).findFirst().orElseThrow();
			layers.add(layer(network, facts, layer, random));
		}
		QuantizedNetworkExport export = new QuantizedNetworkExport(network.networkName(), producer, layers);
		TensorShape shape = network.inputs().get(0).shape();
		double[] values = new double[Math.toIntExact(shape.elements())];
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextDouble() * 2 - 1;
		}
		Tensor sample = new Tensor((int) shape.channels(), (int) shape.height(), (int) shape.width(), values);
		QuantizedNetworkExport calibrated = ReferenceInference.calibrated(analysis, export, sample);
		ReferenceInference.Result result = new ReferenceInference(analysis, calibrated).run(sample);
		return new Result(calibrated, new GoldenData(network.networkName(), sample, result.inputCodes(),
				result.output()));
	}

	private static ExportedLayer layer(ScriptNetwork network, LayerFacts facts, LayerWork work, Random random) {
		List<Scheme> schemes = new ArrayList<>();
		for (Map.Entry<Scheme, Long> entry : work.rowsPerScheme().entrySet()) {
			for (long r = 0; r < entry.getValue(); r++) {
				schemes.add(entry.getKey());
			}
		}
		Collections.shuffle(schemes, random);
		int fanIn = Math.toIntExact(work.inputChannelsPerGroup() * work.kernelArea());
		List<ExportedRow> rows = new ArrayList<>();
		for (Scheme scheme : schemes) {
			WeightQuantizer quantizer = WeightQuantizer.of(scheme);
			int[] codes = new int[fanIn];
			double squares = 0;
			for (int i = 0; i < fanIn; i++) {
				codes[i] = random.nextInt(2 * quantizer.maxCode() + 1) - quantizer.maxCode();
				double weight = quantizer.value(codes[i]);
				squares += weight * weight;
			}
			double step = squares > 0 ? 1 / Math.sqrt(squares) : 1;
			rows.add(new ExportedRow(scheme, step, (random.nextDouble() - 0.5) / 2, codes));
		}
		String input = facts.layer().inputs().get(0);
		boolean signed = !network.isUnsigned(input);
		TensorShape in = network.shape(input);
		Size2d one = Size2d.square(1);
		if (facts.layer().operation() instanceof Operation.Conv2d conv) {
			return new ExportedLayer(facts.name(), true, (int) in.channels(), (int) facts.output().channels(),
					conv.kernel(), conv.stride(), conv.padding(), conv.dilation(), (int) work.groups(), signed,
					network.inputBits(facts), 1, rows);
		}
		return new ExportedLayer(facts.name(), false, (int) in.elements(), (int) facts.output().channels(), one, one,
				Size2d.square(0), one, 1, signed, network.inputBits(facts), 1, rows);
	}
}
