package org.ilmpq.core.hardware;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.ilmpq.core.quant.Scheme;

/**
 * One accelerator for every layer (the point of ILMPQ: one ratio, one configuration): engines that share the
 * same input lanes and spatial tiles, after the tiled convolution engine of Zhang et al. (FPGA 2015) that
 * FILM-QNN builds on.
 *
 * @param lanes the Tn of every engine: input channels consumed per cycle
 * @param tile the output tile Tr = Tc: the feature map is computed in tile x tile pieces
 * @param outputLanes the output stage's lanes, each requantizing two pixels of a row a cycle (a power of two;
 *            {@link LoopNestSchedule#MAX_OUTPUT_LANES})
 * @param engines one per scheme
 */
public record AcceleratorConfig(int lanes, int tile, int outputLanes, List<EngineConfig> engines) {

	public AcceleratorConfig {
		engines = List.copyOf(engines);
		if (lanes < 1 || tile < 1) {
			throw new IllegalArgumentException("lanes and tile are at least 1");
		}
		if (outputLanes < 1 || Integer.bitCount(outputLanes) != 1) {
			throw new IllegalArgumentException("the output lanes are a power of two: " + outputLanes);
		}
	}

	/** The same lanes, tile and output stage with other engines. */
	public AcceleratorConfig withEngines(List<EngineConfig> others) {
		return new AcceleratorConfig(lanes, tile, outputLanes, others);
	}

	/** The same design running a layer in tiles of {@code other} outputs a side ({@link LatencyModel#tile}). */
	public AcceleratorConfig withTile(int other) {
		return new AcceleratorConfig(lanes, other, outputLanes, engines);
	}

	public Optional<EngineConfig> engine(Scheme scheme) {
		for (EngineConfig engine : engines) {
			if (engine.scheme().equals(scheme)) {
				return Optional.of(engine);
			}
		}
		return Optional.empty();
	}

	/** Multiply-accumulate units: what the array could do per cycle if every one were busy. */
	public long peakMacsPerCycle() {
		return engines.stream().mapToLong(e -> (long) e.rows() * lanes).sum();
	}

	public int totalRows() {
		return engines.stream().mapToInt(EngineConfig::rows).sum();
	}

	@Override
	public String toString() {
		return "Tn " + lanes + ", tile " + tile + "x" + tile + ", " + outputLanes + " output lanes; "
				+ engines.stream().map(EngineConfig::toString).collect(Collectors.joining("; "));
	}
}
