package org.ilmpq.core.device;

import java.util.Optional;

/**
 * A concrete part of a device, as a spec names it: by part number, or by the board that carries it.
 *
 * @param number the part number, e.g. {@code xc7z020clg400-1}
 * @param speedGrade e.g. {@code -1}
 * @param board the board name the spec used, if it used one
 */
public record Part(Device device, String number, String speedGrade, Optional<String> board) {

	/** The DRAM's peak bandwidth, MB/s: the board's where it has its own figure, the device default otherwise. */
	public long ddrMbps() {
		Device.MemoryPath memory = device.memory();
		return board.map(b -> memory.boardDdrMbps().get(b)).orElse(memory.ddrMbps());
	}

	/**
	 * Bytes the DRAM moves at least per access (data width x burst length): the board's where it has its own
	 * figure, the device default otherwise; 0 where the device file does not say.
	 */
	public long ddrAccessBytes() {
		Device.MemoryPath memory = device.memory();
		return board.map(b -> memory.boardDdrAccessBytes().get(b)).orElse(memory.ddrAccessBytes());
	}

	@Override
	public String toString() {
		return board.map(b -> b + " (" + number + ")").orElse(number);
	}
}
