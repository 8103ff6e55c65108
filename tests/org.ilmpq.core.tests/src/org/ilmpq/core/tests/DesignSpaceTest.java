package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.device.Resource;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.Baselines;
import org.ilmpq.core.exploration.DesignSearch;
import org.ilmpq.core.exploration.ParetoFront;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.AcceleratorConfig;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.DspPacking;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.Resources;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.hardware.WorkloadBounds;
import org.ilmpq.core.integer.CodeFormat;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.core.model.TensorShape;
import org.ilmpq.core.quant.RowAllocator;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.quant.Share;
import org.ilmpq.core.quant.Split;
import org.junit.jupiter.api.Test;

/** The guards every design keeps, and the searches over designs and splits. */
class DesignSpaceTest {

	private static final Split ILMPQ = new Split(List.of(new Share(Scheme.pot(4), BigDecimal.valueOf(60)),
			new Share(Scheme.fixed(4), BigDecimal.valueOf(35)), new Share(Scheme.fixed(8), BigDecimal.valueOf(5))));

	/** A small ResNet-like network: a stem, two stages of 3x3 convolutions, a classifier. */
	private static Workload network(Split split) {
		List<LayerWork> layers = new ArrayList<>();
		layers.add(conv("stem", 3, 32, 32, 32, 3, 1, new CodeFormat(Workload.INPUT_BITS, true), split));
		layers.add(conv("s1a", 32, 32, 32, 32, 3, 1, ACTIVATIONS, split));
		layers.add(conv("s1b", 32, 32, 32, 32, 3, 1, ACTIVATIONS, split));
		layers.add(conv("s2a", 32, 64, 32, 16, 3, 2, ACTIVATIONS, split));
		layers.add(conv("s2b", 64, 64, 16, 16, 3, 1, ACTIVATIONS, split));
		layers.add(new LayerWork("fc", 10, 1, TensorShape.flat(64), TensorShape.flat(10), Size2d.square(1),
				Size2d.square(1), Size2d.square(0), Size2d.square(1), ACTIVATIONS, new CodeFormat(8, true),
				Optional.empty(), split, LayerWork.rowsPerScheme(RowAllocator.allocate(split, 10))));
		return new Workload("small", layers, Scheme.fixed(4));
	}

	private static final CodeFormat ACTIVATIONS = new CodeFormat(4, false);

	/** A conv with padding (kernel - 1) / 2, stride 1 or 2, 4-bit unsigned codes out. */
	private static LayerWork conv(String name, long in, long out, long inSize, long outSize, long kernel, long stride,
			CodeFormat input, Split split) {
		return new LayerWork(name, out, 1, new TensorShape(in, inSize, inSize), new TensorShape(out, outSize, outSize),
				Size2d.square(kernel), Size2d.square(stride), Size2d.square((kernel - 1) / 2), Size2d.square(1), input,
				ACTIVATIONS, Optional.empty(), split, LayerWork.rowsPerScheme(RowAllocator.allocate(split, out)));
	}

	private static final Target PYNQ_Z2 = new Target(DeviceLibrary.builtIn().resolve("PYNQ-Z2").orElseThrow(),
			BigDecimal.valueOf(100), Map.of());

	@Test
	void noDesignComputesFasterThanItsUnitsOrMovesDataFasterThanTheMemory() {
		Random random = new Random(2111_00155L);
		Workload workload = network(ILMPQ);
		for (int i = 0; i < 300; i++) {
			int lanes = 1 << random.nextInt(7);
			AcceleratorConfig config = new AcceleratorConfig(lanes, 1 + random.nextInt(40), 4, List.of(
					new EngineConfig(Scheme.pot(4), 1 + random.nextInt(64), DspPacking.NONE),
					new EngineConfig(Scheme.fixed(4), 1 + random.nextInt(64), random.nextBoolean() ? new DspPacking(4)
							: DspPacking.NONE),
					new EngineConfig(Scheme.fixed(8), 1 + random.nextInt(16), new DspPacking(2))));
			DesignEstimate design = DesignEstimate.of(config, workload, PYNQ_Z2);
			// the physical peak: every DSP slice of the engines at its packing, every LUT unit, every cycle
			assertTrue(design.gops() <= design.peakGops() + 1e-9, config::toString);
			for (LayerTiming layer : design.layers()) {
				assertTrue(layer.bytes() <= layer.cycles() * design.bandwidth().bytesPerCycle(), config::toString);
				assertTrue(layer.layer().macs() <= layer.cycles() * config.peakMacsPerCycle(), config::toString);
			}
		}
	}

