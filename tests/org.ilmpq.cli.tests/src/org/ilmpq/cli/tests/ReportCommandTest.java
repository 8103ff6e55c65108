package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code ilmpq report}, run in-process: files, terminal summary, exit codes. */
class ReportCommandTest {

	@TempDir
	Path dir;

	private Path spec(String name, String content) throws IOException {
		return CommandLineRun.write(dir, name, content);
	}

	private static final String SMALL = """
			network small
			target PYNQ-Z2
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			input x: 16 x 28 x 28
			c1 = conv(x, out=32, kernel=3, padding=1, bias=false)
			f = flatten(c1)
			fc = linear(f, out=10)
			output fc
			""";

	private List<String> files(Path directory) throws IOException {
		try (Stream<Path> list = Files.list(directory)) {
			return list.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void aReportPerDeviceIsWrittenForTheSpecsTargetAndTheTwoZynqBoards() throws IOException {
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", spec("small.ilmpq", SMALL).toString(), "-o", out.toString());
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(List.of("small-pynq-z2.csv", "small-pynq-z2.html", "small-pynq-z2.json", "small-zc706.csv",
				"small-zc706.html", "small-zc706.json"), files(out));
		assertEquals("ilmpq: wrote 6 files to " + out + "\n", run.err());
		List<String> summary = run.out().lines().toList();
		assertTrue(summary.get(0).matches(".*small\\.ilmpq +PYNQ-Z2 \\(xc7z020clg400-1\\) +ZC706 \\(xc7z045ffg900-2\\)"),
				summary.get(0));
		assertTrue(summary.stream().anyMatch(line -> line.startsWith("latency ")), run.out());
		assertTrue(summary.stream().anyMatch(line -> line.startsWith("speedup vs (a) ")), run.out());
	}

	@Test
	void devicesCanBeNamed() throws IOException {
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", spec("small.ilmpq", SMALL).toString(), "-o", out.toString(), "--device", "ZCU102");
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(List.of("small-zcu102.csv", "small-zcu102.html", "small-zcu102.json"), files(out));
		JsonObject json = JsonParser.parseString(Files.readString(out.resolve("small-zcu102.json"))).getAsJsonObject();
		assertEquals("XCZU9EG", json.getAsJsonObject("summary").get("device").getAsString());
	}

	@Test
	void anUnknownDeviceIsAUsageErrorWithTheNearestName() throws IOException {
		CommandLineRun run = ilmpq("report", spec("small.ilmpq", SMALL).toString(), "-o", dir.toString(), "--device", "ZC70");
		assertEquals(new CommandLineRun(2, "", "ilmpq: unknown device 'ZC70'; did you mean 'ZC706'?\n"), run);
	}

	@Test
	void aSpecWithErrorsGetsNoReport() throws IOException {
		Path broken = spec("broken.ilmpq", SMALL.replace("out=10", "out=0"));
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", broken.toString(), "-o", out.toString());
		assertEquals(1, run.exitCode());
		assertTrue(run.out().contains(broken + ":9:20: error: out=0 in 'fc': must be at least 1 [invalid-argument]"),
				run.out());
		assertTrue(run.err().endsWith("ilmpq: no report for " + broken + ": it has errors\n"), run.err());
		assertTrue(Files.notExists(out));
	}

	@Test
	void anOutputThatIsAFileIsReportedAndNothingIsLost() throws IOException {
		Path file = spec("not-a-directory", "keep me");
		CommandLineRun run = ilmpq("report", spec("small.ilmpq", SMALL).toString(), "-o", file.toString());
		assertEquals(2, run.exitCode());
		assertTrue(run.err().endsWith("ilmpq: cannot write the reports of " + dir.resolve("small.ilmpq") + " to " + file
				+ ": " + file + " exists and is not a folder\n"), run.err());
		assertEquals("keep me", Files.readString(file));
	}

	@Test
	void aDeviceNamedTwiceIsReportedOnce() throws IOException {
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", spec("small.ilmpq", SMALL).toString(), "-o", out.toString(), "--device",
				"PYNQ-Z2", "--device", "pynq-z2");
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(List.of("small-pynq-z2.csv", "small-pynq-z2.html", "small-pynq-z2.json"), files(out));
	}

	@Test
	void twoSpecsOfOneNameInDifferentFoldersWouldOverwriteEachOtherSoNothingIsWritten() throws IOException {
		Files.createDirectories(dir.resolve("a"));
		Files.createDirectories(dir.resolve("b"));
		String a = spec("a/net.ilmpq", SMALL).toString();
		String b = spec("b/net.ilmpq", SMALL.replace("network small", "network other")).toString();
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", a, b, "-o", out.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: " + a + " and " + b
				+ " would write the same report files (net-*); report them to different folders\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void aSpecWithNothingForAnAcceleratorGetsNoReport() throws IOException {
		String pooling = spec("pool.ilmpq", """
				network pool
				target PYNQ-Z2
				quantization {
				    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
				}
				input x: 3 x 8 x 8
				p = maxpool(x, kernel=2)
				output p
				""").toString();
		Path out = dir.resolve("reports");
		CommandLineRun run = ilmpq("report", pooling, "-o", out.toString());
		assertEquals(new CommandLineRun(1, "", "ilmpq: no report for " + pooling + ": no weight layer has a split, so "
				+ "there is nothing for an accelerator to do (a quantization section with a split, and a conv or linear "
				+ "layer)\n"), run);
		assertTrue(Files.notExists(out));
	}
}
