package org.ilmpq.core.device;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An FPGA device (a die, e.g. XC7Z020) with the resources of its programmable logic, the part numbers it is
 * sold as, the boards built on it and the path from the logic to DRAM. Loaded from a data file by
 * {@link DeviceLibrary}; every figure in those files names its data-sheet source.
 *
 * @param parts part number (lower case, e.g. {@code xc7z020clg400-1}) to speed grade (e.g. {@code -1})
 * @param boards board name (as printed, e.g. {@code PYNQ-Z2}) to the part number it carries
 * @param maxClockMhz speed grade to the highest clock the device's global clock buffers are rated for
 * @param sustainableClockMhz the clocks HLS accelerators on this family reach in practice, low and high end
 * @param memory the AXI ports to DRAM and the DRAM bandwidth, per board where boards differ
 */
public record Device(String name, String family, String fabric, long luts, long flipFlops, long dspSlices,
		DspSlice dspType, long bram36, Map<String, String> parts, Map<String, String> boards,
		Map<String, Long> maxClockMhz, ClockRange sustainableClockMhz, MemoryPath memory) {

	public Device {
		parts = Map.copyOf(parts);
		boards = Map.copyOf(boards);
		maxClockMhz = Map.copyOf(maxClockMhz);
	}

	/** 18 Kb block RAMs: each 36 Kb one is two (UG473 / UG573). */
	public long bram18() {
		return 2 * bram36;
	}

	/** How much of {@code resource} the device has; block RAM in 18 Kb blocks. */
	public long available(Resource resource) {
		return switch (resource) {
		case DSP -> dspSlices;
		case LUT -> luts;
		case FF -> flipFlops;
		case BRAM -> bram18();
		};
	}

	public OptionalLong maxClockMhz(String speedGrade) {
		Long mhz = maxClockMhz.get(speedGrade);
		return mhz == null ? OptionalLong.empty() : OptionalLong.of(mhz);
	}

	/** Part numbers in a stable order, for messages and content assist. */
	public List<String> partNumbers() {
		return parts.keySet().stream().sorted().toList();
	}

	/** A range of clock frequencies in MHz, both ends included. */
	public record ClockRange(long low, long high) {
		@Override
		public String toString() {
			return low + "-" + high + " MHz";
		}
	}

	/**
	 * How the accelerator reaches DRAM: {@code hpPorts} AXI ports of {@code hpWidthBits} each, to a DRAM of
	 * {@code ddrMbps} MB/s peak ({@code boardDdrMbps} where a board's memory differs from the device default), of
	 * which {@code ddrEfficiencyPercent} is sustainable; the DRAM moves at least {@code ddrAccessBytes} a column
	 * access, its data width times its burst length ({@code boardDdrAccessBytes} per board; 0 where unknown: a
	 * transaction then costs its own bytes).
	 */
	public record MemoryPath(int hpPorts, int hpWidthBits, long ddrMbps, Map<String, Long> boardDdrMbps,
			int ddrEfficiencyPercent, long ddrAccessBytes, Map<String, Long> boardDdrAccessBytes) {
		public MemoryPath {
			boardDdrMbps = Map.copyOf(boardDdrMbps);
			boardDdrAccessBytes = Map.copyOf(boardDdrAccessBytes);
		}

		/** A memory path whose DRAM's access size is not known. */
		public MemoryPath(int hpPorts, int hpWidthBits, long ddrMbps, Map<String, Long> boardDdrMbps,
				int ddrEfficiencyPercent) {
			this(hpPorts, hpWidthBits, ddrMbps, boardDdrMbps, ddrEfficiencyPercent, 0, Map.of());
		}
	}
}
