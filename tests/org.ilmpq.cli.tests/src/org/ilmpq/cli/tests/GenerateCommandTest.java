package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ilmpq generate}, run in-process: the files it writes, what it refuses, exit codes. */
class GenerateCommandTest {

	@TempDir
	Path dir;

	private static final String SMALL = """
			network small
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			}
			input x: 3 x 16 x 16
			c1 = conv(x, out=8, kernel=3, padding=1)
			f = flatten(c1)
			fc = linear(f, out=10)
			output fc
			""";

	@Test
	void theQuantizationScriptIsWrittenToTheQuantFolder() throws IOException {
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", CommandLineRun.write(dir, "small.ilmpq", SMALL).toString(), "-o",
				out.toString());
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(out.resolve("quant/small.py") + "\n" + out.resolve("quant/ilmpq_quant.py") + "\n"
				+ out.resolve("quant/ilmpq_train.py") + "\n", run.out());
		assertEquals("ilmpq: wrote 3 files of " + dir.resolve("small.ilmpq") + " to " + out + "\n", run.err());
		assertTrue(Files.readString(out.resolve("quant/small.py")).contains("class Small(nn.Module):"));
	}

	@Test
	void aSpecWithErrorsGeneratesNothing() throws IOException {
		Path broken = CommandLineRun.write(dir, "broken.ilmpq", SMALL.replace("out=10", "out=0"));
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", broken.toString(), "-o", out.toString());
		assertEquals(1, run.exitCode());
		assertTrue(run.out().contains(broken + ":8:20: error: out=0 in 'fc': must be at least 1 [invalid-argument]"),
				run.out());
		assertTrue(run.err().endsWith("ilmpq: nothing generated for " + broken + ": it has errors\n"), run.err());
		assertTrue(Files.notExists(out));
	}

	@Test
	void twoSpecsOfOneNetworkNameWouldOverwriteEachOtherSoNothingIsWritten() throws IOException {
		Files.createDirectories(dir.resolve("a"));
		Files.createDirectories(dir.resolve("b"));
		Path first = CommandLineRun.write(dir.resolve("a"), "small.ilmpq", SMALL);
		Path second = CommandLineRun.write(dir.resolve("b"), "other.ilmpq", SMALL);
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", first.toString(), second.toString(), "-o", out.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: " + first + " and " + second
				+ " would both write quant/small.py; generate them to different folders\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void anOutputThatIsAFileIsReportedAndNothingIsLost() throws IOException {
		Path file = CommandLineRun.write(dir, "not-a-directory", "keep me");
		CommandLineRun run = ilmpq("generate", CommandLineRun.write(dir, "small.ilmpq", SMALL).toString(), "-o",
				file.toString());
		assertEquals(2, run.exitCode());
		assertTrue(run.err().startsWith("ilmpq: cannot write the files of "), run.err());
		assertEquals("keep me", Files.readString(file));
	}

	@Test
	void aSpecTheScriptCannotTrainGeneratesNothingAndSaysWhy() throws IOException {
		Path spec = CommandLineRun.write(dir, "two.ilmpq", """
				network two
				quantization {
				    split fixed 8
				}
				input a: 8
				input b: 8
				sum = add(a, b)
				fc = linear(sum, out=2)
				output fc
				""");
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", out.toString());
		assertEquals(new CommandLineRun(1, "", "ilmpq: nothing generated for " + spec
				+ ": the PyTorch script trains networks of one input; network two has 2\n"), run);
		assertTrue(Files.notExists(out));
	}
}
