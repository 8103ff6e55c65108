package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code ilmpq validate}, run in-process: output and exit codes. */
class ValidateCommandTest {

	@TempDir
	Path dir;

	private String file(String name, String content) throws IOException {
		return CommandLineRun.write(dir, name, content).toString();
	}

	private static final String VALID = """
			network n
			quantization {
			    split 60 % pot 4, 40 % fixed 4
			}
			input x: 3 x 8 x 8
			a = conv(x, out=10, kernel=3)
			output a
			""";

	private static final String BROKEN = """
			network n
			quantization {
			    split 60 % pot 4, 30 % fixed 4
			}
			input x: 3 x 8 x 8
			a = conv(x, out=10, kernel=3)
			b = relu(x)
			output a
			""";

	@Test
	void aValidSpecExitsWithZeroAndPrintsOnlyTheSummary() throws IOException {
		CommandLineRun run = ilmpq("validate", file("valid.ilmpq", VALID));
		assertEquals(new CommandLineRun(0, "", "ilmpq: 1 file checked: 0 errors, 0 warnings\n"), run);
	}

	@Test
	void errorsArePrintedLikeACompilersAndExitWithOne() throws IOException {
		String broken = file("broken.ilmpq", BROKEN);
		CommandLineRun run = ilmpq("validate", broken);
		assertEquals(new CommandLineRun(1, broken + ":3:11: error: the shares of a split add up to 100 %, these to 90 % [split-sum]\n"
				+ broken + ":7:1: warning: layer 'b' does not reach the output 'a' [unused-layer]\n",
				"ilmpq: 1 file checked: 1 error, 1 warning\n"), run);
	}

	@Test
	void warningsAloneExitWithZero() throws IOException {
		CommandLineRun run = ilmpq("validate", file("warns.ilmpq", VALID.replace("output a", "b = relu(x)\noutput a")));
		assertEquals(0, run.exitCode());
		assertEquals(1, run.out().lines().count());
	}

	@Test
	void everyFileIsCheckedAndTheWorstOutcomeDecidesTheExitCode() throws IOException {
		String valid = file("valid.ilmpq", VALID);
		String broken = file("broken.ilmpq", BROKEN);
		CommandLineRun run = ilmpq("validate", valid, broken);
		assertEquals(1, run.exitCode());
		assertEquals(2, run.out().lines().filter(line -> line.startsWith(broken)).count());
		assertEquals("ilmpq: 2 files checked: 1 error, 1 warning\n", run.err());
	}

	@Test
	void aMissingFileIsOneLineAndExitCodeTwo() throws IOException {
		String valid = file("valid.ilmpq", VALID);
		CommandLineRun run = ilmpq("validate", "nope.ilmpq", valid);
		assertEquals(new CommandLineRun(2, "", "ilmpq: cannot read nope.ilmpq: no such file\n"
				+ "ilmpq: 1 file checked: 0 errors, 0 warnings\n"), run);
	}

	@Test
	void aDirectoryIsNotASpec() {
		CommandLineRun run = ilmpq("validate", dir.toString());
		assertEquals(2, run.exitCode());
		assertEquals("ilmpq: cannot read " + dir + ": is a directory, not a spec file", run.err().lines().findFirst()
				.orElseThrow());
	}

	@Test
	void aFileThatIsNotUtf8IsRefused() throws IOException {
		Path latin1 = dir.resolve("latin1.ilmpq");
		Files.write(latin1, new byte[] { 'n', 'e', 't', (byte) 0xE9 });
		CommandLineRun run = ilmpq("validate", latin1.toString());
		assertEquals(2, run.exitCode());
		assertEquals("ilmpq: cannot read " + latin1 + ": is not UTF-8 text", run.err().lines().findFirst()
				.orElseThrow());
	}

