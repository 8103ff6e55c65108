package org.ilmpq.core.hardware;

import static org.ilmpq.core.hardware.FabricCosts.adder;
import static org.ilmpq.core.hardware.FabricCosts.adderTree;
import static org.ilmpq.core.hardware.FabricCosts.multiplexer;
import static org.ilmpq.core.hardware.FabricCosts.shifter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;
import org.ilmpq.core.quant.WeightQuantizer;

/**
 * The resources an accelerator configuration needs for a workload, component by component. Every formula is in
 * docs/hardware-model.md, "Resources", with its derivation; the constants with their sources are the fields
 * below.
 */
public final class ResourceModel {

	/**
	 * The fixed part of the design: AXI masters for weights and activations, the AXI-Lite control slave, the
	 * layer sequencer and address generation. Not from a data sheet: a calibration constant of the order of an HLS
	 * design's interface adapters (Vitis HLS m_axi adapters with their burst FIFOs take on the order of a
	 * thousand LUTs and a few RAMB18 each), to be replaced by the figures of a synthesis report.
	 */
	public static final Resources SHELL = new Resources(0, 4_000, 6_000, 8);

	/** One named part of a design and what it costs. */
	public record Item(String component, Resources resources) {
	}

	/** All parts of a design and their sum. */
	public record Estimate(List<Item> items, Resources total) {
	}

	private ResourceModel() {
	}

	public static Estimate estimate(AcceleratorConfig config, Workload workload, Device device) {
		List<Item> items = new ArrayList<>();
		components(config, workload, WorkloadBounds.of(workload, config.tile(), device.memory().hpWidthBits()), device,
				(name, resources) -> items.add(new Item(name.get(), resources)));
		Resources total = items.stream().map(Item::resources).reduce(Resources.NONE, Resources::plus);
		return new Estimate(items, total);
	}

	/**
	 * The sum alone, without naming the parts: what a search asks for most often, with the workload's bounds for
	 * the configuration's tile computed once (see {@link WorkloadBounds#of}).
	 */
	public static Resources total(AcceleratorConfig config, Workload workload, WorkloadBounds bounds,
			Device device) {
		Resources[] total = { Resources.NONE };
		components(config, workload, bounds, device, (name, resources) -> total[0] = total[0].plus(resources));
		return total[0];
	}

	/**
	 * Every part of a design, named on demand, as the generated {@code weight_layer} declares it (docs/hls.md): the
	 * engines with their widths ({@link EngineWidths}); per engine the weight registers of the position that computes
	 * and the next and the accumulators of the step that computes and of the one whose output stage runs behind it;
	 * the output stage's lanes, two requantizers each; the input tiles of the lane group that computes and the next,
	 * a memory per lane (the lanes of a layer with its kernel columns on the lanes write at different places); the
	 * output and residual tile buffers; the shell.
	 */
	private static void components(AcceleratorConfig config, Workload workload, WorkloadBounds bounds,
			Device device, BiConsumer<Supplier<String>, Resources> parts) {
		int activationBits = workload.activations().bits();
		int lanes = config.lanes();
		boolean residual = bounds.residualTile().banks() > 0;
		int widestAccumulator = 0;
		long laneSelect = 0;
		for (EngineConfig engine : config.engines()) {
			EngineWidths widths = EngineWidths.of(engine, workload, lanes);
			int accumulator = widths.accumulatorBits();
			Resources arithmetic = engine.onDsp() ? dspEngine(engine, lanes, activationBits, accumulator)
					: lutEngine(engine, lanes, activationBits, accumulator);
			parts.accept(() -> engine.scheme() + " engine", arithmetic);
			parts.accept(() -> engine.scheme() + " weight registers",
					new Resources(0, 0, 2L * engine.rows() * lanes * engine.scheme().bits(), 0));
			parts.accept(() -> engine.scheme() + " accumulators",
					buffer((long) engine.rows() * accumulator, bounds.maxOutputTileArea()));
			widestAccumulator = Math.max(widestAccumulator, accumulator);
			// a lane takes any row of the engine: a multiplexer over the rows per accumulator (one per pixel) and
			// for the row's parameter word
			laneSelect += multiplexer(engine.rows())
					* (LoopNestSchedule.OUTPUT_PIXELS_PER_CYCLE * accumulator + FeatureMapLayout.PARAMETER_BITS);
		}
		Optional<DepthwiseUnit> depthwise = DepthwiseUnit.of(config, workload);
		if (depthwise.isPresent()) {
			DepthwiseUnit unit = depthwise.get();
			parts.accept(() -> "depthwise unit", depthwiseUnit(unit, activationBits));
			parts.accept(() -> "depthwise weight registers",
					new Resources(0, 0, 2L * lanes * DepthwiseUnit.TAPS * DepthwiseUnit.WEIGHT_BITS, 0));
			parts.accept(() -> "depthwise accumulators",
					buffer((long) lanes * unit.accumulatorBits(), bounds.maxOutputTileArea()));
			widestAccumulator = Math.max(widestAccumulator, unit.accumulatorBits());
			// output lane j reads the unit's lanes j, j + L, ...: a multiplexer over lanes / L of them
			laneSelect += multiplexer(lanes / config.outputLanes())
					* (LoopNestSchedule.OUTPUT_PIXELS_PER_CYCLE * unit.accumulatorBits() + FeatureMapLayout.PARAMETER_BITS);
		}
		parts.accept(() -> "input buffer", buffer(bounds.maxInputBits() + 1, bounds.maxInputTileArea()).times(lanes));
		// two output tile buffers: one takes a tile's output stage while the other's words are stored
		parts.accept(() -> "output tile buffers", tileBuffer(bounds.outputTile()).times(2));
		if (residual) {
			parts.accept(() -> "residual tile buffer", tileBuffer(bounds.residualTile()));
		}
		// the output stage of a step runs behind the next: its lanes, each two pixels of a row a cycle, each taking
		// its rows of every engine, one engine's after the other's (LoopNestSchedule)
		int lanesOut = config.outputLanes();
		Resources outputStage = outputStage(widestAccumulator, residual, device.dspType())
				.times((long) LoopNestSchedule.OUTPUT_PIXELS_PER_CYCLE * lanesOut)
				.plus(new Resources(0, lanesOut * laneSelect, 0, 0));
		parts.accept(() -> "output stage", outputStage);
		parts.accept(() -> "shell", SHELL);
	}

