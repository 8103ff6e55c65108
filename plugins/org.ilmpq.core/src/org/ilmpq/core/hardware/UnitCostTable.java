package org.ilmpq.core.hardware;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntToDoubleFunction;

import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;

/**
 * What the engines' rows and the output stage's requantizers cost on Xilinx 7-series fabric, measured by synthesis
 * (docs/hardware-model.md, "Calibration"): the units of {@code releng/org.ilmpq.calibration/rtl}, simulated against
 * the generated firmware's C++, synthesized by Yosys ({@code synth_xilinx -family xc7}) at the lane counts and
 * widths the design search uses, and fitted to lines. {@code calibrate.sh} writes the table,
 * {@code xc7-unit-costs.properties} beside this class; the model reads its unit costs from it, not from constants.
 * <p>
 * Per datapath, scheme and activation width calibrated, the table holds a row's LUTs and flip-flops at each lane
 * count measured (4 to 64) and one accumulator width, and, for every row alike, what an accumulator bit beyond it
 * adds; per requantizer,
 * its counts at each accumulator width measured. Between the points measured the model interpolates linearly
 * (beyond them it extends the nearest segment). Those are Yosys's counts: {@link #deratedLuts} and
 * {@link #deratedFlipFlops} turn them into the report's, by the table's derating factors (Vivado's counts per
 * Yosys's, with their source in the table).
 * <p>
 * A scheme or activation width the table does not hold takes the calibrated line of the nearest one of the same
 * datapath and kind, scaled by the ratio of the two in the structural model ({@link FabricCosts}): what synthesis
 * showed of the one, in proportion to what the structure says of both.
 */
public final class UnitCostTable {

	/** How an engine's row computes; the table's key prefix. */
	public enum Datapath {
		/** power-of-two, SP2 (or fixed-point without DSP slices) products on LUTs */
		LUT("lut"),
		/** fixed-point products, one a DSP slice, summed in the fabric */
		PRODUCTS("products"),
		/** fixed-point products of several rows in one DSP slice (DspPacking), taken apart and summed in the fabric */
		PACKED("packed");

		private final String key;

		Datapath(String key) {
			this.key = key;
		}
	}

	/** LUTs and flip-flops, in Yosys's counts, fractional as fitted. */
	public record Cost(double luts, double flipFlops) {

		public Cost times(double n) {
			return new Cost(luts * n, flipFlops * n);
		}

		public Cost plus(Cost other) {
			return new Cost(luts + other.luts, flipFlops + other.flipFlops);
		}
	}

	/**
	 * Counts measured at points (lane counts, or accumulator widths), ascending, and what a bit of accumulator beyond
	 * {@code accumulatorBits} adds.
	 */
	private record Curve(double[] points, double[] counts, int accumulatorBits, double perAccumulatorBit) {

		/** At {@code point} (a lane count, or an accumulator width) with an accumulator of {@code bits}. */
		double at(double point, int bits) {
			int segment = 0;
			while (segment < points.length - 2 && point > points[segment + 1]) {
				segment++;
			}
			double value = counts[segment];
			if (points.length > 1) {
				double slope = (counts[segment + 1] - counts[segment]) / (points[segment + 1] - points[segment]);
				value += slope * (point - points[segment]);
			}
			return value + (bits - accumulatorBits) * perAccumulatorBit;
		}
	}

	private record RowKey(Datapath datapath, SchemeKind kind, int bits, int activationBits) {
	}

	private record RowCosts(Curve luts, Curve flipFlops) {

		Cost at(int lanes, int accumulatorBits) {
			return new Cost(luts.at(lanes, accumulatorBits), flipFlops.at(lanes, accumulatorBits));
		}
	}

	/** The structural (hand-derived) cost of a row, to scale a calibrated neighbour's by. */
	public interface Structure {
		double luts(Scheme scheme, int activationBits, int lanes, int accumulatorBits);
	}

	private static volatile UnitCostTable xc7;

	private final double lutDerating;
	private final double flipFlopDerating;
	private final Map<RowKey, RowCosts> rows;
	private final Curve requantizerLuts;
	private final Curve requantizerFlipFlops;
	private final Curve residualRequantizerLuts;
	private final Curve residualRequantizerFlipFlops;
	private final Map<Integer, Cost> depthwiseLanes;
	private final Map<String, int[]> measured;

