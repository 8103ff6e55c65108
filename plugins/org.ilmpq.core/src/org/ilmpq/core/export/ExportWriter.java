package org.ilmpq.core.export;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * Writes an export in the format {@link QuantizedNetworkExport} and {@link GoldenData} read (docs/export-format.md,
 * version 2), scales as exact hexadecimal floats: what the HLS generator writes when it makes up seeded weights
 * instead of reading the script's. The layers and rescales go in the order of {@code steps}, the order the
 * network runs them.
 */
public final class ExportWriter {

	private ExportWriter() {
	}

	/** {@code weights.txt}: the scheme tables the rows use, the tensors, then the steps in order. */
	public static String weights(QuantizedNetworkExport export, Iterable<String> steps) {
		StringBuilder text = header(export.network(), export.producer());
		text.append("fraction-bits ").append(IntegerArithmetic.FRACTION_BITS).append('\n');
		Set<Scheme> schemes = new LinkedHashSet<>();
		export.layers().forEach(layer -> layer.rows().forEach(row -> schemes.add(row.scheme())));
		schemes.stream().sorted((a, b) -> a.kind() != b.kind() ? a.kind().keyword().compareTo(b.kind().keyword())
				: Integer.compare(a.bits(), b.bits())).forEach(scheme -> {
					WeightQuantizer quantizer = WeightQuantizer.of(scheme);
					text.append("scheme ").append(scheme.kind().keyword()).append(' ').append(scheme.bits())
							.append(" denominator ").append(quantizer.denominator()).append(" magnitudes");
					quantizer.magnitudes().forEach(m -> text.append(' ').append(m));
					text.append('\n');
				});
		for (ExportedTensor tensor : export.tensors()) {
			text.append("tensor ").append(tensor.name()).append(' ').append(tensor.dims()).append(' ')
					.append(tensor.format().signed() ? "signed " : "unsigned ").append(tensor.format().bits())
					.append(" scale ").append(Double.toHexString(tensor.scale())).append('\n');
		}
		for (String step : steps) {
			export.layer(step).ifPresent(layer -> layer(text, layer));
			export.rescale(step).ifPresent(rescale -> rescale(text, rescale));
		}
		return text.toString();
	}

	private static void layer(StringBuilder text, ExportedLayer layer) {
		text.append("layer ").append(layer.name());
		if (layer.conv()) {
			text.append(" conv in ").append(layer.in()).append(" out ").append(layer.out()).append(" kernel ")
					.append(layer.kernel().height()).append(' ').append(layer.kernel().width()).append(" stride ")
					.append(layer.stride().height()).append(' ').append(layer.stride().width()).append(" padding ")
					.append(layer.padding().height()).append(' ').append(layer.padding().width()).append(" dilation ")
					.append(layer.dilation().height()).append(' ').append(layer.dilation().width()).append(" groups ")
					.append(layer.groups());
		} else {
			text.append(" linear in ").append(layer.in()).append(" out ").append(layer.out());
		}
		text.append("\ninput ").append(layer.input()).append("\noutput ").append(layer.output()).append(" clamp ")
				.append(layer.lowest()).append(' ').append(layer.highest()).append('\n');
		layer.residual().ifPresent(residual -> text.append("residual ").append(residual.tensor())
				.append(" multiplier ").append(residual.multiplier()).append('\n'));
		for (int r = 0; r < layer.rows().size(); r++) {
			ExportedRow row = layer.rows().get(r);
			text.append("row ").append(r).append(' ').append(row.scheme().kind().keyword()).append(' ')
					.append(row.scheme().bits()).append(" multiplier ").append(row.multiplier().mantissa())
					.append(" shift ").append(row.multiplier().shift()).append(" bias ").append(row.bias())
					.append(" codes");
			for (int code : row.codes()) {
				text.append(' ').append(code);
			}
			text.append('\n');
		}
		text.append("end\n");
	}

	private static void rescale(StringBuilder text, ExportedRescale rescale) {
		text.append("rescale ").append(rescale.name()).append(' ').append(rescale.kind()).append(" output ")
				.append(rescale.output()).append(" clamp ").append(rescale.lowest()).append(' ')
				.append(rescale.highest()).append(" operands");
		for (ExportedLayer.Operand operand : rescale.operands()) {
			text.append(' ').append(operand.tensor()).append(' ').append(operand.multiplier());
		}
		text.append('\n');
	}

	/** {@code golden.txt}: every stored tensor's codes in order, then which one is the output. */
	public static String golden(GoldenData golden, String producer) {
		StringBuilder text = header(golden.network(), producer);
		for (Map.Entry<String, CodeTensor> codes : golden.codes().entrySet()) {
			text.append("codes ").append(codes.getKey()).append(' ').append(codes.getValue().dims());
			for (int code : codes.getValue().codes()) {
				text.append(' ').append(code);
			}
			text.append('\n');
		}
		return text.append("output ").append(golden.output()).append('\n').toString();
	}

	private static StringBuilder header(String network, String producer) {
		return new StringBuilder().append("ilmpq-export ").append(ExportLines.VERSION).append("\nnetwork ")
				.append(network).append("\nproducer ").append(producer).append('\n');
	}
}
