package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ilmpq.core.export.ExportFormatException;
import org.ilmpq.core.export.ExportedLayer;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.quant.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an export (docs/export-format.md): what it yields, and the file and line of what it refuses. */
class ExportReaderTest {

	private static final String HEADER = "ilmpq-export 1\nnetwork tiny\nproducer test\n";
	private static final String POT4 = "scheme pot 4 denominator 64 magnitudes 0 1 2 4 8 16 32 64\n";
	private static final String LAYER = """
			layer fc linear in 3 out 2
			input unsigned 4 scale 0x1.8p+1
			row 0 pot 4 step 0x1.0p-6 bias 0x0.0p+0 codes 7 -1 0
			row 1 pot 4 step 0x1.0p-5 bias -0x1.0p-1 codes 0 3 -7
			end
			""";

	@TempDir
	Path directory;

	private Path file(String content) throws IOException {
		return Files.writeString(directory.resolve("weights.txt"), content);
	}

	private String refusal(String content) throws IOException {
		Path file = file(content);
		return assertThrows(ExportFormatException.class, () -> QuantizedNetworkExport.read(file)).getMessage()
				.replace(file.toString(), "weights.txt");
	}

	@Test
	void aLayerIsReadWithItsInputQuantizationAndRows() throws IOException {
		QuantizedNetworkExport export = QuantizedNetworkExport.read(file(HEADER + POT4 + LAYER));
		assertEquals("tiny", export.network());
		ExportedLayer fc = export.layers().get(0);
		assertEquals(List.of("fc", false, 3, 2, false, 4, 3.0), List.of(fc.name(), fc.conv(), fc.in(), fc.out(),
				fc.inputSigned(), fc.inputBits(), fc.inputScale()));
		assertEquals(15, fc.inputLevels());
		assertEquals(Scheme.pot(4), fc.rows().get(1).scheme());
		assertEquals(-0.5, fc.rows().get(1).bias());
		assertEquals(List.of(0, 3, -7), java.util.Arrays.stream(fc.rows().get(1).codes()).boxed().toList());
	}

	@Test
	void anotherVersionIsRefused() throws IOException {
		assertEquals("weights.txt:1: export format 2; this reads version 1",
				refusal(HEADER.replace("export 1", "export 2") + POT4 + LAYER));
	}

	@Test
	void aSchemeTableThatIsNotTheQuantizersIsRefused() throws IOException {
		assertEquals("weights.txt:4: the table of pot 4 is not [0, 1, 2, 4, 8, 16, 32, 64] / 64",
				refusal(HEADER + POT4.replace("32 64", "32 63") + LAYER));
	}

	@Test
	void aRowWithTheWrongNumberOfCodesIsRefused() throws IOException {
		assertEquals("weights.txt:7: 2 values where 3 belong", refusal(HEADER + POT4 + LAYER.replace("codes 7 -1 0",
				"codes 7 -1")));
	}

	@Test
	void aCodeOutsideItsSchemeIsRefused() throws IOException {
		assertEquals("weights.txt:8: code -8 lies outside pot 4", refusal(HEADER + POT4 + LAYER.replace("-7", "-8")));
	}

	@Test
	void aRowWhoseSchemeHasNoTableIsRefused() throws IOException {
		assertEquals("weights.txt:6: pot 4 has no scheme record", refusal(HEADER + LAYER));
	}

	@Test
	void aMissingEndIsRefused() throws IOException {
		assertEquals("weights.txt:8: expected the end of layer fc ('end ...')",
				refusal(HEADER + POT4 + LAYER.replace("end\n", "")));
	}

	@Test
	void goldenDataIsReadInItsOrder() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER
				+ "sample 1x1x2 0x1.0p+0 -0x1.0p-1\ninput-codes fc 2 15 0\noutput 2 0x1.8p+0 0x0.0p+0\n");
		GoldenData golden = GoldenData.read(file);
		assertEquals("1x1x2", golden.sample().dims());
		assertEquals(List.of("fc"), List.copyOf(golden.inputCodes().keySet()));
		assertEquals(1.5, golden.output().values()[0]);
	}
}