	/**
	 * Fixed-point rows on DSP slices, rows sharing each activation: the slices of {@link DspPacking}, and per row its
	 * lanes' products summed by adder trees over each half of the lanes in the fabric, the upper half weighed
	 * 2^A, into its accumulator; a packed slice's products taken apart too (WP486's correction). The fabric's
	 * LUTs and flip-flops from the unit cost table: what Yosys made of {@code ilmpq_packed_rows} or, one product a
	 * slice, of {@code ilmpq_engine_row} (docs/hardware-model.md, "Calibration").
	 */
	static Resources dspEngine(EngineConfig engine, int lanes, int activationBits, int accumulator) {
		DspPacking packing = engine.packing();
		long slices = packing.slices(engine.rows(), lanes);
		UnitCostTable table = UnitCostTable.xc7();
		UnitCostTable.Cost row = packing.packs()
				? table.row(UnitCostTable.Datapath.PACKED, engine.scheme(), activationBits, lanes, accumulator,
						ResourceModel::structuralPackedRow)
				: table.row(UnitCostTable.Datapath.PRODUCTS, engine.scheme(), activationBits, lanes, accumulator,
						ResourceModel::structuralProductsRow);
		return withFabric(slices, row.times(engine.rows()), table);
	}

	/**
	 * The depthwise unit ({@link DepthwiseUnit}), per lane: a sliding window of {@link DepthwiseUnit#TAPS} lane values
	 * (registers); as many LUT multipliers of a weight by a lane, their registered products and a tree adding them
	 * into a registered sum, from the unit cost table (what Yosys made of {@code ilmpq_depthwise_lane}); its
	 * {@link DepthwiseUnit#LINES} line buffers, each two memories (the even and the odd columns) of distributed RAM.
	 * The DSP slices stay the engines'.
	 */
	static Resources depthwiseUnit(DepthwiseUnit unit, int activationBits) {
		int taps = DepthwiseUnit.TAPS;
		long lines = 2L * DepthwiseUnit.LINES
				* FabricCosts.distributedRam(activationBits + 1, LatencyModel.ceil(unit.lineWidth(), 2));
		UnitCostTable table = UnitCostTable.xc7();
		UnitCostTable.Cost lane = table.depthwiseLane(activationBits, a -> taps
				* FabricCosts.multiplier(DepthwiseUnit.WEIGHT_BITS, a + 1) + adderTree(taps, unit.productBits()));
		long window = taps * (activationBits + 1L);
		return new Resources(0, table.deratedLuts(unit.lanes() * lane.luts()) + unit.lanes() * lines,
				table.deratedFlipFlops(unit.lanes() * lane.flipFlops()) + unit.lanes() * window, 0);
	}

	/**
	 * Power-of-two (or SP2) rows on LUTs: per lane a shifter (two for SP2, and their adder) and the product's
	 * sign; per row adder trees over each half of the lanes, the upper half weighed 2^A, and an accumulator. From
	 * the unit cost table: what Yosys made of {@code ilmpq_engine_row} (docs/hardware-model.md, "Calibration").
	 */
	static Resources lutEngine(EngineConfig engine, int lanes, int activationBits, int accumulator) {
		UnitCostTable table = UnitCostTable.xc7();
		UnitCostTable.Cost row = table.row(UnitCostTable.Datapath.LUT, engine.scheme(), activationBits, lanes,
				accumulator, ResourceModel::structuralLutRow);
		return withFabric(0, row.times(engine.rows()), table);
	}

