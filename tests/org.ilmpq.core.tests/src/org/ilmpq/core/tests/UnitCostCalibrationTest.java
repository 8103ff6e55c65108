package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.hardware.BlockRamMapping;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.UnitCostTable;
import org.ilmpq.core.hardware.UnitCostTable.Cost;
import org.ilmpq.core.hardware.UnitCostTable.Datapath;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.junit.jupiter.api.Test;

/**
 * The unit cost table the hardware model reads is what synthesis gives: one small configuration of each unit is
 * simulated against the firmware's C++ and synthesized again, and must count as the table says
 * (releng/org.ilmpq.calibration/calibrate.sh --check; the whole calibration is a benchmark, not a test). Needs
 * Debian's yosys, iverilog and g++.
 */
class UnitCostCalibrationTest {

	private final UnitCostTable table = UnitCostTable.xc7();

	@Test
	void theTableStillHoldsForOneSmallConfigurationOfEachUnit() throws Exception {
		List<String> command = new ArrayList<>(List.of("bash",
				repository().resolve("releng/org.ilmpq.calibration/calibrate.sh").toString(), "--check"));
		command.add(configuration("lut-pot-4-a4-l4-"));
		command.add(configuration("packed-fixed-4-a4-l4-"));
		command.add(configuration("requantizer-r1-c16"));
		command.add(configuration("depthwise-a4"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the calibration's check did not end in 5 minutes");
		assertEquals(0, process.exitValue(), output);
		assertTrue(output.contains("simulated 4 units against the firmware's C++"), output);
	}

	@Test
	void theModelReadsWhatYosysCountedForEveryRowMeasured() {
		// per row (a packed row its share of the rows a slice takes), at every lane count the calibration
		// synthesized: the table read back gives Yosys's LUTs and flip-flops; with an accumulator 8 bits wider, within
		// 3 % (an accumulator bit is one figure for every row, the mean of their differences)
		int rowsChecked = 0;
		for (String name : table.measuredConfigurations()) {
			String[] parts = name.split("-");
			if (parts.length != 6) {
				continue;
			}
			Datapath datapath = Datapath.valueOf(parts[0].toUpperCase(Locale.ROOT));
			Scheme scheme = new Scheme(SchemeKind.valueOf(parts[1].toUpperCase(Locale.ROOT)), Integer.parseInt(parts[2]));
			int activation = Integer.parseInt(parts[3].substring(1));
			int lanes = Integer.parseInt(parts[4].substring(1));
			int accumulator = Integer.parseInt(parts[5].substring(1));
			int rows = datapath == Datapath.PACKED
					? DspPacking.of(DspSlice.DSP48E1, scheme.bits(), activation).productsPerDsp()
					: 1;
			Cost row = table.row(datapath, scheme, activation, lanes, accumulator, (s, a, l, c) -> 1);
			int[] measured = table.measured(name).orElseThrow();
			boolean widened = table.measuredConfigurations().stream().anyMatch(other -> other.startsWith(
					String.join("-", parts[0], parts[1], parts[2], parts[3], parts[4]) + "-c")
					&& Integer.parseInt(other.substring(other.lastIndexOf("-c") + 2)) < accumulator);
			double tolerance = widened ? 0.03 : 0.0001;
			assertEquals(measured[0], rows * row.luts(), 0.01 + tolerance * measured[0], name + " LUT");
			assertEquals(measured[2], rows * row.flipFlops(), 0.01 + tolerance * measured[2], name + " FF");
			rowsChecked++;
		}
		assertTrue(rowsChecked >= 60, "the calibration measures rows at every lane count: " + rowsChecked);
	}

	@Test
	void aLaneCountBetweenTwoMeasuredIsInterpolated() {
		Cost at32 = table.row(Datapath.LUT, Scheme.pot(4), 4, 32, 20, (s, a, l, c) -> 1);
		Cost at48 = table.row(Datapath.LUT, Scheme.pot(4), 4, 48, 20, (s, a, l, c) -> 1);
		Cost at64 = table.row(Datapath.LUT, Scheme.pot(4), 4, 64, 20, (s, a, l, c) -> 1);
		assertEquals((at32.luts() + at64.luts()) / 2, at48.luts(), 1e-9);
		assertEquals((at32.flipFlops() + at64.flipFlops()) / 2, at48.flipFlops(), 1e-9);
	}

	@Test
	void aRequantizerIsWhatYosysCountedForItsAccumulator() {
		for (String name : table.measuredConfigurations()) {
			if (name.startsWith("requantizer-")) {
				boolean residual = name.startsWith("requantizer-r1-");
				int accumulator = Integer.parseInt(name.substring(name.lastIndexOf("-c") + 2));
				int[] measured = table.measured(name).orElseThrow();
				assertEquals(measured[0], table.requantizer(accumulator, residual).luts(), 1e-9, name);
				assertEquals(measured[2], table.requantizer(accumulator, residual).flipFlops(), 1e-9, name);
			}
		}
	}

	@Test
	void aDepthwiseLaneIsWhatYosysCountedForItsActivationWidth() {
		int[] measured = table.measured("depthwise-a4").orElseThrow();
		assertEquals(measured[0], table.depthwiseLane(4, a -> 1).luts(), 1e-9);
		assertEquals(measured[2], table.depthwiseLane(4, a -> 1).flipFlops(), 1e-9);
		// 6-bit activations, not synthesized: the nearest width's (4 before 8 at equal distance), scaled
		assertEquals(measured[0] * 6.0 / 4, table.depthwiseLane(6, a -> a).luts(), 1e-9);
	}

	@Test
	void aSchemeTheTableDoesNotHoldScalesItsNearestNeighbourByTheStructure() {
		assertFalse(table.calibrates(Datapath.LUT, Scheme.pot(3), 4));
		Cost pot4 = table.row(Datapath.LUT, Scheme.pot(4), 4, 16, 20, (s, a, l, c) -> 1);
		Cost pot3 = table.row(Datapath.LUT, Scheme.pot(3), 4, 16, 20, (s, a, l, c) -> s.bits() == 3 ? 3 : 4);
		assertEquals(pot4.luts() * 3 / 4, pot3.luts(), 1e-9);
	}

	@Test
	void requantizersTakeTheSlicesOfTheirPortWidths() {
		// the accumulator on the 25-bit A port of a DSP48E1: one slice up to 25 bits, two beyond; one more for a
		// fused add's operand
		for (String name : table.measuredConfigurations()) {
			if (name.startsWith("requantizer-")) {
				boolean residual = name.startsWith("requantizer-r1-");
				int accumulator = Integer.parseInt(name.substring(name.lastIndexOf("-c") + 2));
				long slices = (accumulator + DspSlice.DSP48E1.aBits() - 1) / DspSlice.DSP48E1.aBits() + (residual ? 1 : 0);
				assertEquals(slices, table.measured(name).orElseThrow()[4], name);
			}
		}
	}

	@Test
	void blockRamBuffersTakeTheRamb18sOfTheirAspectRatios() {
		// where Yosys maps a buffer to block RAM, it takes as many RAMB18 as FINN's rule the model uses
		int blockRam = 0;
		for (String name : table.measuredConfigurations()) {
			if (name.startsWith("buffer-")) {
				int width = Integer.parseInt(name.substring("buffer-w".length(), name.indexOf("-d")));
				int depth = Integer.parseInt(name.substring(name.indexOf("-d") + 2));
				int[] counts = table.measured(name).orElseThrow();
				if (counts[5] > 0) {
					assertEquals(BlockRamMapping.ramb18(width, depth), counts[5], name);
					blockRam++;
				}
			}
		}
		assertTrue(blockRam >= 3, "the calibration measures buffers in block RAM");
	}

	private String configuration(String prefix) {
		return table.measuredConfigurations().stream().filter(n -> n.startsWith(prefix)).findFirst()
				.orElseThrow(() -> new AssertionError("the table measures no " + prefix + "* configuration"));
	}

	private static Path repository() throws IOException {
		return Path.of(System.getProperty("ilmpq.repository", "../..")).toAbsolutePath().normalize();
	}
}
