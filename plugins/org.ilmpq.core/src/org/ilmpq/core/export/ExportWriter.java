package org.ilmpq.core.export;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * Writes an export in the format {@link QuantizedNetworkExport} and {@link GoldenData} read (docs/export-format.md,
 * version 1), real numbers as exact hexadecimal floats: what the HLS generator writes when it makes up seeded
 * weights instead of reading the script's.
 */
public final class ExportWriter {

	private ExportWriter() {
	}

	/** {@code weights.txt}: the scheme tables the rows use, then the layers. */
	public static String weights(QuantizedNetworkExport export) {
		StringBuilder text = header(export.network(), export.producer());
		Set<Scheme> schemes = new LinkedHashSet<>();
		export.layers().forEach(layer -> layer.rows().forEach(row -> schemes.add(row.scheme())));
		schemes.stream().sorted((a, b) -> a.kind() != b.kind() ? a.kind().keyword().compareTo(b.kind().keyword())
				: Integer.compare(a.bits(), b.bits())).forEach(scheme -> {
					WeightQuantizer quantizer = WeightQuantizer.of(scheme);
					StringJoiner magnitudes = new StringJoiner(" ");
					quantizer.magnitudes().forEach(m -> magnitudes.add(Integer.toString(m)));
					text.append("scheme ").append(scheme.kind().keyword()).append(' ').append(scheme.bits())
							.append(" denominator ").append(quantizer.denominator()).append(" magnitudes ")
							.append(magnitudes).append('\n');
				});
		for (ExportedLayer layer : export.layers()) {
			text.append("layer ").append(layer.name());
			if (layer.conv()) {
				text.append(" conv in ").append(layer.in()).append(" out ").append(layer.out())
						.append(" kernel ").append(layer.kernel().height()).append(' ').append(layer.kernel().width())
						.append(" stride ").append(layer.stride().height()).append(' ').append(layer.stride().width())
						.append(" padding ").append(layer.padding().height()).append(' ').append(layer.padding().width())
						.append(" dilation ").append(layer.dilation().height()).append(' ')
						.append(layer.dilation().width()).append(" groups ").append(layer.groups());
			} else {
				text.append(" linear in ").append(layer.in()).append(" out ").append(layer.out());
			}
			text.append("\ninput ").append(layer.inputSigned() ? "signed " : "unsigned ").append(layer.inputBits())
					.append(" scale ").append(Double.toHexString(layer.inputScale())).append('\n');
			for (int r = 0; r < layer.rows().size(); r++) {
				ExportedRow row = layer.rows().get(r);
				text.append("row ").append(r).append(' ').append(row.scheme().kind().keyword()).append(' ')
						.append(row.scheme().bits()).append(" step ").append(Double.toHexString(row.step()))
						.append(" bias ").append(Double.toHexString(row.bias())).append(" codes");
				for (int code : row.codes()) {
					text.append(' ').append(code);
				}
				text.append('\n');
			}
			text.append("end\n");
		}
		return text.toString();
	}

	/** {@code golden.txt}: the sample, each quantized layer's input codes in order, the output. */
	public static String golden(GoldenData golden, String producer) {
		StringBuilder text = header(golden.network(), producer);
		text.append("sample ");
		reals(text, golden.sample());
		for (Map.Entry<String, Tensor> codes : golden.inputCodes().entrySet()) {
			text.append("input-codes ").append(codes.getKey()).append(' ').append(codes.getValue().dims());
			for (double code : codes.getValue().values()) {
				text.append(' ').append((long) code);
			}
			text.append('\n');
		}
		text.append("output ");
		reals(text, golden.output());
		return text.toString();
	}

	private static StringBuilder header(String network, String producer) {
		return new StringBuilder().append("ilmpq-export ").append(ExportLines.VERSION).append("\nnetwork ")
				.append(network).append("\nproducer ").append(producer).append('\n');
	}

	private static void reals(StringBuilder text, Tensor tensor) {
		text.append(tensor.dims());
		for (double value : tensor.values()) {
			text.append(' ').append(Double.toHexString(value));
		}
		text.append('\n');
	}
}
