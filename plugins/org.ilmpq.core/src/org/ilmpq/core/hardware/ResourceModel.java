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
import org.ilmpq.core.integer.IntegerArithmetic;
import org.ilmpq.core.integer.IntegerNetwork;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.SchemeKind;

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
		// a layer of wider inputs than the activations takes each value on two lanes (LayerWork.onLanes): the adder
		// trees' last level weighs the upper half by 2^A
		boolean halves = LayerWork.valuesOnHalves(bounds.maxInputBits(), activationBits, lanes);
		int widestAccumulator = 0;
		long laneSelect = 0;
		for (EngineConfig engine : config.engines()) {
			EngineWidths widths = EngineWidths.of(engine, workload, lanes);
			int accumulator = widths.accumulatorBits();
			Resources arithmetic = engine.onDsp() ? dspEngine(engine, lanes, activationBits, accumulator, halves)
					: lutEngine(engine, lanes, activationBits, widths.productBits(), accumulator);
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
	 * Fixed-point rows on DSP slices, rows sharing each activation; the lanes of a row are summed along the
	 * slices' cascade, so an unpacked engine needs no fabric arithmetic, but where the lanes' halves are weighed
	 * apart ({@code halves}): each half its cascade, and per row an accumulator-wide adder of the two, the upper
	 * shifted (the shift a multiplexer in the adder's LUTs: a LUT6 takes both operands' bits, the bit 2^A below and
	 * the select). A packed slice's products come out as fields of one result: their corrections (see
	 * {@link DspPacking}), and per row a tree adding its fields over the lanes and an accumulator-wide adder, are
	 * fabric; the tree's last level weighs the halves, in the same LUTs.
	 */
	static Resources dspEngine(EngineConfig engine, int lanes, int activationBits, int accumulator, boolean halves) {
		DspPacking packing = engine.packing();
		long slices = packing.slices(engine.rows(), lanes);
		if (!packing.packs()) {
			return halves ? new Resources(slices, engine.rows() * adder(accumulator), engine.rows() * accumulator, 0)
					: new Resources(slices, 0, 0, 0);
		}
		int field = DspPacking.fieldBits(engine.scheme().bits(), activationBits);
		long tree = FabricCosts.adderTree(lanes, field);
		long luts = packing.correctionLuts(slices, field) + engine.rows() * (tree + adder(accumulator));
		long ffs = engine.rows() * (tree + accumulator);
		return new Resources(slices, luts, ffs, 0);
	}

	/**
	 * The depthwise unit ({@link DepthwiseUnit}), per lane: a sliding window of {@link DepthwiseUnit#TAPS} lane values
	 * (registers), as many LUT multipliers of a weight by a lane, their registered products and a tree adding them
	 * into a registered sum, the output; its {@link DepthwiseUnit#LINES} line buffers, each two memories (the even and
	 * the odd columns) of distributed RAM. The DSP slices stay the engines'.
	 */
	static Resources depthwiseUnit(DepthwiseUnit unit, int activationBits) {
		int taps = DepthwiseUnit.TAPS;
		long lines = 2L * DepthwiseUnit.LINES
				* FabricCosts.distributedRam(activationBits + 1, LatencyModel.ceil(unit.lineWidth(), 2));
		long perLane = taps * FabricCosts.multiplier(DepthwiseUnit.WEIGHT_BITS, activationBits + 1)
				+ adderTree(taps, unit.productBits()) + lines;
		long registers = taps * (activationBits + 1L) + taps * unit.productBits() + unit.sumBits();
		return new Resources(0, unit.lanes() * perLane, unit.lanes() * registers, 0);
	}

	/**
	 * Power-of-two (or SP2) rows on LUTs: per unit a shifter (two for SP2, and their adder); per row a tree
	 * adding the lanes (whose last level weighs the upper half of the lanes by 2^A for a layer of wider inputs, a
	 * multiplexer in the adder's LUTs) and an accumulator. Every adder output is registered, so flip-flops follow the widths.
	 */
	static Resources lutEngine(EngineConfig engine, int lanes, int activationBits, int product, int accumulator) {
		long unit;
		if (engine.scheme().kind() == SchemeKind.SP2) {
			int shift = sp2MaxShift(engine.scheme().bits());
			unit = 2 * shifter(activationBits, shift) + adder(product);
		} else {
			unit = shifter(activationBits, potMaxShift(engine.scheme().bits()));
		}
		long rows = engine.rows();
		long tree = adderTree(lanes, product);
		long luts = rows * lanes * unit + rows * (tree + adder(accumulator));
		long ffs = rows * lanes * product + rows * (tree + accumulator);
		return new Resources(0, luts, ffs, 0);
	}

	/**
	 * One lane of the integer requantization (docs/quantization.md): the accumulator times the row's 17-bit
	 * multiplier M on DSP slices (accumulator on the A port, M on the B port; one slice while the accumulator fits
	 * the A port, UG479 / UG579), the product shifted left by 8 (wiring) and right by the row's shift + 8 (0 .. 39)
	 * in a barrel shifter,
	 * the bias added, for a fused residual add the operand's code times its 24-bit multiplier on one more slice and
	 * an adder, then rounding and the clamp: two comparators and a multiplexer. Registers after the product, the
	 * shift and the sum.
	 */
	static Resources outputStage(int accumulatorBits, boolean residual, DspSlice dsp) {
		int product = accumulatorBits + IntegerArithmetic.MULTIPLIER_BITS - IntegerArithmetic.MIN_SHIFT;
		long slices = (accumulatorBits + dsp.aBits() - 1) / dsp.aBits() + (residual ? 1 : 0);
		int codeBits = product - IntegerArithmetic.FRACTION_BITS;
		long luts = FabricCosts.barrelShifter(product, IntegerArithmetic.MAX_SHIFT - IntegerArithmetic.MIN_SHIFT)
				+ adder(product)
				+ (residual ? adder(product) : 0) + 2 * adder(codeBits) + IntegerNetwork.INPUT_BITS * 2L;
		long ffs = 3L * product;
		return new Resources(slices, luts, ffs, 0);
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
