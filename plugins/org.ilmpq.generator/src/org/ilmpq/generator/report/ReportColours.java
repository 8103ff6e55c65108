package org.ilmpq.generator.report;

import java.util.List;

/**
 * The colours of the reports' charts, one convention for every place that draws the model's figures: the HTML
 * report's SVG and the workbench's Design view. Engines take the scheme colours in the order of the design's
 * engines (matplotlib's "tab10", which colour-blind readers tell apart best of the common palettes); a resource
 * within its budget is green, over it red.
 */
public final class ReportColours {

	/** The engines' colours, by the engine's index in the design. */
	public static final List<String> SCHEMES = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
			"#8c564b");
	public static final String WITHIN_BUDGET = "#2ca02c";
	public static final String OVER_BUDGET = "#d62728";
	/** The empty track of a utilisation bar. */
	public static final String TRACK = "#eee";
	/** The outline of a layer's DRAM traffic. */
	public static final String MEMORY = "#999";
	/** The M of a memory-bound layer. */
	public static final String MEMORY_BOUND = "#b00";

	private ReportColours() {
	}

	/** The colour of the engine at {@code index} of a design's engines. */
	public static String scheme(int index) {
		return SCHEMES.get(index % SCHEMES.size());
	}

	/** The red, green and blue of a {@code #rrggbb} or {@code #rgb} colour. */
	public static int[] rgb(String colour) {
		String hex = colour.substring(1);
		if (hex.length() == 3) {
			hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
		}
		int value = Integer.parseInt(hex, 16);
		return new int[] { value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff };
	}
}