	private static Resources withFabric(long dsp, UnitCostTable.Cost fabric, UnitCostTable table) {
		return new Resources(dsp, table.deratedLuts(fabric.luts()), table.deratedFlipFlops(fabric.flipFlops()), 0);
	}

	/**
	 * The structure of a LUT row (UG474's carry chains and multiplexers, {@link FabricCosts}): per lane a shifter
	 * (two for SP2, and their adder), a tree over the lanes' products and an accumulator. Scales a calibrated row to
	 * a scheme or activation width the table does not hold.
	 */
	static double structuralLutRow(Scheme scheme, int activationBits, int lanes, int accumulator) {
		int product = productBits(scheme, activationBits);
		long unit = scheme.kind() == SchemeKind.SP2
				? 2 * shifter(activationBits, sp2MaxShift(scheme.bits())) + adder(product)
				: shifter(activationBits, potMaxShift(scheme.bits()));
		return (double) lanes * unit + adderTree(lanes, product) + adder(accumulator);
	}

	/** The structure of a packed row: its share of its slices' corrections, a tree over its fields, an accumulator. */
	static double structuralPackedRow(Scheme scheme, int activationBits, int lanes, int accumulator) {
		int field = DspPacking.fieldBits(scheme.bits(), activationBits);
		DspPacking packing = DspPacking.of(DspSlice.DSP48E1, scheme.bits(), activationBits);
		double correction = (double) packing.correctionLuts(lanes, field) / packing.productsPerDsp();
		return correction + adderTree(lanes, field) + adder(accumulator);
	}

	/** The structure of a row of one product a slice: a tree over its products in the fabric, an accumulator. */
	static double structuralProductsRow(Scheme scheme, int activationBits, int lanes, int accumulator) {
		return adderTree(lanes, productBits(scheme, activationBits)) + adder(accumulator);
	}

	private static int productBits(Scheme scheme, int activationBits) {
		return EngineWidths.signedBits((1L << activationBits) * WeightQuantizer.of(scheme).largestMagnitude());
	}

	/**
	 * One requantizer of the output stage (docs/quantization.md): the accumulator times the row's 17-bit multiplier
	 * M on DSP slices (accumulator on the A port, M on the B port; one slice while the accumulator fits the A port,
	 * UG479 / UG579), the product shifted left by 8 (wiring) and right by the row's shift + 8 (0 .. 39), the bias
	 * added, for a fused residual add the operand's code times its 24-bit multiplier on one more slice and an adder,
	 * then rounding and the clamp; registers after the products, the sum and the code. LUTs and flip-flops from the
	 * unit cost table: what Yosys made of {@code ilmpq_requantizer}.
	 */
	static Resources outputStage(int accumulatorBits, boolean residual, DspSlice dsp) {
		long slices = (accumulatorBits + dsp.aBits() - 1) / dsp.aBits() + (residual ? 1 : 0);
		UnitCostTable table = UnitCostTable.xc7();
		return withFabric(slices, table.requantizer(accumulatorBits, residual), table);
	}

	/** A tile buffer of banks of codes, written once per tile and read out as words: single-buffered. */
	static Resources tileBuffer(WorkloadBounds.TileBuffer buffer) {
		return new Resources(0, buffer.banks() * BlockRamMapping.distributedRamLuts(buffer.codeBits(), buffer.depth()), 0,
				buffer.banks() * BlockRamMapping.ramb18(buffer.codeBits(), buffer.depth()));
	}

	/** A double-buffered buffer: twice the block RAM, or twice the distributed RAM, of one copy. */
	static Resources buffer(long widthBits, long depth) {
		return new Resources(0, 2 * BlockRamMapping.distributedRamLuts(widthBits, depth), 0,
				2 * BlockRamMapping.ramb18(widthBits, depth));
	}

	/**
	 * The largest shift of an m-bit power-of-two weight: one sign bit and m - 1 exponent bits give 2^(m-1) codes,
	 * one of them zero, so shifts 0 .. 2^(m-1) - 2 (Mix-and-Match): 0..6 for pot 4.
	 */
	public static int potMaxShift(int bits) {
		return (1 << (bits - 1)) - 2;
	}

	/**
	 * An m-bit SP2 weight is a sign and two exponent fields sharing the other m - 1 bits; the wider field has
	 * ceil((m - 1) / 2) = m / 2 bits, one code of which is zero. An approximation (Mix-and-Match gives the exact
	 * level sets): both shifters are costed as the wider one.
	 */
	static int sp2MaxShift(int bits) {
		return (1 << (bits / 2)) - 2;
	}
}
