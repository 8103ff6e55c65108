package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The records of an export file (docs/export-format.md): one a line, words separated by single spaces, the first
 * three lines a header this checks. Reads numbers with the file and line in every error.
 */
final class ExportLines {

	/** The version of the export format this reads. */
	static final int VERSION = 1;

	private final String file;
	private final List<String> lines;
	private int index;
	private String[] words;

	private ExportLines(String file, List<String> lines) {
		this.file = file;
		this.lines = lines;
	}

	/** Opens a file and reads its header; returns the lines after it. */
	static ExportLines open(Path path) throws IOException {
		ExportLines lines = new ExportLines(path.toString(), Files.readAllLines(path, StandardCharsets.US_ASCII));
		lines.expect("ilmpq-export", "an ILMPQ export");
		if (lines.integer(1) != VERSION) {
			throw lines.error("export format " + lines.words[1] + "; this reads version " + VERSION);
		}
		lines.expect("network", "the network's name");
		lines.expect("producer", "the producer");
		return lines;
	}

	/** The header's network name. */
	String network() {
		return lines.get(1).substring("network ".length());
	}

	String producer() {
		return lines.get(2).substring("producer ".length());
	}

	boolean next() {
		if (index >= lines.size()) {
			return false;
		}
		words = lines.get(index++).split(" ");
		return true;
	}

	/** Moves to the next record, which must start with {@code keyword}. */
	void expect(String keyword, String what) throws ExportFormatException {
		if (!next() || !words[0].equals(keyword)) {
			throw error("expected " + what + " ('" + keyword + " ...')");
		}
	}

	String keyword() {
		return words[0];
	}

	int size() {
		return words.length;
	}

	String word(int position) throws ExportFormatException {
		if (position >= words.length) {
			throw error("the record ends before word " + (position + 1));
		}
		return words[position];
	}

	/** Checks that word {@code position} is {@code expected}, e.g. {@code "codes"}. */
	void label(int position, String expected) throws ExportFormatException {
		if (!word(position).equals(expected)) {
			throw error("expected '" + expected + "' as word " + (position + 1) + ", found '" + words[position] + "'");
		}
	}

	int integer(int position) throws ExportFormatException {
		try {
			return Integer.parseInt(word(position));
		} catch (NumberFormatException e) {
			throw error("'" + words[position] + "' is not an integer");
		}
	}

	/** A hexadecimal (or decimal) floating-point number. */
	double real(int position) throws ExportFormatException {
		try {
			return Double.parseDouble(word(position));
		} catch (NumberFormatException e) {
			throw error("'" + words[position] + "' is not a number");
		}
	}

	/** Dimensions {@code CxHxW} or {@code F} as channels, height, width. */
	int[] dims(int position) throws ExportFormatException {
		String[] parts = word(position).split("x");
		try {
			return switch (parts.length) {
			case 1 -> new int[] { Integer.parseInt(parts[0]), 1, 1 };
			case 3 -> new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
			default -> throw new NumberFormatException();
			};
		} catch (NumberFormatException e) {
			throw error("'" + words[position] + "' is not CxHxW or F");
		}
	}

	/** The values from word {@code from} on, exactly {@code count} of them. */
	double[] reals(int from, int count) throws ExportFormatException {
		if (words.length - from != count) {
			throw error((words.length - from) + " values where " + count + " belong");
		}
		double[] values = new double[count];
		for (int i = 0; i < count; i++) {
			values[i] = real(from + i);
		}
		return values;
	}

	int[] integers(int from, int count) throws ExportFormatException {
		if (words.length - from != count) {
			throw error((words.length - from) + " values where " + count + " belong");
		}
		int[] values = new int[count];
		for (int i = 0; i < count; i++) {
			values[i] = integer(from + i);
		}
		return values;
	}

	ExportFormatException error(String problem) {
		return new ExportFormatException(file, index, problem);
	}
}
