package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
			c1 = conv(x, out=16, kernel=3, padding=1)
			f = flatten(c1)
			fc = linear(f, out=10)
			output fc
			""";

	/** {@link #SMALL} on a board: it gets an HLS project too. */
	private static final String TARGETED = SMALL.replace("quantization {", "target PYNQ-Z2 clock 100 MHz\nquantization {");

	@Test
	void theQuantizationScriptIsWrittenToTheQuantFolder() throws IOException {
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", CommandLineRun.write(dir, "small.ilmpq", SMALL).toString(), "-o",
				out.toString());
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(out.resolve("quant/small.py") + "\n" + out.resolve("quant/ilmpq_quant.py") + "\n"
				+ out.resolve("quant/ilmpq_train.py") + "\n" + out.resolve("quant/ilmpq_distributed.py") + "\n"
				+ out.resolve("quant/ilmpq_progress.py") + "\n", run.out());
		assertEquals("ilmpq: no HLS project for " + dir.resolve("small.ilmpq") + ": the spec names no target (part "
				+ "and clock)\nilmpq: wrote 5 files of " + dir.resolve("small.ilmpq") + " to " + out + "\n", run.err());
		assertTrue(Files.readString(out.resolve("quant/small.py")).contains("class Small(nn.Module):"));
	}

	@Test
	void aSpecWithATargetAlsoGetsItsHlsProject() throws IOException {
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", CommandLineRun.write(dir, "small.ilmpq", TARGETED).toString(), "-o",
				out.toString());
		assertEquals(0, run.exitCode(), run.err());
		assertEquals("ilmpq: wrote 21 files of " + dir.resolve("small.ilmpq") + " to " + out + "\n", run.err());
		for (String file : new String[] { "firmware/small.cpp", "firmware/engines.cpp", "firmware/ilmpq_tiles.h",
				"firmware/ilmpq_engines.h", "firmware/ilmpq_loop_nest.h", "firmware/ilmpq_weight_layer.h",
				"firmware/weights/weights.txt",
				"firmware/weights/golden.txt", "tb/tb_small.cpp", "run_hls.tcl", "Makefile" }) {
			assertTrue(run.out().contains(out.resolve("hls/small/" + file) + "\n"), file + " in " + run.out());
		}
		assertTrue(Files.readString(out.resolve("hls/small/firmware/weights/weights.txt"))
				.startsWith("ilmpq-export 2\nnetwork small\nproducer ILMPQ Workbench"));
	}

	@Test
	void theHlsProjectTakesTheWeightsOfAnExport() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		Path first = dir.resolve("first");
		assertEquals(0, ilmpq("generate", spec.toString(), "-o", first.toString(), "--seed", "7").exitCode());
		Path export = first.resolve("hls/small/firmware/weights");
		Path second = dir.resolve("second");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", second.toString(), "--weights",
				export.toString());
		assertEquals(0, run.exitCode(), run.err());
		assertEquals(Files.readString(export.resolve("weights.txt")),
				Files.readString(second.resolve("hls/small/firmware/weights/weights.txt")));
		assertEquals(Files.readString(export.resolve("golden.txt")),
				Files.readString(second.resolve("hls/small/firmware/weights/golden.txt")));
	}

	@Test
	void anotherSeedGivesOtherWeights() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		ilmpq("generate", spec.toString(), "-o", dir.resolve("one").toString(), "--seed", "1");
		ilmpq("generate", spec.toString(), "-o", dir.resolve("two").toString(), "--seed", "2");
		String weights = "hls/small/firmware/weights/weights.txt";
		assertTrue(!Files.readString(dir.resolve("one").resolve(weights))
				.equals(Files.readString(dir.resolve("two").resolve(weights))));
	}

	@Test
	void weightsAreTheExportOfOneNetworkSoTwoSpecsWithThemAreRefused() throws IOException {
		Path one = CommandLineRun.write(dir, "one.ilmpq", TARGETED);
		Path two = CommandLineRun.write(dir, "two.ilmpq", TARGETED.replace("network small", "network other"));
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", one.toString(), two.toString(), "-o", out.toString(), "--weights",
				dir.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: --weights is the export of one network: give one spec with "
				+ "it\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void aNetworkTheHlsDesignCannotRunStillGetsItsScript() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED.replace("5 % fixed 8", "5 % fixed 12"));
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", out.toString());
		assertEquals(1, run.exitCode(), run.err());
		assertEquals("ilmpq: no HLS project for " + spec + ": the engines take weights of at most 8 bits, not "
				+ "fixed 12\nilmpq: wrote 5 files of " + spec + " to " + out + "\n", run.err());
		assertTrue(Files.exists(out.resolve("quant/small.py")));
		assertTrue(Files.notExists(out.resolve("hls")));
	}

	@Test
	void weightsForASpecWithoutTargetAreRefused() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", SMALL);
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", out.toString(), "--weights", dir.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: nothing generated for " + spec + ": --weights is for the HLS "
				+ "project, and the spec names no target (part and clock)\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void twoNetworksWhoseHlsProjectsWouldShareAFolderAreRefused() throws IOException {
		// a__b and a_b are different Python modules but one C++ identifier
		Path one = CommandLineRun.write(dir, "one.ilmpq", TARGETED.replace("network small", "network a__b"));
		Path two = CommandLineRun.write(dir, "two.ilmpq", TARGETED.replace("network small", "network a_b"));
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", one.toString(), two.toString(), "-o", out.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: " + one + " and " + two + " would both write "
				+ "hls/a_b/firmware/a_b.h; generate them to different folders\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void aMissingExportIsReportedAndNothingIsGenerated() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		Path out = dir.resolve("out");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", out.toString(), "--weights",
				dir.resolve("export").toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: nothing generated for " + spec + ": "
				+ dir.resolve("export/weights.txt") + " does not exist (--weights names the folder an export wrote)\n"),
				run);
		assertTrue(Files.notExists(out));
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
		assertEquals(new CommandLineRun(2, "", "ilmpq: no HLS project for " + first + ": the spec names no target "
				+ "(part and clock)\nilmpq: no HLS project for " + second + ": the spec names no target (part and "
				+ "clock)\nilmpq: " + first + " and " + second
				+ " would both write quant/small.py; generate them to different folders\n"), run);
		assertTrue(Files.notExists(out));
	}

	@Test
	void anOutputThatIsAFileIsReportedAndNothingIsLost() throws IOException {
		Path file = CommandLineRun.write(dir, "not-a-directory", "keep me");
		CommandLineRun run = ilmpq("generate", CommandLineRun.write(dir, "small.ilmpq", TARGETED).toString(), "-o",
				file.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: nothing written to " + file + ": " + file
				+ " exists and is not a folder (what was there is untouched)\n"), run);
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

	@Test
	void aWriteThatFailsMidwayLeavesEveryEarlierFileAsItWas() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		Path out = dir.resolve("out");
		assertEquals(0, ilmpq("generate", spec.toString(), "-o", out.toString(), "--seed", "1").exitCode());
		String weights = Files.readString(out.resolve("hls/small/firmware/weights/weights.txt"));
		// the training script's place is taken by a folder: it comes after the weights in the order of writing
		Files.delete(out.resolve("quant/ilmpq_train.py"));
		Files.createDirectories(out.resolve("quant/ilmpq_train.py"));
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", out.toString(), "--seed", "2");
		assertEquals(new CommandLineRun(2, "", "ilmpq: nothing written to " + out + ": " + out.resolve("quant/ilmpq_train.py")
				+ " is a folder where a generated file goes (what was there is untouched)\n"), run);
		assertEquals(weights, Files.readString(out.resolve("hls/small/firmware/weights/weights.txt")));
		try (var entries = Files.list(out)) {
			assertEquals(List.of("hls", "quant"), entries.map(p -> p.getFileName().toString()).sorted().toList());
		}
	}

	@Test
	void theNextRunUndoesWhatARunKilledWhileMovingFilesHadMoved() throws IOException, InterruptedException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", SMALL);
		Path out = dir.resolve("out");
		assertEquals(0, ilmpq("generate", spec.toString(), "-o", out.toString()).exitCode());
		String script = Files.readString(out.resolve("quant/small.py"));
		// what a killed run leaves: it had moved small.py aside and its own in, and created extra.py
		Path staging = out.resolve(".ilmpq-staging-" + deadProcess());
		Files.createDirectories(staging.resolve("old/quant"));
		Files.createDirectories(staging.resolve("new/quant"));
		Files.writeString(staging.resolve("journal"), "replace\tquant/small.py\ncreate\tquant/extra.py\ncreate\tquant/next.py\n");
		Files.move(out.resolve("quant/small.py"), staging.resolve("old/quant/small.py"));
		Files.writeString(out.resolve("quant/small.py"), "half a run");
		Files.writeString(out.resolve("quant/extra.py"), "from the killed run");
		Files.writeString(staging.resolve("new/quant/next.py"), "not moved yet");
		// the next run cannot write (a folder where a file goes): it still undoes the killed run first
		Files.delete(out.resolve("quant/ilmpq_train.py"));
		Files.createDirectories(out.resolve("quant/ilmpq_train.py"));
		assertEquals(2, ilmpq("generate", spec.toString(), "-o", out.toString()).exitCode());
		assertEquals(script, Files.readString(out.resolve("quant/small.py")));
		assertTrue(Files.notExists(out.resolve("quant/extra.py")));
		assertTrue(Files.notExists(out.resolve("quant/next.py")));
		assertTrue(Files.notExists(staging));
	}

	@Test
	void temporaryFilesOfInterruptedEarlierVersionsAreRemoved() throws IOException, InterruptedException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		Path out = dir.resolve("out");
		Path stale = out.resolve("hls/small/firmware/weights/.weights.txt." + deadProcess() + ".tmp");
		Files.createDirectories(stale.getParent());
		Files.writeString(stale, "3 MB of a killed run");
		assertEquals(0, ilmpq("generate", spec.toString(), "-o", out.toString()).exitCode());
		assertTrue(Files.notExists(stale));
	}

	@Test
	void weightsThatNameAFileAreRefusedSayingSo() throws IOException {
		Path spec = CommandLineRun.write(dir, "small.ilmpq", TARGETED);
		Path file = CommandLineRun.write(dir, "weights.txt", "not a folder");
		CommandLineRun run = ilmpq("generate", spec.toString(), "-o", dir.resolve("out").toString(), "--weights",
				file.toString());
		assertEquals(new CommandLineRun(2, "", "ilmpq: --weights names the folder the quantization script's export "
				+ "wrote, and " + file + " is a file\n"), run);
	}

	/** The id of a process that has ended: what a killed run's staging folder is named after. */
	private static long deadProcess() throws IOException, InterruptedException {
		Process process = new ProcessBuilder("true").start();
		process.waitFor();
		return process.pid();
	}
}
