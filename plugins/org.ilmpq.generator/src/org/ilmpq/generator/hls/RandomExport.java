package org.ilmpq.generator.hls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ilmpq.core.export.ExportCalibration;
import org.ilmpq.core.export.Tensor;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * Seeded made-up weights for a network that has not been trained, and their golden data, so that the HLS design
 * can be simulated before the quantization script has run: each layer has the spec's rows per scheme, given to
 * rows at random; codes uniform over the scheme's codes; a row's step {@code 1 / ||integer weights||}, so that a
 * layer keeps its input's magnitude (with BatchNorm-like scale, activations neither vanish nor saturate through a
 * deep network); small biases. {@link ExportCalibration} sets each tensor's scale on the sample, as the script's
 * {@code calibrate} would, derives the integers and computes the golden codes with the integer pipeline.
 */
public final class RandomExport {

	private RandomExport() {
	}

	public static ExportCalibration.Result of(IntegerNetwork program, Workload workload, long seed, String producer) {
		Random random = new Random(seed);
		Map<String, List<ExportCalibration.RealRow>> rows = new LinkedHashMap<>();
		for (LayerWork layer : workload.layers()) {
			rows.put(layer.name(), rows(layer, random));
		}
		TensorShape shape = program.tensor(program.inputs().get(0)).shape();
		double[] values = new double[Math.toIntExact(shape.elements())];
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextDouble() * 2 - 1;
		}
		Tensor sample = new Tensor((int) shape.channels(), (int) shape.height(), (int) shape.width(), values);
		return ExportCalibration.of(program, rows, sample, producer);
	}

	private static List<ExportCalibration.RealRow> rows(LayerWork layer, Random random) {
		List<Scheme> schemes = new ArrayList<>();
		for (Map.Entry<Scheme, Long> entry : layer.rowsPerScheme().entrySet()) {
			for (long r = 0; r < entry.getValue(); r++) {
				schemes.add(entry.getKey());
			}
		}
		Collections.shuffle(schemes, random);
		int fanIn = Math.toIntExact(layer.inputChannelsPerGroup() * layer.kernelArea());
		List<ExportCalibration.RealRow> rows = new ArrayList<>();
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
			rows.add(new ExportCalibration.RealRow(scheme, step, (random.nextDouble() - 0.5) / 2, codes));
		}
		return rows;
	}
}
