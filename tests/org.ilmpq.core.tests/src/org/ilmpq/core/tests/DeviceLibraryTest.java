package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DspSlice;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.junit.jupiter.api.Test;

/** The devices shipped as data files, and how a spec's device name resolves. */
class DeviceLibraryTest {

	private final DeviceLibrary library = DeviceLibrary.builtIn();

	@Test
	void theZynqDevicesHaveTheirDataSheetResources() {
		Device xc7z020 = library.device("xc7z020").orElseThrow();
		assertEquals(53_200, xc7z020.luts());
		assertEquals(106_400, xc7z020.flipFlops());
		assertEquals(220, xc7z020.dspSlices());
		assertEquals(140, xc7z020.bram36());
		Device xc7z045 = library.device("XC7Z045").orElseThrow();
		assertEquals(218_600, xc7z045.luts());
		assertEquals(437_200, xc7z045.flipFlops());
		assertEquals(900, xc7z045.dspSlices());
		assertEquals(545, xc7z045.bram36());
	}

	@Test
	void theUltraScalePlusDevicesHaveTheirResourcesAndDsp48e2Slices() {
		Device zu3 = library.device("XCZU3EG").orElseThrow();
		assertEquals(List.of(70_560L, 141_120L, 360L, 216L, 432L), List.of(zu3.luts(), zu3.flipFlops(), zu3.dspSlices(),
				zu3.bram36(), zu3.bram18()));
		assertEquals(DspSlice.DSP48E2, zu3.dspType());
		Device zu9 = library.device("XCZU9EG").orElseThrow();
		assertEquals(List.of(274_080L, 548_160L, 2_520L, 912L), List.of(zu9.luts(), zu9.flipFlops(), zu9.dspSlices(),
				zu9.bram36()));
		assertEquals("xczu9eg-ffvb1156-2-e", library.resolve("ZCU102").orElseThrow().number());
		assertEquals("xczu3eg-sbva484-1-i", library.resolve("Ultra96-V2").orElseThrow().number());
	}

	@Test
	void aBoardsDramIsItsOwnAndAPartAloneGetsTheDevicesDefault() {
		assertEquals(2_100, library.resolve("PYNQ-Z2").orElseThrow().ddrMbps());
		assertEquals(4_200, library.resolve("ZedBoard").orElseThrow().ddrMbps());
		assertEquals(4_264, library.resolve("xc7z020clg400-1").orElseThrow().ddrMbps());
		assertEquals(17_064, library.resolve("ZCU102").orElseThrow().ddrMbps());
	}

	@Test
	void aBoardsDramAccessIsItsOwnAndAPartAloneGetsTheDevicesDefault() {
		// DDR3 BL8: 16 bytes on the PYNQ-Z2's 16-bit bus, 32 on a 32-bit one
		assertEquals(16, library.resolve("PYNQ-Z2").orElseThrow().ddrAccessBytes());
		assertEquals(32, library.resolve("ZedBoard").orElseThrow().ddrAccessBytes());
		assertEquals(32, library.resolve("xc7z020clg400-1").orElseThrow().ddrAccessBytes());
		assertEquals(64, library.resolve("ZCU102").orElseThrow().ddrAccessBytes());
	}

	@Test
	void theMemoryPathAndClockRangeComeFromTheFile() {
		Device xc7z020 = library.device("XC7Z020").orElseThrow();
		assertEquals(new Device.MemoryPath(4, 64, 4_264, java.util.Map.of("PYNQ-Z2", 2_100L, "ZedBoard", 4_200L), 75,
				32, java.util.Map.of("PYNQ-Z2", 16L, "ZedBoard", 32L)), xc7z020.memory());
		assertEquals(new Device.ClockRange(100, 150), xc7z020.sustainableClockMhz());
	}

	@Test
	void aBoardResolvesToThePartItCarriesIgnoringCase() {
		Part part = library.resolve("pynq-z2").orElseThrow();
		assertEquals("xc7z020clg400-1", part.number());
		assertEquals("-1", part.speedGrade());
		assertEquals(Optional.of("PYNQ-Z2"), part.board());
		assertEquals("xc7z045ffg900-2", library.resolve("ZC706").orElseThrow().number());
		assertEquals("xc7z020clg484-1", library.resolve("ZedBoard").orElseThrow().number());
	}

