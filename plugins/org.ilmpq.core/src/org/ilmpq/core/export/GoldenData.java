package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code golden.txt} of an export (docs/export-format.md, version 2): for one sample, the codes of every
 * stored tensor in the order the accelerator writes them, the network input first, and which of them is the
 * network's output.
 */
public record GoldenData(String network, Map<String, CodeTensor> codes, String output) {

	public GoldenData {
		codes = Collections.unmodifiableMap(new LinkedHashMap<>(codes));
		if (!codes.containsKey(output)) {
			throw new IllegalArgumentException("the output " + output + " has no codes");
		}
	}

	public CodeTensor outputCodes() {
		return codes.get(output);
	}

	public static GoldenData read(Path golden) throws IOException {
		ExportLines lines = ExportLines.open(golden);
		Map<String, CodeTensor> codes = new LinkedHashMap<>();
		while (lines.next()) {
			if (lines.keyword().equals("codes")) {
				int[] dims = lines.dims(2);
				CodeTensor tensor = new CodeTensor(dims[0], dims[1], dims[2], lines.integers(3, dims[0] * dims[1] * dims[2]));
				if (codes.put(lines.word(1), tensor) != null) {
					throw lines.error("the codes of " + lines.word(1) + " appear twice");
				}
			} else if (lines.keyword().equals("output")) {
				lines.length(2);
				if (!codes.containsKey(lines.word(1))) {
					throw lines.error("the output " + lines.word(1) + " has no codes above");
				}
				String output = lines.word(1);
				if (lines.next()) {
					throw lines.error("nothing belongs after the output");
				}
				return new GoldenData(lines.network(), codes, output);
			} else {
				throw lines.error("expected 'codes' or 'output', found '" + lines.keyword() + "'");
			}
		}
		throw lines.error("the file ends where the output belongs");
	}
}