	@Test
	void withoutFilesItIsAUsageError() {
		CommandLineRun run = ilmpq("validate");
		assertEquals(2, run.exitCode());
		assertEquals("Missing required parameter: 'FILE'", run.err().lines().findFirst().orElseThrow());
	}

	@Test
	void anUnknownFormatIsAUsageErrorNamingTheChoices() throws IOException {
		CommandLineRun run = ilmpq("validate", "--format", "xml", file("valid.ilmpq", VALID));
		assertEquals(2, run.exitCode());
		assertEquals("Invalid value for option '--format': 'xml' is not a format: use gcc or json",
				run.err().lines().findFirst().orElseThrow());
	}

	@Test
	void withoutACommandItIsAUsageError() {
		CommandLineRun run = ilmpq();
		assertEquals(2, run.exitCode());
		assertEquals("name a command, e.g. 'ilmpq validate FILE'", run.err().lines().findFirst().orElseThrow());
	}

	@Test
	void jsonOutputIsOneDocumentWithPositionsAndCodes() throws IOException {
		String broken = file("broken.ilmpq", BROKEN);
		CommandLineRun run = ilmpq("validate", "--format", "json", broken, "nope.ilmpq");
		assertEquals(2, run.exitCode());
		assertEquals("", run.err());
		JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
		assertEquals(1, report.get("errors").getAsInt());
		assertEquals(1, report.get("warnings").getAsInt());
		JsonObject first = report.getAsJsonArray("files").get(0).getAsJsonObject();
		assertEquals(broken, first.get("file").getAsString());
		JsonObject diagnostic = first.getAsJsonArray("diagnostics").get(0).getAsJsonObject();
		assertEquals("error", diagnostic.get("severity").getAsString());
		assertEquals(3, diagnostic.get("line").getAsInt());
		assertEquals(11, diagnostic.get("column").getAsInt());
		assertEquals(3, diagnostic.get("endLine").getAsInt());
		assertEquals(35, diagnostic.get("endColumn").getAsInt());
		assertEquals("org.ilmpq.split-sum", diagnostic.get("code").getAsString());
		assertEquals("the shares of a split add up to 100 %, these to 90 %", diagnostic.get("message").getAsString());
		JsonObject missing = report.getAsJsonArray("files").get(1).getAsJsonObject();
		assertEquals("no such file", missing.get("failure").getAsString());
	}

	@Test
	void theExamplesValidate() {
		Path examples = Path.of(System.getProperty("ilmpq.repository", "../.."), "examples");
		CommandLineRun run = ilmpq("validate", examples.resolve("resnet18-xc7z020.ilmpq").toString(),
				examples.resolve("resnet50-xc7z045.ilmpq").toString());
		assertEquals(new CommandLineRun(0, "", "ilmpq: 2 files checked: 0 errors, 0 warnings\n"), run);
	}

	@Test
	void aSpecWithAByteOrderMarkAndLoneCarriageReturnsIsValid() throws IOException {
		Path spec = dir.resolve("windows.ilmpq");
		Files.write(spec, ("\uFEFF// from an old editor\n" + VALID).replace('\n', '\r').getBytes(StandardCharsets.UTF_8));
		assertEquals(new CommandLineRun(0, "", "ilmpq: 1 file checked: 0 errors, 0 warnings\n"),
				ilmpq("validate", spec.toString()));
	}

	@Test
	void controlCharactersOfASpecAreEscapedInTheJsonAndItStillParses() throws IOException {
		String spec = file("nul.ilmpq", VALID.replace("b = ", "").replace("output a", "output a\u0000\u001b[2J"));
		CommandLineRun run = ilmpq("validate", "--format", "json", spec);
		assertEquals(1, run.exitCode());
		JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
		String message = report.getAsJsonArray("files").get(0).getAsJsonObject().getAsJsonArray("diagnostics").get(0)
				.getAsJsonObject().get("message").getAsString();
		assertEquals("missing EOF at '\\u0000'", message);
	}
}
