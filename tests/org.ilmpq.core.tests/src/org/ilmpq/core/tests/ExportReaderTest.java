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
		assertEquals("weights.txt:8: the file ends where the end of layer fc belongs",
				refusal(HEADER + POT4 + LAYER.replace("end\n", "")));
	}

	@Test
	void aTruncatedFileSaysWhatIsMissing() throws IOException {
		assertEquals("weights.txt:7: the file ends where row 1 of layer fc belongs",
				refusal(HEADER + POT4 + LAYER.substring(0, LAYER.indexOf("row 1"))));
	}

	@Test
	void groupsThatDoNotDivideTheChannelsAreRefused() throws IOException {
		assertEquals("weights.txt:5: 2 groups do not divide 3 inputs and 2 outputs", refusal(HEADER + POT4
				+ "layer c conv in 3 out 2 kernel 1 1 stride 1 1 padding 0 0 dilation 1 1 groups 2\n"));
	}

	@Test
	void aStepOfZeroIsRefused() throws IOException {
		assertEquals("weights.txt:7: 0x0.0p+0 where a positive scale belongs",
				refusal(HEADER + POT4 + LAYER.replace("step 0x1.0p-6", "step 0x0.0p+0")));
	}

	@Test
	void aLayerNamedTwiceIsRefused() throws IOException {
		assertEquals("weights.txt:14: layer fc appears twice", refusal(HEADER + POT4 + LAYER + LAYER));
	}

	@Test
	void goldenDataIsReadInItsOrder() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER + "sample 1x1x2 0x1.0p+0 -0x1.0p-1\n"
				+ "input-codes c1 1x1x2 7 -4\ninput-codes fc 2 15 0\noutput 2 0x1.8p+0 0x0.0p+0\n");
		GoldenData golden = GoldenData.read(file);
		assertEquals("1x1x2", golden.sample().dims());
		assertEquals(List.of("c1", "fc"), List.copyOf(golden.inputCodes().keySet()));
		assertEquals(1.5, golden.output().values()[0]);
	}

	@Test
	void goldenInputCodesOfOneLayerTwiceAreRefused() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER + "sample 2 0x1.0p+0 0x1.0p+0\n"
				+ "input-codes fc 2 1 0\ninput-codes fc 2 1 0\noutput 1 0x1.8p+0\n");
		ExportFormatException e = assertThrows(ExportFormatException.class, () -> GoldenData.read(file));
		assertEquals(file + ":6: input codes of fc appear twice", e.getMessage());
	}
}
