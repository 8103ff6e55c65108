package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.ilmpq.core.export.ExportFormatException;
import org.ilmpq.core.export.ExportedLayer;
import org.ilmpq.core.export.ExportedRescale;
import org.ilmpq.core.export.ExportedTensor;
import org.ilmpq.core.export.GoldenData;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.quant.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an export (docs/export-format.md, version 2): what it yields, and the file and line of what it refuses. */
class ExportReaderTest {

	private static final String HEADER = "ilmpq-export 2\nnetwork tiny\nproducer test\n";
	private static final String FRACTION = "fraction-bits 16\n";
	private static final String POT4 = "scheme pot 4 denominator 64 magnitudes 0 1 2 4 8 16 32 64\n";
	private static final String TENSORS = """
			tensor x 3 unsigned 4 scale 0x1.8p+1
			tensor fc 2 signed 8 scale 0x1.0p+0
			""";
	/** Lines 8 to 13 after the header, the fraction bits, the scheme and the tensors. */
	private static final String LAYER = """
			layer fc linear in 3 out 2
			input x
			output fc clamp -127 127
			row 0 pot 4 multiplier 65536 shift 20 bias 0 codes 7 -1 0
			row 1 pot 4 multiplier 98304 shift 20 bias -32768 codes 0 3 -7
			end
			""";
	private static final String EXPORT = HEADER + FRACTION + POT4 + TENSORS + LAYER;

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
	void aLayerIsReadWithItsTensorsClampAndRowIntegers() throws IOException {
		QuantizedNetworkExport export = QuantizedNetworkExport.read(file(EXPORT));
		assertEquals("tiny", export.network());
		ExportedLayer fc = export.layers().get(0);
		assertEquals(List.of("fc", false, 3, 2, "x", "fc", -127, 127, Optional.empty()), List.of(fc.name(), fc.conv(),
				fc.in(), fc.out(), fc.input(), fc.output(), fc.lowest(), fc.highest(), fc.residual()));
		assertEquals(Scheme.pot(4), fc.rows().get(1).scheme());
		assertEquals(new IntegerArithmetic.Multiplier(98304, 20), fc.rows().get(1).multiplier());
		assertEquals(-32768, fc.rows().get(1).bias());
		assertEquals(List.of(0, 3, -7), Arrays.stream(fc.rows().get(1).codes()).boxed().toList());
	}

	@Test
	void aTensorIsReadWithItsFormatAndScale() throws IOException {
		ExportedTensor x = QuantizedNetworkExport.read(file(EXPORT)).tensor("x").orElseThrow();
		assertEquals(List.of(3, 1, 1, new CodeFormat(4, false), 3.0), List.of(x.channels(), x.height(), x.width(),
				x.format(), x.scale()));
		assertEquals(0.2, x.step(), 1e-15);
	}

	@Test
	void aResidualAndAnAddAreReadWithTheirMultipliers() throws IOException {
		QuantizedNetworkExport export = QuantizedNetworkExport.read(file(HEADER + FRACTION + POT4 + TENSORS
				+ "tensor s 2 signed 8 scale 0x1.0p+1\n"
				+ LAYER.replace("output fc clamp -127 127\n", "output fc clamp -127 127\nresidual x multiplier 13107\n")
				+ "rescale sum add output s clamp -127 127 operands fc 32768 x 6554\n"));
		assertEquals(Optional.of(new ExportedLayer.Operand("x", 13107)), export.layers().get(0).residual());
		assertEquals(new ExportedRescale("sum", "add", List.of(new ExportedLayer.Operand("fc", 32768),
				new ExportedLayer.Operand("x", 6554)), "s", -127, 127), export.rescales().get(0));
	}

	@Test
	void anotherVersionIsRefusedNamingBoth() throws IOException {
		assertEquals("weights.txt:1: export format 1; this reads version 2",
				refusal(EXPORT.replace("export 2", "export 1")));
	}

	@Test
	void sumsOfOtherFractionBitsAreRefused() throws IOException {
		assertEquals("weights.txt:4: sums with 12 fraction bits; this reads 16",
				refusal(EXPORT.replace("fraction-bits 16", "fraction-bits 12")));
	}

	@Test
	void aSchemeTableThatIsNotTheQuantizersIsRefused() throws IOException {
		assertEquals("weights.txt:5: the table of pot 4 is not [0, 1, 2, 4, 8, 16, 32, 64] / 64",
				refusal(EXPORT.replace("32 64", "32 63")));
	}

