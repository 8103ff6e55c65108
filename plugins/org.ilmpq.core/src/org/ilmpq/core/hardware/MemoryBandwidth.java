package org.ilmpq.core.hardware;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.Part;
import java.math.BigInteger;

/**
 * The DRAM bandwidth the accelerator can sustain, in bytes per accelerator cycle: the smaller of what its AXI
 * ports carry at its clock (ports x width / 8 per cycle) and the sustainable share of the board's DRAM peak
 * (peak x efficiency / clock). On every supported board the ports together exceed the DRAM, so the DRAM binds.
 * The bound is kept as an exact fraction too, {@code bytes} bytes every {@code cycles} cycles, so that the hardware
 * model and the generated cycle-counting simulation round the same way.
 *
 * @param wordBits the width of one port's words, in which feature maps and weights are packed
 *            ({@link FeatureMapLayout})
 * @param bytes with {@code cycles}: the sustained bandwidth as the fraction bytes / cycles, in lowest terms
 */
public record MemoryBandwidth(double bytesPerCycle, double portBytesPerCycle, double dramBytesPerCycle,
		int wordBits, long bytes, long cycles) {

	public static MemoryBandwidth of(Part part, double clockMhz) {
		Device.MemoryPath memory = part.device().memory();
		double ports = memory.hpPorts() * memory.hpWidthBits() / 8.0;
		double dram = part.ddrMbps() * memory.ddrEfficiencyPercent() / 100.0 / clockMhz;
		// ports: hpPorts x width / 8 bytes a cycle; DRAM: MB/s x percent / 100 / MHz = MB/s x percent x 10 / kHz
		long portBytes = (long) memory.hpPorts() * memory.hpWidthBits();
		long portCycles = 8;
		long dramBytes = part.ddrMbps() * memory.ddrEfficiencyPercent() * 10;
		long dramCycles = Math.round(clockMhz * 1000);
		boolean dramBinds = dramBytes * portCycles <= portBytes * dramCycles;
		long bytes = dramBinds ? dramBytes : portBytes;
		long cycles = dramBinds ? dramCycles : portCycles;
		long divisor = BigInteger.valueOf(bytes).gcd(BigInteger.valueOf(cycles)).longValueExact();
		return new MemoryBandwidth(Math.min(ports, dram), ports, dram, memory.hpWidthBits(), bytes / divisor,
				cycles / divisor);
	}

	/**
	 * Cycles that {@code moved} bytes take at the sustained bandwidth, a partial cycle counting whole. Whole
	 * multiples of {@code bytes} first: {@code moved x cycles} overflows a long for a layer of 2^24 channels long
	 * before the cycles do.
	 */
	public long cyclesFor(long moved) {
		return Math.addExact(Math.multiplyExact(moved / bytes, cycles), ((moved % bytes) * cycles + bytes - 1) / bytes);
	}

	/** Sustained bandwidth in MB/s at the given clock. */
	public double megabytesPerSecond(double clockMhz) {
		return bytesPerCycle * clockMhz;
	}
}