	private UnitCostTable(String origin, Properties properties) {
		// a table names the Yosys that measured it; the model reads only its counts
		required(origin, properties, "yosys");
		this.lutDerating = number(origin, properties, "derating.lut");
		this.flipFlopDerating = number(origin, properties, "derating.ff");
		this.rows = new LinkedHashMap<>();
		this.depthwiseLanes = new LinkedHashMap<>();
		this.measured = new LinkedHashMap<>();
		for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
			if (key.startsWith("measured.")) {
				String[] counts = properties.getProperty(key).trim().split("\\s+");
				int[] values = new int[counts.length];
				for (int i = 0; i < counts.length; i++) {
					values[i] = (int) number(origin, key, counts[i]);
				}
				measured.put(key.substring("measured.".length()), values);
			} else if (key.startsWith("depthwise-a") && key.endsWith(".lut")) {
				String prefix = key.substring(0, key.length() - ".lut".length());
				depthwiseLanes.put((int) number(origin, key, prefix.substring("depthwise-a".length())),
						new Cost(number(origin, properties, key), number(origin, properties, prefix + ".ff")));
			} else if (key.endsWith(".lanes")) {
				String prefix = key.substring(0, key.length() - ".lanes".length());
				rows.put(rowKey(origin, prefix), new RowCosts(rowCurve(origin, properties, prefix, "lut"),
						rowCurve(origin, properties, prefix, "ff")));
			}
		}
		this.requantizerLuts = requantizerCurve(origin, properties, "requantizer", "lut");
		this.requantizerFlipFlops = requantizerCurve(origin, properties, "requantizer", "ff");
		this.residualRequantizerLuts = requantizerCurve(origin, properties, "requantizer-residual", "lut");
		this.residualRequantizerFlipFlops = requantizerCurve(origin, properties, "requantizer-residual", "ff");
	}

	/** The table of the 7-series family, shipped with the model. */
	public static UnitCostTable xc7() {
		UnitCostTable table = xc7;
		if (table == null) {
			synchronized (UnitCostTable.class) {
				table = xc7;
				if (table == null) {
					String name = "xc7-unit-costs.properties";
					try (InputStream in = UnitCostTable.class.getResourceAsStream(name)) {
						if (in == null) {
							throw new IllegalStateException("the unit cost table " + name + " is missing from the model");
						}
						table = read(name, new InputStreamReader(in, StandardCharsets.UTF_8));
					} catch (IOException e) {
						throw new UncheckedIOException("cannot read the unit cost table " + name, e);
					}
					xc7 = table;
				}
			}
		}
		return table;
	}

	/** Reads a table; {@code origin} names it in error messages. */
	public static UnitCostTable read(String origin, Reader reader) throws IOException {
		Properties properties = new Properties();
		properties.load(reader);
		return new UnitCostTable(origin, properties);
	}

	/** The report's LUTs for {@code luts} of Yosys's, rounded up. */
	public long deratedLuts(double luts) {
		return (long) Math.ceil(luts * lutDerating - 1e-9);
	}

	/** The report's flip-flops for {@code flipFlops} of Yosys's, rounded up. */
	public long deratedFlipFlops(double flipFlops) {
		return (long) Math.ceil(flipFlops * flipFlopDerating - 1e-9);
	}

	/**
	 * One row of an engine of {@code scheme} on {@code datapath}, its {@code lanes} products, their adder trees and
	 * its accumulator of {@code accumulatorBits}; for the packed datapath a row's share of its slices' logic.
	 * Where the table has no line for the scheme and activation width, the nearest calibrated one of the same
	 * datapath and kind scaled by {@code structure}'s ratio of the two.
	 */
	public Cost row(Datapath datapath, Scheme scheme, int activationBits, int lanes, int accumulatorBits,
			Structure structure) {
		RowKey wanted = new RowKey(datapath, scheme.kind(), scheme.bits(), activationBits);
		RowCosts exact = rows.get(wanted);
		if (exact != null) {
			return exact.at(lanes, accumulatorBits);
		}
		RowKey nearest = nearest(wanted).orElseThrow(() -> new IllegalStateException(
				"the unit cost table has no " + datapath.key + " row of a " + scheme.kind().keyword() + " scheme"));
		RowCosts costs = rows.get(nearest);
		Scheme calibrated = new Scheme(nearest.kind(), nearest.bits());
		double ratio = structure.luts(scheme, activationBits, lanes, accumulatorBits)
				/ structure.luts(calibrated, nearest.activationBits(), lanes, accumulatorBits);
		return costs.at(lanes, accumulatorBits).times(ratio);
	}

	/** Whether the table has a line of its own for this row (rather than a scaled neighbour's). */
	public boolean calibrates(Datapath datapath, Scheme scheme, int activationBits) {
		return rows.containsKey(new RowKey(datapath, scheme.kind(), scheme.bits(), activationBits));
	}

	/** One requantizer of the output stage for an accumulator of {@code accumulatorBits}, DSP slices aside. */
	public Cost requantizer(int accumulatorBits, boolean residual) {
		Curve luts = residual ? residualRequantizerLuts : requantizerLuts;
		Curve flipFlops = residual ? residualRequantizerFlipFlops : requantizerFlipFlops;
		return new Cost(luts.at(accumulatorBits, 0), flipFlops.at(accumulatorBits, 0));
	}

	/**
	 * One lane of the depthwise unit: its LUT multipliers of 8-bit weights by the lane's window and the tree adding
	 * them, registered (its line buffers and window registers aside). An activation width the table does not hold
	 * takes the nearest one's, scaled by {@code structure}'s ratio of the two (a function of the activation width).
	 */
	public Cost depthwiseLane(int activationBits, IntToDoubleFunction structure) {
		Cost exact = depthwiseLanes.get(activationBits);
		if (exact != null) {
			return exact;
		}
		int nearest = depthwiseLanes.keySet().stream()
				.min(Comparator.<Integer>comparingInt(a -> Math.abs(a - activationBits)).thenComparingInt(a -> a))
				.orElseThrow(() -> new IllegalStateException("the unit cost table has no depthwise lane"));
		return depthwiseLanes.get(nearest).times(structure.applyAsDouble(activationBits) / structure.applyAsDouble(nearest));
	}

	/**
	 * What Yosys counted for one configuration of the calibration, by its name ({@code calibrate.sh --list}): LUT,
	 * LUTRAM, FF, CARRY4, DSP48E1, RAMB18.
	 */
	public Optional<int[]> measured(String configuration) {
		return Optional.ofNullable(measured.get(configuration)).map(int[]::clone);
	}

	/** The names of the measured configurations, in the table's order. */
	public List<String> measuredConfigurations() {
		return new ArrayList<>(measured.keySet());
	}

	private Optional<RowKey> nearest(RowKey wanted) {
		return rows.keySet().stream()
				.filter(k -> k.datapath() == wanted.datapath() && k.kind() == wanted.kind())
				.min(Comparator.<RowKey>comparingInt(k -> Math.abs(k.bits() - wanted.bits())
						+ Math.abs(k.activationBits() - wanted.activationBits()))
						.thenComparingInt(RowKey::bits).thenComparingInt(RowKey::activationBits));
	}

	private static RowKey rowKey(String origin, String prefix) {
		// <datapath>-<kind>-<bits>-a<activation bits>
		String[] parts = prefix.split("-");
		if (parts.length != 4 || !parts[3].startsWith("a")) {
			throw new IllegalArgumentException(origin + ": '" + prefix + "' is not <datapath>-<kind>-<bits>-a<bits>");
		}
		Datapath datapath = null;
		for (Datapath d : Datapath.values()) {
			if (d.key.equals(parts[0])) {
				datapath = d;
			}
		}
		SchemeKind kind = null;
		for (SchemeKind k : SchemeKind.values()) {
			if (k.keyword().equals(parts[1])) {
				kind = k;
			}
		}
		if (datapath == null || kind == null) {
			throw new IllegalArgumentException(origin + ": '" + prefix + "' names no datapath and scheme");
		}
		return new RowKey(datapath, kind, (int) number(origin, prefix, parts[2]),
				(int) number(origin, prefix, parts[3].substring(1)));
	}

	private static Curve rowCurve(String origin, Properties properties, String prefix, String resource) {
		// an accumulator bit costs alike in every row: one figure per resource (calibration.py: a mean)
		return curve(origin, properties, prefix + ".lanes", prefix + "." + resource,
				(int) number(origin, properties, prefix + ".accumulator-bits"),
				number(origin, properties, "accumulator-bit." + resource));
	}

	private static Curve requantizerCurve(String origin, Properties properties, String prefix, String resource) {
		return curve(origin, properties, prefix + ".accumulator-bits", prefix + "." + resource, 0, 0);
	}

	private static Curve curve(String origin, Properties properties, String pointsKey, String countsKey,
			int accumulatorBits, double perAccumulatorBit) {
		double[] points = numbers(origin, properties, pointsKey);
		double[] counts = numbers(origin, properties, countsKey);
		if (points.length == 0 || points.length != counts.length) {
			throw new IllegalArgumentException(origin + ": " + countsKey + " has " + counts.length + " counts for the "
					+ points.length + " points of " + pointsKey);
		}
		for (int i = 1; i < points.length; i++) {
			if (points[i] <= points[i - 1]) {
				throw new IllegalArgumentException(origin + ": the points of " + pointsKey + " do not ascend");
			}
		}
		return new Curve(points, counts, accumulatorBits, perAccumulatorBit);
	}

	private static double[] numbers(String origin, Properties properties, String key) {
		String[] values = required(origin, properties, key).split("\\s+");
		double[] numbers = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			numbers[i] = number(origin, key, values[i]);
		}
		return numbers;
	}

	private static String required(String origin, Properties properties, String key) {
		String value = properties.getProperty(key);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(origin + ": no " + key);
		}
		return value.trim();
	}

	private static double number(String origin, Properties properties, String key) {
		return number(origin, key, required(origin, properties, key));
	}

	private static double number(String origin, String key, String value) {
		try {
			return Double.parseDouble(value.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(origin + ": " + key + " is not a number: '" + value + "'", e);
		}
	}
}
