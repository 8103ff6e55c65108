package org.ilmpq.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

import org.ilmpq.core.device.Device;
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

	@Test
	void aDeviceFileMustNameEveryResource() {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
				() -> DeviceLibrary.read("broken.properties", new StringReader("name = X\nfamily = F\nfabric = A\n")));
		assertEquals("broken.properties: missing 'luts'", error.getMessage());
	}

	@Test
	void aBoardMustNameOneOfTheFilesParts() throws IOException {
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DeviceLibrary.read("b",
				new StringReader("""
						name = X
						family = F
						fabric = A
						luts = 1
						flip-flops = 1
						dsp-slices = 1
						dsp-type = DSP48E1
						bram36 = 1
						part.x1 = -1
						board.B = x2
						""")));
		assertTrue(error.getMessage().contains("board B names part x2"), error.getMessage());
	}
}
