package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.dsl.tests.IlmpqInjectorProvider;
import org.ilmpq.dsl.tests.SpecFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * Training past one process (docs/distributed-training.md), on the digits CNN (examples/digits-cnn.ilmpq) and gloo:
 * two processes started as torchrun starts them end with identical replicas and within 2 points of the accuracy of
 * one process with the same global batch and seed; a run stopped after an epoch and resumed ends bit for bit where
 * the uninterrupted run ends, in one process and in two (train --nproc 2); the progress lines parse; and the replica
 * check stops a run whose replicas differ. About a minute on two cores.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedTrainingTest {

	/** DigitsTrainingTest's run: 15 epochs of 1,437 digits in global batches of 64, seed 0. */
	private static final String[] RUN = { "--epochs", "15", "--batch-size", "64", "--seed", "0", "--device", "cpu" };

	/** A short run for resuming: 4 epochs, progress every 5 of its 23 batches. */
	private static final String[] SHORT_RUN = { "--epochs", "4", "--batch-size", "64", "--seed", "0", "--device",
			"cpu", "--log-every", "5" };

	private static final Pattern ACCURACY = Pattern.compile("\"accuracy\": ([0-9.]+)");

	private static final String FIGURES = "loss (\\d+\\.\\d{4}), accuracy (\\d+\\.\\d{2}) %, (\\d+) images/s, "
			+ "(\\d+:\\d{2}:\\d{2}) left";

	@Inject
	private SpecFixture fixture;

	private Path quant;
	private double oneProcess;
	private double twoProcesses;
	private List<String> ranksOutput;
	private String shortRunOutput;

	@BeforeAll
	void trainInOneProcessAndInTwo(@TempDir Path directory) {
		quant = GeneratedScript.write(fixture, SpecFixture.read("examples/digits-cnn.ilmpq"), "digits-cnn.ilmpq",
				directory);
		oneProcess = train("one.json", "one.pt");
		ranksOutput = SystemPython.runRanks(quant, 300, 2, command("two.json", "two.pt", RUN));
		twoProcesses = accuracy("two.json");
		System.out.printf(Locale.ROOT, "digits_cnn, 15 epochs, global batch 64: one process %.2f %%, two processes "
				+ "(gloo) %.2f %%%n", oneProcess, twoProcesses);
		shortRunOutput = SystemPython.run(quant, 300, command(null, "short.pt", SHORT_RUN));
	}

	@Test
	void twoProcessesReachTheAccuracyOfOneProcessWithTheSameGlobalBatch() {
		assertEquals(oneProcess, twoProcesses, 2.0);
	}

	@Test
	void theTwoRanksEndWithIdenticalParametersAndBuffers() {
		assertTrue(ranksOutput.get(0).contains("replicas: 2 processes hold identical parameters and buffers "
				+ "(40 tensors)\n"), ranksOutput.get(0));
	}

	@Test
	void onlyRankZeroLogs() {
		assertTrue(ranksOutput.get(0).contains("digits_cnn spec: test accuracy"), ranksOutput.get(0));
		assertEquals("", ranksOutput.get(1));
	}

	@Test
	void theReplicaCheckStopsARunWhoseReplicasDiffer() {
		SystemPython.script(quant, "diverge.py", """
				import sys
				import torch
				import ilmpq_distributed
				from ilmpq_distributed import World

				world = World.from_environment()
				ilmpq_distributed.join(world, torch.device("cpu"))
				torch.manual_seed(0)
				model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
				print("identical:", ilmpq_distributed.check_replicas(world, model), "entries")
				if world.rank == 1 and sys.argv[1] == "diverge":
				    with torch.no_grad():
				        model[1].running_var[0] += 1e-6
				try:
				    ilmpq_distributed.check_replicas(world, model)
				except SystemExit as stop:
				    print(stop.code)
				ilmpq_distributed.leave(world)
				""");
		List<String> outputs = SystemPython.runRanks(quant, 120, 2, "diverge.py", "diverge");
		String expected = "identical: 7 entries\nerror: the replicas diverged: rank 1 differs from rank 0 in "
				+ "1.running_var\n";
		assertEquals(List.of(expected, expected), outputs);
	}

	@Test
	void aRunStoppedAfterAnEpochAndResumedEndsBitForBitAsTheUninterruptedRun() {
		SystemPython.run(quant, 300, command(null, "stopped.pt", SHORT_RUN, "--stop-after", "2"));
		String resumed = SystemPython.run(quant, 300, "digits_cnn.py", "train", "--data",
				TrainingRuns.data("digits.py"), "--resume", "stopped.pt", "--device", "cpu");
		assertTrue(resumed.startsWith("resuming stopped.pt after epoch 2 of 4\n"), resumed);
		assertEquals("the model's 40 tensors and the optimizer's 42 are equal\n", compare("short.pt", "stopped.pt"));
	}

	@Test
	void twoProcessesStartedByNprocResumeBitForBitToo() {
		SystemPython.run(quant, 300, command(null, "nproc.pt", SHORT_RUN, "--nproc", "2"));
		SystemPython.run(quant, 300, command(null, "nproc-stopped.pt", SHORT_RUN, "--nproc", "2", "--stop-after",
				"1"));
		SystemPython.run(quant, 300, "digits_cnn.py", "train", "--data", TrainingRuns.data("digits.py"), "--resume",
				"nproc-stopped.pt", "--device", "cpu", "--nproc", "2");
		assertEquals("the model's 40 tensors and the optimizer's 42 are equal\n",
				compare("nproc.pt", "nproc-stopped.pt"));
	}

	@Test
	void progressLinesGiveEpochBatchLossAccuracySpeedAndTimeLeft() {
		Pattern batchLine = Pattern.compile("epoch (\\d)/4 batch (\\d+)/23: " + FIGURES);
		Pattern epochLine = Pattern.compile("epoch (\\d)/4: " + FIGURES);
		List<String> batches = new ArrayList<>();
		List<String> epochs = new ArrayList<>();
		String lastLeft = null;
		for (String line : shortRunOutput.lines().toList()) {
			Matcher batch = batchLine.matcher(line);
			Matcher epoch = epochLine.matcher(line);
			if (batch.matches()) {
				batches.add(batch.group(1) + "/" + batch.group(2));
				assertFigures(batch, 3);
			} else if (epoch.matches()) {
				epochs.add(epoch.group(1));
				assertFigures(epoch, 2);
				lastLeft = epoch.group(5);
			}
		}
		assertEquals(List.of("1/5", "1/10", "1/15", "1/20", "2/5", "2/10", "2/15", "2/20", "3/5", "3/10", "3/15",
				"3/20", "4/5", "4/10", "4/15", "4/20"), batches, shortRunOutput);
		assertEquals(List.of("1", "2", "3", "4"), epochs, shortRunOutput);
		assertEquals("0:00:00", lastLeft);
	}

	@Test
	void oneProcessWithoutALauncherTrainsAsBefore() {
		assertTrue(shortRunOutput.endsWith("wrote short.pt\n"), shortRunOutput);
		assertTrue(shortRunOutput.lines().noneMatch(l -> l.startsWith("replicas") || l.startsWith("rank")),
				shortRunOutput);
	}

	private static void assertFigures(Matcher line, int first) {
		double loss = Double.parseDouble(line.group(first));
		double accuracy = Double.parseDouble(line.group(first + 1));
		assertTrue(loss > 0 && loss < 10 && accuracy >= 0 && accuracy <= 100 && Long.parseLong(line.group(first + 2)) > 0,
				line.group());
	}

	/** The arguments of a training run of the digits script with its result and checkpoint. */
	private static String[] command(String result, String checkpoint, String[] run, String... more) {
		List<String> args = new ArrayList<>(List.of("digits_cnn.py", "train", "--data", TrainingRuns.data("digits.py"),
				"--checkpoint", checkpoint));
		if (result != null) {
			args.addAll(List.of("--result", result));
		}
		args.addAll(List.of(run));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	private double train(String result, String checkpoint) {
		SystemPython.run(quant, 300, command(result, checkpoint, RUN));
		return accuracy(result);
	}

	private double accuracy(String result) {
		try {
			Matcher matcher = ACCURACY.matcher(Files.readString(quant.resolve(result)));
			assertTrue(matcher.find(), result);
			return Double.parseDouble(matcher.group(1));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Compares two checkpoints' model and optimizer state, tensor by tensor and bit for bit (NaN equal to NaN). */
	private String compare(String expected, String actual) {
		SystemPython.script(quant, "compare.py", """
				import sys
				import torch

				def tensors(value, path=""):
				    if isinstance(value, torch.Tensor):
				        yield path, value
				    elif isinstance(value, dict):
				        for key, item in value.items():
				            yield from tensors(item, "%s/%s" % (path, key))
				    elif isinstance(value, (list, tuple)):
				        for index, item in enumerate(value):
				            yield from tensors(item, "%s/%d" % (path, index))

				def equal(a, b):
				    if a.dtype != b.dtype or a.shape != b.shape:
				        return False
				    if a.is_floating_point():
				        return torch.equal(a.isnan(), b.isnan()) and torch.equal(a[~a.isnan()], b[~b.isnan()])
				    return torch.equal(a, b)

				a, b = (torch.load(path, weights_only=True) for path in sys.argv[1:3])
				counts = []
				for part in (a["state_dict"], a["training"]["optimizer"]):
				    other = b["state_dict"] if part is a["state_dict"] else b["training"]["optimizer"]
				    pairs = dict(tensors(other))
				    mine = dict(tensors(part))
				    differing = [name for name in mine if name not in pairs or not equal(mine[name], pairs[name])]
				    if differing or set(pairs) != set(mine):
				        print("differ:", differing[:5])
				    counts.append(len(mine))
				print("the model's %d tensors and the optimizer's %d are equal" % tuple(counts))
				""");
		return SystemPython.run(quant, 120, "compare.py", expected, actual);
	}
}
