package org.ilmpq.core.device;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.ilmpq.core.text.EditDistance;

/**
 * The devices a spec can target, read from data files: one {@code .properties} file per device, in this package
 * ({@code devices.list} names them) and in the directories a user adds (see {@link #builtIn()}; docs/devices.md). A spec names a part by number ({@code xc7z020clg400-1}), or a board
 * by name ({@code PYNQ-Z2}); both are matched ignoring case.
 * <p>
 * File format (see {@code xc7z020.properties}; docs/devices.md): {@code name}, {@code family}, {@code fabric},
 * {@code luts}, {@code flip-flops}, {@code dsp-slices}, {@code dsp-type} (DSP48E1 or DSP48E2), {@code bram36};
 * {@code axi-hp-ports}, {@code axi-hp-width-bits}, {@code ddr-mbps}, {@code ddr-efficiency-percent},
 * {@code sustainable-clock-mhz} (low-high); one {@code part.<number> = <speed grade>} per part number, one
 * {@code board.<name> = <part number>} per board (and {@code board.<name>.ddr-mbps} where its DRAM differs), one
 * {@code max-clock-mhz.<speed grade> = <MHz>} per speed grade. Comments give the source of every figure.
 */
public final class DeviceLibrary {

	private static final String INDEX = "devices.list";

	private final List<Device> devices;
	private final Map<String, Part> byName = new TreeMap<>();

	public DeviceLibrary(List<Device> devices) {
		this.devices = List.copyOf(devices);
		for (Device device : devices) {
			device.parts().forEach((number, grade) -> add(number, new Part(device, number, grade, Optional.empty())));
			device.boards().forEach((board, number) -> add(board,
					new Part(device, number, device.parts().get(number), Optional.of(board))));
		}
	}

	private void add(String name, Part part) {
		Part previous = byName.put(key(name), part);
		if (previous != null && !previous.device().name().equals(part.device().name())) {
			throw new IllegalArgumentException("both " + previous.device().name() + " and " + part.device().name()
					+ " define " + name);
		}
	}

	/** Directories of users' device files: this system property, or else this environment variable. */
	public static final String DEVICES_PROPERTY = "ilmpq.devices";
	public static final String DEVICES_VARIABLE = "ILMPQ_DEVICES";

	private static volatile DeviceLibrary builtIn;

	/**
	 * The devices that ship with the workbench, and those of the {@code .properties} files in the directories
	 * {@value #DEVICES_PROPERTY} (system property) or {@value #DEVICES_VARIABLE} (environment) lists, separated by
	 * the platform's path separator. Read once per process; a user's file that cannot be read or is malformed
	 * throws {@link IllegalArgumentException} or {@link UncheckedIOException} naming the file, on every call
	 * until it is fixed.
	 */
	public static DeviceLibrary builtIn() {
		DeviceLibrary library = builtIn;
		if (library == null) {
			synchronized (DeviceLibrary.class) {
				library = builtIn;
				if (library == null) {
					library = withUserDevices(userDirectories());
					builtIn = library;
				}
			}
		}
		return library;
	}

