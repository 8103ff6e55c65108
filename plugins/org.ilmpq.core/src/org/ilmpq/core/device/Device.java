package org.ilmpq.core.device;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An FPGA device (a die, e.g. XC7Z020) with the resources of its programmable logic, the part numbers it is
 * sold as and the boards built on it. Loaded from a data file by {@link DeviceLibrary}; every figure in those
 * files names its data-sheet source.
 *
 * @param parts part number (lower case, e.g. {@code xc7z020clg400-1}) to speed grade (e.g. {@code -1})
 * @param boards board name (as printed, e.g. {@code PYNQ-Z2}) to the part number it carries
 * @param maxClockMhz speed grade to the highest clock the device's global clock buffers are rated for
 */
public record Device(String name, String family, String fabric, long luts, long flipFlops, long dspSlices,
		String dspType, long bram36, Map<String, String> parts, Map<String, String> boards,
		Map<String, Long> maxClockMhz) {

	public Device {
		parts = Map.copyOf(parts);
		boards = Map.copyOf(boards);
		maxClockMhz = Map.copyOf(maxClockMhz);
	}

	public OptionalLong maxClockMhz(String speedGrade) {
		Long mhz = maxClockMhz.get(speedGrade);
		return mhz == null ? OptionalLong.empty() : OptionalLong.of(mhz);
	}

	/** Part numbers in a stable order, for messages and content assist. */
	public List<String> partNumbers() {
		return parts.keySet().stream().sorted().toList();
	}
}
