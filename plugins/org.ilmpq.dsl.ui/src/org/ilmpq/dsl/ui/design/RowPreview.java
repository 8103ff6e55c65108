package org.ilmpq.dsl.ui.design;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.export.ExportedLayer;
import org.ilmpq.core.export.ExportedRow;
import org.ilmpq.core.export.QuantizedNetworkExport;
import org.ilmpq.core.export.RowAssignmentExport;
import org.ilmpq.core.quant.Scheme;

/**
 * The split the training actually made, from the export of the spec's quantization script
 * ({@code python3 quant/NETWORK.py export -o DIR}): per layer, the scheme of every row (weights.txt) and, where the
 * export has them (rows.txt), the per-scheme figures the row assignment went by. Plain Java; read in the
 * estimate's job.
 *
 * @param problem why nothing could be read (no export there, a malformed file: its message names file and line)
 * @param stamp the files' sizes and times when read: an export unchanged since is not read again
 */
public record RowPreview(Path folder, String network, List<LayerRows> layers, String problem, String stamp) {

	/**
	 * One layer's rows: the scheme of each, in row order, and per scheme what the assignment measured of its rows
	 * (rows.txt: their mean squared weight error under it, their mean sensitivity at the probe scheme, FILM-QNN);
	 * no figures where the export has no rows.txt (the HLS generator's made-up weights have none).
	 */
	public record LayerRows(String name, List<Scheme> rows,
			Map<Scheme, RowAssignmentExport.SchemeSummary> figures) {

		/** How many rows each scheme took, in the order the schemes first appear. */
		public Map<Scheme, Integer> counts() {
			Map<Scheme, Integer> counts = new LinkedHashMap<>();
			rows.forEach(scheme -> counts.merge(scheme, 1, Integer::sum));
			return counts;
		}
	}


	/** The file of an export that says each row's scheme. */
	public static final String WEIGHTS = "weights.txt";
	/** The file with the assignment's figures. */
	public static final String ROWS = "rows.txt";

	/** Whether {@code folder} holds an export. */
	public static boolean exists(Path folder) {
		return folder != null && Files.isRegularFile(folder.resolve(WEIGHTS));
	}

	/**
	 * The export in {@code folder}: {@code last} where that is of the same folder and its files have not changed
	 * since (an export of ResNet-50 holds millions of codes: not to be parsed again after every keystroke), else
	 * read; a problem, not an exception, when it cannot be.
	 */
	public static RowPreview read(Path folder, RowPreview last) {
		String stamp = stamp(folder);
		if (last != null && last.folder().equals(folder) && last.stamp().equals(stamp)) {
			return last;
		}
		if (!exists(folder)) {
			return new RowPreview(folder, "", List.of(), "no export in " + folder + " (run the quantization "
					+ "script's export command with -o " + folder + ")", stamp);
		}
		try {
			QuantizedNetworkExport export = QuantizedNetworkExport.read(folder.resolve(WEIGHTS));
			Optional<RowAssignmentExport> assignment = Files.isRegularFile(folder.resolve(ROWS))
					? Optional.of(RowAssignmentExport.read(folder.resolve(ROWS)))
					: Optional.empty();
			List<LayerRows> layers = new ArrayList<>();
			for (ExportedLayer layer : export.layers()) {
				List<Scheme> rows = layer.rows().stream().map(ExportedRow::scheme).toList();
				Map<Scheme, RowAssignmentExport.SchemeSummary> figures = new LinkedHashMap<>();
				assignment.flatMap(a -> a.layer(layer.name())).ifPresent(
						assigned -> assigned.summary().forEach(summary -> figures.put(summary.scheme(), summary)));
				layers.add(new LayerRows(layer.name(), rows, java.util.Collections.unmodifiableMap(figures)));
			}
			return new RowPreview(folder, export.network(), layers, null, stamp);
		} catch (IOException e) {
			return new RowPreview(folder, "", List.of(), e.getMessage(), stamp);
		}
	}

	/** The sizes and modification times of the export's two files ("-" for one that is not there). */
	private static String stamp(Path folder) {
		StringBuilder stamp = new StringBuilder();
		for (String name : List.of(WEIGHTS, ROWS)) {
			Path file = folder.resolve(name);
			try {
				stamp.append(Files.size(file)).append('@').append(Files.getLastModifiedTime(file).toMillis());
			} catch (IOException e) {
				stamp.append('-');
			}
			stamp.append(' ');
		}
		return stamp.toString();
	}
}
