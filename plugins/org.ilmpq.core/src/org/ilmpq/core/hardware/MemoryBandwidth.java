package org.ilmpq.core.hardware;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.Part;

/**
 * The DRAM bandwidth the accelerator can sustain, in bytes per accelerator cycle: the smaller of what its AXI
 * ports carry at its clock (ports x width / 8 per cycle) and the sustainable share of the board's DRAM peak
 * (peak x efficiency / clock). On every supported board the ports together exceed the DRAM, so the DRAM binds.
 *
 * @param wordBits the width of one port's words, in which feature maps and weights are packed
 *            ({@link FeatureMapLayout})
 */
public record MemoryBandwidth(double bytesPerCycle, double portBytesPerCycle, double dramBytesPerCycle,
		int wordBits) {

	public static MemoryBandwidth of(Part part, double clockMhz) {
		Device.MemoryPath memory = part.device().memory();
		double ports = memory.hpPorts() * memory.hpWidthBits() / 8.0;
		double dram = part.ddrMbps() * memory.ddrEfficiencyPercent() / 100.0 / clockMhz;
		return new MemoryBandwidth(Math.min(ports, dram), ports, dram, memory.hpWidthBits());
	}

	/** Sustained bandwidth in MB/s at the given clock. */
	public double megabytesPerSecond(double clockMhz) {
		return bytesPerCycle * clockMhz;
	}
}
