package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.ilmpq.core.export.ExportFormatException;
import org.ilmpq.core.export.RowAssignmentExport;
import org.ilmpq.core.export.RowAssignmentExport.Row;
import org.ilmpq.core.export.RowAssignmentExport.SchemeSummary;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.SensitivityMeasure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading the {@code rows.txt} of an export (docs/export-format.md): each row's scheme and the figures of the row
 * assignment, the per-scheme summary, and the file and line of what it refuses.
 */
class RowAssignmentExportTest {

	private static final Scheme SP2_4 = new Scheme(SchemeKind.SP2, 4);

	/** conv: lines 5 to 10; fc, whose figures are unknown and whose fixed 4 took no row: lines 11 to 14. */
	private static final String ROWS = """
			ilmpq-export 2
			network tiny
			producer test
			measure output-error
			layer conv rows 4 probe fixed 4 sensitive fixed 8 schemes pot 4 fixed 4 fixed 8
			row 0 pot 4 sensitivity 0x1.0p-4 variance 0x1.0p-6 error 0x1.8p-5
			row 1 fixed 8 sensitivity 0x1.0p+1 variance 0x1.0p-2 error 0x1.0p-12
			row 2 fixed 4 sensitivity 0x1.0p-3 variance 0x1.0p-3 error 0x1.0p-6
			row 3 pot 4 sensitivity 0x1.0p-5 variance 0x1.0p-5 error 0x1.0p-5
			end
			layer fc rows 2 probe fixed 4 sensitive none schemes pot 4 sp2 4 fixed 4
			row 0 pot 4 sensitivity - variance - error 0x1.0p-7
			row 1 sp2 4 sensitivity - variance - error -
			end
			""";

	@TempDir
	Path directory;

	private Path file(String content) throws IOException {
		return Files.writeString(directory.resolve("rows.txt"), content);
	}

	private String refusal(String content) throws IOException {
		Path file = file(content);
		return assertThrows(ExportFormatException.class, () -> RowAssignmentExport.read(file)).getMessage()
				.replace(file.toString(), "rows.txt");
	}

	@Test
	void everyRowIsReadWithItsSchemeAndFigures() throws IOException {
		RowAssignmentExport rows = RowAssignmentExport.read(file(ROWS));
		assertEquals(List.of("tiny", "test", SensitivityMeasure.OUTPUT_ERROR), List.of(rows.network(), rows.producer(),
				rows.measure()));
		assertEquals(List.of("conv", "fc"), rows.layers().stream().map(RowAssignmentExport.Layer::name).toList());
		RowAssignmentExport.Layer conv = rows.layer("conv").orElseThrow();
		assertEquals(List.of(Scheme.fixed(4), Optional.of(Scheme.fixed(8)), List.of(Scheme.pot(4), Scheme.fixed(4),
				Scheme.fixed(8))), List.of(conv.probe(), conv.sensitive(), conv.schemes()));
		assertEquals(new Row(1, Scheme.fixed(8), OptionalDouble.of(2), OptionalDouble.of(0.25),
				OptionalDouble.of(Math.scalb(1.0, -12))), conv.rows().get(1));
		assertEquals(List.of(0, 3), conv.rowsOf(Scheme.pot(4)).stream().map(Row::index).toList());
	}

	@Test
	void unknownFiguresAreEmpty() throws IOException {
		RowAssignmentExport.Layer fc = RowAssignmentExport.read(file(ROWS)).layer("fc").orElseThrow();
		assertEquals(Optional.empty(), fc.sensitive());
		assertEquals(new Row(0, Scheme.pot(4), OptionalDouble.empty(), OptionalDouble.empty(),
				OptionalDouble.of(Math.scalb(1.0, -7))), fc.rows().get(0));
		assertEquals(new Row(1, SP2_4, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()),
				fc.rows().get(1));
	}

	@Test
	void theSummaryGivesEachSchemeItsRowsErrorsAndMeanFiguresInTheSplitsOrder() throws IOException {
		RowAssignmentExport.Layer conv = RowAssignmentExport.read(file(ROWS)).layer("conv").orElseThrow();
		assertEquals(List.of(
				new SchemeSummary(Scheme.pot(4), 2, OptionalDouble.of((0.046875 + 0.03125) / 2), OptionalDouble.of(0.046875),
						OptionalDouble.of((0.0625 + 0.03125) / 2), OptionalDouble.of((0.015625 + 0.03125) / 2)),
				new SchemeSummary(Scheme.fixed(4), 1, OptionalDouble.of(0.015625), OptionalDouble.of(0.015625),
						OptionalDouble.of(0.125), OptionalDouble.of(0.125)),
				new SchemeSummary(Scheme.fixed(8), 1, OptionalDouble.of(Math.scalb(1.0, -12)),
						OptionalDouble.of(Math.scalb(1.0, -12)), OptionalDouble.of(2), OptionalDouble.of(0.25))),
				conv.summary());
	}

