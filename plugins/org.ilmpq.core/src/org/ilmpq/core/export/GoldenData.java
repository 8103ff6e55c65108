package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code golden.txt} of an export: one sample, the input codes of every quantized layer in the order the
 * network runs them, and the network's output, as the integer reference computed them.
 */
public record GoldenData(String network, Tensor sample, Map<String, Tensor> inputCodes, Tensor output) {

	public GoldenData {
		inputCodes = Collections.unmodifiableMap(new LinkedHashMap<>(inputCodes));
	}

	public static GoldenData read(Path golden) throws IOException {
		ExportLines lines = ExportLines.open(golden);
		lines.expect("sample", "the sample");
		Tensor sample = tensor(lines, 1);
		Map<String, Tensor> codes = new LinkedHashMap<>();
		while (lines.next()) {
			if (lines.keyword().equals("input-codes")) {
				if (codes.put(lines.word(1), tensor(lines, 2)) != null) {
					throw lines.error("input codes of " + lines.word(1) + " appear twice");
				}
			} else if (lines.keyword().equals("output")) {
				Tensor output = tensor(lines, 1);
				if (lines.next()) {
					throw lines.error("nothing belongs after the output");
				}
				return new GoldenData(lines.network(), sample, codes, output);
			} else {
				throw lines.error("expected 'input-codes' or 'output', found '" + lines.keyword() + "'");
			}
		}
		throw lines.error("the file ends where the output belongs");
	}

	private static Tensor tensor(ExportLines lines, int position) throws ExportFormatException {
		int[] dims = lines.dims(position);
		return new Tensor(dims[0], dims[1], dims[2], lines.reals(position + 1, dims[0] * dims[1] * dims[2]));
	}
}