	@Test
	void aPartNumberResolvesToItsSpeedGrade() {
		Part part = library.resolve("XC7Z045FFG900-3").orElseThrow();
		assertEquals("-3", part.speedGrade());
		assertEquals(Optional.empty(), part.board());
	}

	@Test
	void aMisspeltNameGetsTheNearestKnownOne() {
		assertEquals(Optional.of("ZC706"), library.suggest("ZC70"));
		assertEquals(Optional.empty(), library.suggest("virtex"));
	}

	private static final String XC7Z010 = """
			# XC7Z010: Xilinx DS190 Table 1 (a user's file, as docs/devices.md describes)
			name = XC7Z010
			family = Zynq-7000
			fabric = Artix-7
			luts = 17600
			flip-flops = 35200
			dsp-slices = 80
			dsp-type = DSP48E1
			bram36 = 60
			axi-hp-ports = 4
			axi-hp-width-bits = 64
			ddr-mbps = 4264
			ddr-efficiency-percent = 75
			sustainable-clock-mhz = 100-150
			part.xc7z010clg400-1 = -1
			board.MyBoard = xc7z010clg400-1
			""";

	@Test
	void aUserAddsADeviceByAddingAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
			throws IOException {
		java.nio.file.Files.writeString(directory.resolve("xc7z010.properties"), XC7Z010);
		DeviceLibrary withMine = DeviceLibrary.withUserDevices(List.of(directory));
		assertEquals(80, withMine.resolve("MyBoard").orElseThrow().device().dspSlices());
		assertEquals("xc7z020clg400-1", withMine.resolve("PYNQ-Z2").orElseThrow().number());
	}

	@Test
	void twoDevicesCannotClaimOneBoard(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
			throws IOException {
		java.nio.file.Files.writeString(directory.resolve("xc7z010.properties"),
				XC7Z010.replace("board.MyBoard", "board.PYNQ-Z2"));
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
				() -> DeviceLibrary.withUserDevices(List.of(directory)));
		assertEquals("both XC7Z020 and XC7Z010 define PYNQ-Z2", error.getMessage());
	}

	@Test
	void aDeviceFileMustNameEveryResource() {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
				() -> DeviceLibrary.read("broken.properties", new StringReader("name = X\nfamily = F\nfabric = A\n")));
		assertEquals("broken.properties: missing 'luts'", error.getMessage());
	}

	@Test
	void aBoardMustNameOneOfTheFilesParts() {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DeviceLibrary.read("b",
				new StringReader(XC7Z010.replace("board.MyBoard = xc7z010clg400-1", "board.B = x2"))));
		assertTrue(error.getMessage().contains("board B names part x2"), error.getMessage());
	}

	@Test
	void aDeviceWithoutMemoryBandwidthIsRejected() {
		// a DRAM of 0 MB/s would make every layer wait forever: the file is wrong, not the network
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DeviceLibrary.read(
				"zero.properties", new StringReader(XC7Z010.replace("ddr-mbps = 4264", "ddr-mbps = 0"))));
		assertEquals("zero.properties: 'ddr-mbps' must be above 0 (and below 2^31): 0", error.getMessage());
	}

	@Test
	void aDeviceFileThatDoesNotSayTheDramsAccessSizeChargesATransactionItsBytes() throws IOException {
		Device xc7z010 = DeviceLibrary.read("xc7z010.properties", new StringReader(XC7Z010));
		assertEquals(0, xc7z010.memory().ddrAccessBytes());
		// a burst of one 8-byte beat then takes the DRAM 8 bytes' time
		Part part = new Part(xc7z010, "xc7z010clg400-1", "-1", Optional.empty());
		assertEquals(8, org.ilmpq.core.hardware.MemoryBandwidth.of(part, 100).burstBytes(1, 8));
	}

	@Test
	void aBoardsDramAccessSizeIsForABoardOfTheFile() {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DeviceLibrary.read("b",
				new StringReader(XC7Z010 + "board.Other.ddr-access-bytes = 16\n")));
		assertEquals("b: board.Other.ddr-access-bytes is for a board the file does not define", error.getMessage());
	}

	@Test
	void aClockRangeIsWrittenLowFirst() {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DeviceLibrary.read(
				"clock.properties", new StringReader(XC7Z010.replace("sustainable-clock-mhz = 100-150",
						"sustainable-clock-mhz = 150-100"))));
		assertEquals("clock.properties: sustainable-clock-mhz is low-high, the lower first, not 150-100",
				error.getMessage());
	}
}
