package org.ilmpq.generator.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ilmpq.core.device.Part;
import org.ilmpq.core.io.AtomicFile;
import org.ilmpq.core.report.DeviceStudy;

/**
 * Writes the reports of one spec: {@code <spec>-<device>.html}, {@code .json} and {@code .csv} per device, where
 * {@code <spec>} is the spec file's name without {@code .ilmpq} and {@code <device>} the board or part in lower
 * case. Each file is written beside its destination and moved over it at once, so that an interrupted run leaves
 * every earlier report whole.
 */
public final class ReportFiles {

	private ReportFiles() {
	}

	/** The files written, in order. */
	public static List<Path> write(Path directory, Path specFile, List<DeviceStudy> studies) throws IOException {
		Files.createDirectories(directory);
		String spec = specName(specFile);
		List<Path> written = new ArrayList<>();
		for (DeviceStudy study : studies) {
			String base = spec + "-" + deviceName(study);
			written.add(AtomicFile.write(directory.resolve(base + ".html"), ReportHtml.render(specFile.toString(), study, studies)));
			written.add(AtomicFile.write(directory.resolve(base + ".json"), ReportJson.render(specFile.toString(), study)));
			written.add(AtomicFile.write(directory.resolve(base + ".csv"), ReportCsv.render(specFile.toString(), study)));
		}
		return written;
	}

	/** The {@code <spec>} of the file names: the spec file's name without {@code .ilmpq}. */
	public static String specName(Path specFile) {
		return specFile.getFileName().toString().replaceFirst("\\.ilmpq$", "");
	}

	/** The {@code <device>} of the file names: pynq-z2, zc706, xczu9eg-ffvb1156-2-e. */
	public static String deviceName(Part part) {
		return part.board().orElse(part.number()).toLowerCase(Locale.ROOT);
	}

	public static String deviceName(DeviceStudy study) {
		return deviceName(study.target().part());
	}
}