	@Test
	void aRowWithTheWrongNumberOfCodesIsRefused() throws IOException {
		assertEquals("weights.txt:11: 2 values where 3 belong", refusal(EXPORT.replace("codes 7 -1 0", "codes 7 -1")));
	}

	@Test
	void aCodeOutsideItsSchemeIsRefused() throws IOException {
		assertEquals("weights.txt:12: code -8 lies outside pot 4", refusal(EXPORT.replace("-7", "-8")));
	}

	@Test
	void aMultiplierWiderThanItsBitsIsRefused() throws IOException {
		assertEquals("weights.txt:11: 131072 is not a multiplier (0 to 131071)",
				refusal(EXPORT.replace("multiplier 65536", "multiplier 131072")));
	}

	@Test
	void aShiftBeyondThirtyOneIsRefused() throws IOException {
		assertEquals("weights.txt:12: 32 is not a shift (-8 to 31)",
				refusal(EXPORT.replace("98304 shift 20", "98304 shift 32")));
	}

	@Test
	void aClampOutsideTheOutputsCodesIsRefused() throws IOException {
		assertEquals("weights.txt:10: clamp -128 127 is not within the 8-bit signed codes -127 to 127",
				refusal(EXPORT.replace("clamp -127 127", "clamp -128 127")));
	}

	@Test
	void aTensorWithoutRecordIsRefused() throws IOException {
		assertEquals("weights.txt:9: tensor y has no tensor record", refusal(EXPORT.replace("input x", "input y")));
	}

	@Test
	void aRowWhoseSchemeHasNoTableIsRefused() throws IOException {
		assertEquals("weights.txt:10: pot 4 has no scheme record", refusal(EXPORT.replace(POT4, "")));
	}

	@Test
	void aMissingEndIsRefused() throws IOException {
		assertEquals("weights.txt:12: the file ends where the end of layer fc belongs",
				refusal(EXPORT.replace("end\n", "")));
	}

	@Test
	void aTruncatedFileSaysWhatIsMissing() throws IOException {
		assertEquals("weights.txt:11: the file ends where row 1 of layer fc belongs",
				refusal(EXPORT.substring(0, EXPORT.indexOf("row 1"))));
	}

	@Test
	void groupsThatDoNotDivideTheChannelsAreRefused() throws IOException {
		assertEquals("weights.txt:8: 2 groups do not divide 3 inputs and 2 outputs", refusal(HEADER + FRACTION + POT4
				+ TENSORS + "layer c conv in 3 out 2 kernel 1 1 stride 1 1 padding 0 0 dilation 1 1 groups 2\n"));
	}

	@Test
	void aScaleOfZeroIsRefused() throws IOException {
		assertEquals("weights.txt:6: 0x0.0p+0 where a positive scale belongs",
				refusal(EXPORT.replace("scale 0x1.8p+1", "scale 0x0.0p+0")));
	}

	@Test
	void aLayerNamedTwiceIsRefused() throws IOException {
		assertEquals("weights.txt:14: step fc appears twice", refusal(EXPORT + LAYER));
	}

	@Test
	void goldenCodesAreReadInTheirOrderWithTheOutput() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER + "codes x 1x1x2 7 -4\n"
				+ "codes fc 2 15 0\noutput fc\n");
		GoldenData golden = GoldenData.read(file);
		assertEquals(List.of("x", "fc"), List.copyOf(golden.codes().keySet()));
		assertEquals("1x1x2", golden.codes().get("x").dims());
		assertEquals(List.of(15, 0), Arrays.stream(golden.outputCodes().codes()).boxed().toList());
	}

	@Test
	void goldenCodesOfOneTensorTwiceAreRefused() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER + "codes fc 2 1 0\ncodes fc 2 1 0\n"
				+ "output fc\n");
		ExportFormatException e = assertThrows(ExportFormatException.class, () -> GoldenData.read(file));
		assertEquals(file + ":5: the codes of fc appear twice", e.getMessage());
	}

	@Test
	void aGoldenOutputWithoutCodesIsRefused() throws IOException {
		Path file = Files.writeString(directory.resolve("golden.txt"), HEADER + "codes x 2 1 0\noutput fc\n");
		ExportFormatException e = assertThrows(ExportFormatException.class, () -> GoldenData.read(file));
		assertEquals(file + ":5: the output fc has no codes above", e.getMessage());
	}
}