	@Test
	void theTotalsASearchComparesAreTheSumsOfWhatAReportShows() {
		// a search compares designs by cycles and resource totals computed without naming their parts; a report
		// names the parts: both must add up to the same
		Workload workload = network(ILMPQ);
		Random random = new Random(11);
		for (int i = 0; i < 100; i++) {
			AcceleratorConfig config = new AcceleratorConfig(1 << random.nextInt(7), DesignSearch.TILES[random
					.nextInt(DesignSearch.TILES.length)], 4, List.of(
							new EngineConfig(Scheme.pot(4), 1 + random.nextInt(100), DspPacking.NONE),
							new EngineConfig(Scheme.fixed(4), 1 + random.nextInt(100), new DspPacking(4)),
							new EngineConfig(Scheme.fixed(8), 1 + random.nextInt(20), new DspPacking(2))));
			DesignEstimate design = DesignEstimate.of(config, workload, PYNQ_Z2);
			assertEquals(design.layers().stream().mapToLong(LayerTiming::cycles).sum(), design.cycles(),
					config.toString());
			assertEquals(design.resources().total(), design.used(), config.toString());
		}
	}

	@Test
	void aDesignIsFeasibleExactlyWhenEveryResourceIsWithinItsBudget() {
		Workload workload = network(ILMPQ);
		Random random = new Random(7);
		for (int i = 0; i < 200; i++) {
			AcceleratorConfig config = new AcceleratorConfig(1 << random.nextInt(6), 14, 4, List.of(
					new EngineConfig(Scheme.pot(4), 1 + random.nextInt(200), DspPacking.NONE),
					new EngineConfig(Scheme.fixed(4), 1 + random.nextInt(200), new DspPacking(4)),
					new EngineConfig(Scheme.fixed(8), 1 + random.nextInt(40), new DspPacking(2))));
			DesignEstimate design = DesignEstimate.of(config, workload, PYNQ_Z2);
			boolean within = design.resources().total().dsp() <= 220 && design.resources().total().lut() <= 53_200
					&& design.resources().total().ff() <= 106_400 && design.resources().total().bram18() <= 280;
			assertEquals(within, design.feasible(), config.toString());
		}
	}

	@Test
	void theSearchFindsAFeasibleDesignThatUsesTheBudget() {
		DesignEstimate best = DesignSearch.best(network(ILMPQ), PYNQ_Z2, DesignSearch.Packing.DENSEST).orElseThrow();
		assertTrue(best.feasible());
		double largest = 0;
		for (Resource resource : Resource.values()) {
			largest = Math.max(largest, best.utilisation(resource));
		}
		assertTrue(largest > 0.8, "some resource binds: " + largest);
	}

	@Test
	void packingMakesTheFixedPointBaselineFaster() {
		Workload workload = network(ILMPQ);
		Set<String> all = workload.layers().stream().map(LayerWork::name).collect(Collectors.toSet());
		Map<Baselines.Kind, DesignEstimate> baselines = Baselines.all(workload, all, ILMPQ, PYNQ_Z2);
		assertEquals(List.of(Baselines.Kind.values()), List.copyOf(baselines.keySet()));
		assertTrue(baselines.get(Baselines.Kind.FIXED4_DSP_PACKED).cycles() < baselines.get(Baselines.Kind.FIXED4_DSP)
				.cycles());
	}

	/** A device like the XC7Z020 with other LUT and DSP counts, and abundant block RAM and DRAM. */
	private static Target synthetic(long luts, long dsps) {
		Device device = new Device("SYNTHETIC", "test", "test", luts, 10 * luts, dsps, DspSlice.DSP48E1, 100_000,
				Map.of("synthetic-1", "-1"), Map.of(), Map.of(), new Device.ClockRange(100, 100),
				new Device.MemoryPath(4, 1024, 1_000_000, Map.of(), 100));
		return new Target(new Part(device, "synthetic-1", "-1", java.util.Optional.empty()), BigDecimal.valueOf(100),
				Map.of());
	}

	@Test
	void withLutsToSpareAndFewDspsTheOptimiserPutsMostRowsOnLuts() {
		// 40 DSPs: the fixed-point engines stay tiny, so only a large power-of-two share finishes each layer in one
		// row step; from 85 % on every engine does, and the splits tie
		Workload workload = network(ILMPQ);
		Set<String> all = workload.layers().stream().map(LayerWork::name).collect(Collectors.toSet());
		SplitOptimiser.Result result = SplitOptimiser.optimise(workload, all, ILMPQ, synthetic(2_000_000, 40),
				SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE).orElseThrow();
		assertTrue(result.best().split().shares().get(0).percent().compareTo(BigDecimal.valueOf(85)) >= 0,
				result.best().split()::toString);
	}

	@Test
	void withDspsToSpareAndFewLutsTheOptimiserPutsAsFewRowsAsItCanOnLuts() {
		Workload workload = network(ILMPQ);
		Set<String> all = workload.layers().stream().map(LayerWork::name).collect(Collectors.toSet());
		SplitOptimiser.Result result = SplitOptimiser.optimise(workload, all, ILMPQ, synthetic(15_000, 20_000),
				SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE).orElseThrow();
		assertEquals(BigDecimal.ZERO, result.best().split().shares().get(0).percent());
	}