	@Test
	void theSummaryOfUnknownFiguresOrOfASchemeWithoutRowsIsEmpty() throws IOException {
		RowAssignmentExport.Layer fc = RowAssignmentExport.read(file(ROWS)).layer("fc").orElseThrow();
		OptionalDouble none = OptionalDouble.empty();
		assertEquals(List.of(
				new SchemeSummary(Scheme.pot(4), 1, OptionalDouble.of(Math.scalb(1.0, -7)),
						OptionalDouble.of(Math.scalb(1.0, -7)), none, none),
				new SchemeSummary(SP2_4, 1, none, none, none, none),
				new SchemeSummary(Scheme.fixed(4), 0, none, none, none, none)), fc.summary());
	}

	@Test
	void theWeightErrorMeasureIsRead() throws IOException {
		assertEquals(SensitivityMeasure.WEIGHT_ERROR,
				RowAssignmentExport.read(file(ROWS.replace("output-error", "weight-error"))).measure());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			ilmpq-export 2                 | ilmpq-export 1               | rows.txt:1: export format 1; this reads version 2
			measure output-error           | measure data-error           | rows.txt:4: 'data-error' is not a sensitivity measure (output-error or weight-error)
			measure output-error           | sensitivity output-error     | rows.txt:4: expected the sensitivity measure ('measure ...'), found 'sensitivity'
			layer fc                       | tensor fc                    | rows.txt:11: expected a layer ('layer ...'), found 'tensor'
			layer fc rows 2                | layer conv rows 2            | rows.txt:11: layer conv appears twice
			schemes pot 4 fixed 4 fixed 8  | schemes pot 4 fixed 4 fixed  | rows.txt:5: 5 words of schemes where one or more kind and width pairs belong
			schemes pot 4 fixed 4 fixed 8  | schemes pot 4 fixed 4 pot 4  | rows.txt:5: pot 4 appears twice in the split of layer conv
			schemes pot 4 fixed 4 fixed 8  | schemes pot 4 fixed 4 fixed 20 | rows.txt:5: fixed 20 is not a scheme
			probe fixed 4 sensitive fixed  | probe fixed 2 sensitive fixed | rows.txt:5: the probe fixed 2 or the sensitive fixed 8 is not among the schemes [pot 4, fixed 4, fixed 8] of layer conv
			conv rows 4                    | conv rows 0                  | rows.txt:5: 0 where at least 1 belongs
			row 2 fixed 4                  | row 2 sp2 4                  | rows.txt:8: sp2 4 is not among the schemes [pot 4, fixed 4, fixed 8] of layer conv
			row 3 pot 4                    | row 4 pot 4                  | rows.txt:9: row 4 where row 3 belongs
			variance 0x1.0p-6              | varience 0x1.0p-6            | rows.txt:6: expected 'variance' as word 7, found 'varience'
			error 0x1.8p-5                 | error nan                    | rows.txt:6: 'nan' is not a finite number
			error 0x1.0p-5                 | error -0x1.0p-5              | rows.txt:9: -0x1.0p-5 where a sum of squares, not negative, belongs
			sensitivity 0x1.0p+1           | sensitivity 0x1.0p+1 x       | rows.txt:7: 11 words where the record has 10
			""")
	void malformedInputIsRefusedNamingTheFileAndLine(String found, String replacement, String message)
			throws IOException {
		String content = ROWS.replaceFirst(java.util.regex.Pattern.quote(found),
				java.util.regex.Matcher.quoteReplacement(replacement));
		assertEquals(message, refusal(content));
	}

	@Test
	void aLayerCutShortIsRefusedWhereTheFileEnds() throws IOException {
		assertEquals("rows.txt:9: the file ends where the end of layer conv belongs",
				refusal(ROWS.substring(0, ROWS.indexOf("end\n"))));
		assertEquals("rows.txt:8: the file ends where row 3 of layer conv belongs",
				refusal(ROWS.substring(0, ROWS.indexOf("row 3"))));
		assertEquals("rows.txt:9: expected the end of layer conv ('end ...'), found 'row'",
				refusal(ROWS.replaceFirst("rows 4", "rows 3")));
	}

	@Test
	void aFileWithoutTheMeasureIsRefused() throws IOException {
		assertEquals("rows.txt:3: the file ends where the sensitivity measure belongs",
				refusal("ilmpq-export 2\nnetwork tiny\nproducer test\n"));
	}
}
