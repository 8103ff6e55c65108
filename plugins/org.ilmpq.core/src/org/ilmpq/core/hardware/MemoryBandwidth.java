package org.ilmpq.core.hardware;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.Part;
import java.math.BigInteger;

/**
 * The DRAM bandwidth the accelerator can sustain, in bytes per accelerator cycle: the smaller of what its AXI
 * ports carry at its clock (ports x width / 8 per cycle) and the sustainable share of the board's DRAM peak
 * (peak x efficiency / clock). On every supported board the ports together exceed the DRAM, so the DRAM binds.
 * The bound is kept as an exact fraction too, {@code bytes} bytes every {@code cycles} cycles, so that the hardware
 * model and the generated cycle-counting simulation round the same way. What a burst costs the DRAM is
 * {@link #burstBytes}: the DRAM moves whole accesses.
 *
 * @param wordBits the width of one port's words, in which feature maps and weights are packed
 *            ({@link FeatureMapLayout})
 * @param bytes with {@code cycles}: the sustained bandwidth as the fraction bytes / cycles, in lowest terms
 * @param accessBytes the DRAM's smallest access, its data width x burst length (1 where the device does not say)
 */
public record MemoryBandwidth(double bytesPerCycle, double portBytesPerCycle, double dramBytesPerCycle,
		int wordBits, long bytes, long cycles, long accessBytes) {

	/**
	 * Beats of one AXI transaction at most: Vitis HLS's default {@code max_read_burst_length} and
	 * {@code max_write_burst_length} of an {@code m_axi} port (UG1399, "Controlling AXI4 Burst Behavior"), and
	 * what the Zynq-7000's HP ports, AXI3, take (UG585: AXI3 bursts are at most 16 beats). A longer run of
	 * consecutive words goes as several.
	 */
	public static final int MAX_BURST_BEATS = 16;

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
				cycles / divisor, Math.max(1, part.ddrAccessBytes()));
	}

	/**
	 * The bytes of DRAM time a run of {@code beats} consecutive beats of {@code beatBytes} each takes: transactions
	 * of at most {@link #MAX_BURST_BEATS} beats, each its bytes rounded up to whole DRAM accesses. UG585 ("DDR
	 * efficiency versus AXI burst length") measures transactions of 4, 8 and 16 64-bit beats on a 32-bit DDR3 at the
	 * same efficiency: once a transaction fills whole accesses, its length costs nothing more; the sustained
	 * efficiency of the whole is the device's.
	 */
	public long burstBytes(long beats, int beatBytes) {
		long full = beats / MAX_BURST_BEATS;
		long rest = beats % MAX_BURST_BEATS;
		return full * transactionBytes(MAX_BURST_BEATS * (long) beatBytes)
				+ (rest > 0 ? transactionBytes(rest * beatBytes) : 0);
	}

	private long transactionBytes(long bytes) {
		return (bytes + accessBytes - 1) / accessBytes * accessBytes;
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