	@Test
	void noDesignOfTheParetoFrontIsBeatenOnEveryObjective() {
		Workload workload = network(ILMPQ);
		List<DesignEstimate> explored = new ArrayList<>();
		DesignSearch.best(workload, PYNQ_Z2, DesignSearch.Packing.DENSEST, explored::add);
		List<DesignEstimate> front = ParetoFront.of(explored);
		assertTrue(!front.isEmpty() && front.size() <= explored.size());
		for (DesignEstimate kept : front) {
			for (DesignEstimate other : explored) {
				Resources a = other.resources().total();
				Resources b = kept.resources().total();
				boolean dominates = other.cycles() <= kept.cycles() && a.lut() <= b.lut() && a.dsp() <= b.dsp()
						&& (other.cycles() < kept.cycles() || a.lut() < b.lut() || a.dsp() < b.dsp());
				assertTrue(!dominates, kept.config() + " is dominated by " + other.config());
			}
		}
	}

	@Test
	void theSearchTriesOutputStagesOfFourLanesAndMoreWhereTheBanksAllow() {
		// 4-bit activations, 16 a 64-bit word, and the classifier's 8-bit codes, 8 a word: four lanes or eight; on
		// 32-bit words the classifier's 4 a word allow four only
		Workload workload = network(ILMPQ);
		assertEquals(List.of(4, 8), DesignSearch.outputLanes(WorkloadBounds.of(workload, 14, 64)));
		assertEquals(List.of(4), DesignSearch.outputLanes(WorkloadBounds.of(workload, 14, 32)));
	}

	@Test
	void noEngineIsLargerThanTheLayersCanUse() {
		// on a ZCU102 the budget would allow hundreds of rows; the largest layer has 64 rows: 39 pot 4, 22 fixed 4,
		// 3 fixed 8 (RowAllocatorTest), and an engine larger than that only costs resources
		Target zcu102 = new Target(DeviceLibrary.builtIn().resolve("ZCU102").orElseThrow(), BigDecimal.valueOf(100),
				Map.of());
		DesignEstimate best = DesignSearch.best(network(ILMPQ), zcu102, DesignSearch.Packing.DENSEST).orElseThrow();
		Map<Scheme, Integer> most = Map.of(Scheme.pot(4), 39, Scheme.fixed(4), 22, Scheme.fixed(8), 3);
		for (EngineConfig engine : best.config().engines()) {
			assertTrue(engine.rows() <= most.get(engine.scheme()), best.config().toString());
		}
	}

	@Test
	void onATightLutBudgetTheSearchFallsBackToUnpackedEngines() {
		// packing four 4-bit products into a DSP costs canary LUTs and a lane adder per row; the smallest unpacked
		// design needs fewer LUTs than the smallest packed one
		Workload workload = network(ILMPQ);
		DesignEstimate unpacked = org.ilmpq.core.report.DeviceStudy.smallestDesign(workload, PYNQ_Z2);
		BigDecimal justEnough = BigDecimal.valueOf(unpacked.used().lut() * 100.0 / 53_200 + 0.001);
		Target tight = new Target(PYNQ_Z2.part(), BigDecimal.valueOf(100), Map.of(Resource.LUT, justEnough));
		DesignEstimate best = DesignSearch.best(workload, tight, DesignSearch.Packing.DENSEST).orElseThrow();
		assertTrue(best.config().engines().stream().noneMatch(e -> e.packing().packs()), best.config().toString());
	}

	@Test
	void theOptimiserHoldsTheEightBitShare() {
		// pot 4 and fixed 8: the 8-bit rows are there for accuracy; there is no 4-bit fixed-point share to trade
		Split potAndFixed8 = new Split(List.of(new Share(Scheme.pot(4), BigDecimal.valueOf(90)),
				new Share(Scheme.fixed(8), BigDecimal.TEN)));
		Workload workload = network(potAndFixed8);
		Set<String> all = workload.layers().stream().map(LayerWork::name).collect(Collectors.toSet());
		assertEquals(java.util.Optional.empty(), SplitOptimiser.optimise(workload, all, potAndFixed8, PYNQ_Z2,
				SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE));
	}

	@Test
	void withoutAnEightBitShareTheInterLayerBaselineIsAllFourBit() {
		Split twoSchemes = new Split(List.of(new Share(Scheme.pot(4), BigDecimal.valueOf(60)),
				new Share(Scheme.fixed(4), BigDecimal.valueOf(40))));
		Workload workload = network(twoSchemes);
		Set<String> all = workload.layers().stream().map(LayerWork::name).collect(Collectors.toSet());
		DesignEstimate interLayer = Baselines.of(Baselines.Kind.INTER_LAYER, workload, all, twoSchemes, PYNQ_Z2)
				.orElseThrow();
		assertEquals(List.of(Scheme.fixed(4)), interLayer.workload().schemes());
	}
}
