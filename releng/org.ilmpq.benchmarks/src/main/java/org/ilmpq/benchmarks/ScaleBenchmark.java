package org.ilmpq.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.ilmpq.cli.IlmpqCommand;

/**
 * Specs at the scale a generator or a hostile file reaches, through the command line in-process ({@code validate},
 * {@code report}), each run from a fresh start of the command, with its peak heap (issue "hostile input"):
 * <ul>
 * <li>a chain of 10,000 layers (conv and relu in turn) on PYNQ-Z2: validate under 3 s, report under 5 s, the heap
 * under 1 GiB;</li>
 * <li>blocks nested 1,000 deep (each calls the one before): validate under 5 s;</li>
 * <li>an add of 100,000 inputs: validate under 5 s.</li>
 * </ul>
 * Every validation must find the spec free of errors, so that the figures time the real path. Run with -Xmx1g
 * (bench.sh does): a run that needs more fails.
 */
public final class ScaleBenchmark {

	public static void main(String[] args) throws IOException {
		int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
		System.out.printf("java %s, %d processors, max heap %d MiB%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
		Path dir = Files.createTempDirectory("ilmpq-scale");
		Path chain = Files.writeString(dir.resolve("chain.ilmpq"), chain(10_000));
		Path nested = Files.writeString(dir.resolve("nested.ilmpq"), nested(1_000));
		Path wide = Files.writeString(dir.resolve("wide.ilmpq"), wideAdd(100_000));
		measure("validate a 10,000-layer chain (target 3 s)", runs, "validate", chain.toString());
		measure("report a 10,000-layer chain on PYNQ-Z2 and ZC706 (target 5 s)", runs, "report", chain.toString(), "-o",
				dir.resolve("reports").toString());
		measure("validate blocks nested 1,000 deep (target 5 s)", runs, "validate", nested.toString());
		measure("validate an add of 100,000 inputs (target 5 s)", runs, "validate", wide.toString());
	}

	static String chain(int layers) {
		StringBuilder spec = new StringBuilder("network chain\ntarget PYNQ-Z2\nquantization {\n"
				+ "    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8\n}\ninput x: 16 x 8 x 8\n");
		String previous = "x";
		for (int i = 0; i < layers; i++) {
			spec.append("l" + i + " = " + (i % 2 == 0 ? "conv(" + previous + ", out=16, kernel=3, padding=1)"
					: "relu(" + previous + ")") + "\n");
			previous = "l" + i;
		}
		return spec.append("output " + previous + "\n").toString();
	}

	static String nested(int depth) {
		StringBuilder spec = new StringBuilder("network nested\ntarget PYNQ-Z2\nquantization {\n    split fixed 8\n}\n"
				+ "input x: 4 x 8 x 8\nblock b0(tensor t) {\n    c = conv(t, out=4, kernel=3, padding=1)\n    output c\n}\n");
		for (int i = 1; i <= depth; i++) {
			spec.append("block b" + i + "(tensor t) {\n    a = b" + (i - 1) + "(t)\n    output a\n}\n");
		}
		return spec.append("top = b" + depth + "(x)\noutput top\n").toString();
	}

	static String wideAdd(int inputs) {
		StringBuilder spec = new StringBuilder("network wide\ntarget PYNQ-Z2\nquantization {\n    split fixed 8\n}\n"
				+ "input x: 4 x 8 x 8\nc = conv(x, out=4, kernel=3, padding=1)\ns = add(c");
		for (int i = 1; i < inputs; i++) {
			spec.append(", c");
		}
		return spec.append(")\noutput s\n").toString();
	}

	private static void measure(String what, int runs, String... command) {
		List<Double> seconds = new ArrayList<>();
		long peak = 0;
		List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
				.filter(p -> p.getType() == MemoryType.HEAP).toList();
		for (int i = 0; i < runs; i++) {
			System.gc();
			heap.forEach(MemoryPoolMXBean::resetPeakUsage);
			StringWriter out = new StringWriter();
			StringWriter err = new StringWriter();
			long start = System.nanoTime();
			int exit = IlmpqCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), command);
			seconds.add((System.nanoTime() - start) / 1e9);
			peak = Math.max(peak, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
			if (exit != 0) {
				throw new IllegalStateException(what + ": exit " + exit + "\n" + out + err);
			}
		}
		List<Double> sorted = new ArrayList<>(seconds);
		Collections.sort(sorted);
		System.out.printf("%s: median %.2f s, first %.2f s, max %.2f s over %d runs; peak heap %d MiB%n", what,
				sorted.get(sorted.size() / 2), seconds.get(0), sorted.get(sorted.size() - 1), runs, peak >> 20);
	}
}