	/**
	 * The shipped devices and those of every {@code .properties} file in {@code directories}; a user's device with
	 * the name of a shipped one replaces it (to correct a figure), two devices claiming one part or board are an
	 * error.
	 */
	public static DeviceLibrary withUserDevices(List<Path> directories) {
		Map<String, Device> devices = new LinkedHashMap<>();
		for (String file : readLines(INDEX)) {
			try (Reader reader = open(file)) {
				Device device = read(file, reader);
				devices.put(device.name(), device);
			} catch (IOException e) {
				throw new UncheckedIOException("cannot read device file " + file, e);
			}
		}
		for (Path directory : directories) {
			for (Path file : propertiesFiles(directory)) {
				try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
					Device device = read(file.toString(), reader);
					devices.put(device.name(), device);
				} catch (IOException e) {
					throw new UncheckedIOException("cannot read device file " + file, e);
				}
			}
		}
		return new DeviceLibrary(new ArrayList<>(devices.values()));
	}

	private static List<Path> propertiesFiles(Path directory) {
		if (!Files.isDirectory(directory)) {
			throw new IllegalArgumentException("device directory " + directory + " is not a directory");
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted().toList();
		} catch (IOException e) {
			throw new UncheckedIOException("cannot list device directory " + directory, e);
		}
	}

	private static List<Path> userDirectories() {
		String setting = System.getProperty(DEVICES_PROPERTY, System.getenv(DEVICES_VARIABLE));
		if (setting == null || setting.isBlank()) {
			return List.of();
		}
		return Stream.of(setting.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
	}

	/** Reads one device file; {@code origin} names it in error messages. */
	public static Device read(String origin, Reader reader) throws IOException {
		Properties properties = new Properties();
		properties.load(reader);
		Map<String, String> parts = new LinkedHashMap<>();
		Map<String, String> boards = new LinkedHashMap<>();
		Map<String, Long> boardDdr = new LinkedHashMap<>();
		Map<String, Long> boardAccess = new LinkedHashMap<>();
		Map<String, Long> maxClock = new LinkedHashMap<>();
		for (String key : new TreeMap<>(properties).keySet().stream().map(Object::toString).toList()) {
			String value = properties.getProperty(key).trim();
			if (key.startsWith("part.")) {
				parts.put(key.substring("part.".length()).toLowerCase(Locale.ROOT), value);
			} else if (key.startsWith("board.") && key.endsWith(".ddr-mbps")) {
				boardDdr.put(key.substring("board.".length(), key.length() - ".ddr-mbps".length()),
						number(origin, key, value));
			} else if (key.startsWith("board.") && key.endsWith(".ddr-access-bytes")) {
				boardAccess.put(key.substring("board.".length(), key.length() - ".ddr-access-bytes".length()),
						number(origin, key, value));
			} else if (key.startsWith("board.")) {
				boards.put(key.substring("board.".length()), value.toLowerCase(Locale.ROOT));
			} else if (key.startsWith("max-clock-mhz.")) {
				maxClock.put(key.substring("max-clock-mhz.".length()), number(origin, key, value));
			}
		}
		for (Map.Entry<String, String> board : boards.entrySet()) {
			if (!parts.containsKey(board.getValue())) {
				throw new IllegalArgumentException(origin + ": board " + board.getKey() + " names part "
						+ board.getValue() + ", which is not one of the file's part.* entries");
			}
		}
		for (String board : boardDdr.keySet()) {
			if (!boards.containsKey(board)) {
				throw new IllegalArgumentException(origin + ": board." + board + ".ddr-mbps is for a board the file "
						+ "does not define");
			}
		}
		for (String board : boardAccess.keySet()) {
			if (!boards.containsKey(board)) {
				throw new IllegalArgumentException(origin + ": board." + board + ".ddr-access-bytes is for a board the "
						+ "file does not define");
			}
		}
		String name = required(origin, properties, "name");
		String family = required(origin, properties, "family");
		String fabric = required(origin, properties, "fabric");
		long luts = number(origin, properties, "luts");
		long flipFlops = number(origin, properties, "flip-flops");
		long dspSlices = number(origin, properties, "dsp-slices");
		DspSlice dspType = dspSlice(origin, required(origin, properties, "dsp-type"));
		long bram36 = number(origin, properties, "bram36");
		Device.MemoryPath memory = new Device.MemoryPath((int) number(origin, properties, "axi-hp-ports"),
				(int) number(origin, properties, "axi-hp-width-bits"), number(origin, properties, "ddr-mbps"), boardDdr,
				(int) number(origin, properties, "ddr-efficiency-percent"),
				properties.containsKey("ddr-access-bytes") ? number(origin, properties, "ddr-access-bytes") : 0,
				boardAccess);
		if (memory.ddrEfficiencyPercent() > 100) {
			throw new IllegalArgumentException(origin + ": 'ddr-efficiency-percent' is a percentage of the peak, at "
					+ "most 100: " + memory.ddrEfficiencyPercent());
		}
		Device.ClockRange clock = clockRange(origin, required(origin, properties, "sustainable-clock-mhz"));
		return new Device(name, family, fabric, luts, flipFlops, dspSlices, dspType, bram36, parts, boards, maxClock,
				clock, memory);
	}

	private static DspSlice dspSlice(String origin, String value) {
		try {
			return DspSlice.valueOf(value);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(origin + ": dsp-type " + value + " is not one of DSP48E1, DSP48E2", e);
		}
	}

	private static Device.ClockRange clockRange(String origin, String value) {
		String[] ends = value.split("-");
		if (ends.length != 2) {
			throw new IllegalArgumentException(origin + ": sustainable-clock-mhz is low-high, e.g. 100-150, not "
					+ value);
		}
		long low = number(origin, "sustainable-clock-mhz", ends[0].trim());
		long high = number(origin, "sustainable-clock-mhz", ends[1].trim());
		if (low > high) {
			throw new IllegalArgumentException(origin + ": sustainable-clock-mhz is low-high, the lower first, not "
					+ value);
		}
		return new Device.ClockRange(low, high);
	}

	public List<Device> devices() {
		return devices;
	}

	/** The part a spec means by {@code name}: a part number or a board name, in any case. */
	public Optional<Part> resolve(String name) {
		return Optional.ofNullable(byName.get(key(name)));
	}

	/** The device whose die is called {@code name} (e.g. XC7Z020), in any case. */
	public Optional<Device> device(String name) {
		return devices.stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
	}

	/** Every part number and board name, in a stable order. */
	public List<String> names() {
		List<String> names = new ArrayList<>();
		for (Device device : devices) {
			names.addAll(device.partNumbers());
			names.addAll(device.boards().keySet().stream().sorted().toList());
		}
		return names;
	}

	/** The part number or board name nearest to a misspelt {@code name}, if one is plausibly meant. */
	public Optional<String> suggest(String name) {
		return EditDistance.closest(name, names());
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	private static String required(String origin, Properties properties, String key) {
		String value = properties.getProperty(key);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(origin + ": missing '" + key + "'");
		}
		return value.trim();
	}

	private static long number(String origin, Properties properties, String key) {
		return number(origin, key, required(origin, properties, key));
	}

	/** Every number of a device file counts something there is some of: resources, ports, bits, MB/s, MHz. */
	private static long number(String origin, String key, String value) {
		long number;
		try {
			number = Long.parseLong(value.replace("_", ""));
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(origin + ": '" + key + "' is not a whole number: " + value, e);
		}
		if (number <= 0 || number > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(origin + ": '" + key + "' must be above 0 (and below 2^31): " + value);
		}
		return number;
	}

	private static Reader open(String file) {
		InputStream stream = DeviceLibrary.class.getResourceAsStream(file);
		if (stream == null) {
			throw new IllegalStateException("device file " + file + " is missing from " + DeviceLibrary.class.getPackageName());
		}
		return new InputStreamReader(stream, StandardCharsets.UTF_8);
	}

	private static List<String> readLines(String file) {
		List<String> lines = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(open(file))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				String trimmed = line.strip();
				if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
					lines.add(trimmed);
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return lines;
	}
}
