package org.ilmpq.core.export;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The records of an export file (docs/export-format.md): one a line, words separated by single spaces, the first
 * three lines a header this checks. Reads numbers with the file and line in every error.
 */
final class ExportLines {

	/** The version of the export format this reads and writes. */
	public static final int VERSION = 2;

	private final String file;
	private final List<String> lines;
	private int index;
	private String[] words;
	private String network;
	private String producer;

	private ExportLines(String file, List<String> lines) {
		this.file = file;
		this.lines = lines;
	}

	/** Opens a file and reads its header; returns the lines after it. */
	static ExportLines open(Path path) throws IOException {
		List<String> text;
		try {
			text = Files.readAllLines(path, StandardCharsets.US_ASCII);
		} catch (CharacterCodingException e) {
			throw new ExportFormatException(path.toString(), 0, "not ASCII text");
		}
		ExportLines lines = new ExportLines(path.toString(), text);
		lines.expect("ilmpq-export", "an ILMPQ export");
		lines.length(2);
		if (lines.integer(1) != VERSION) {
			throw lines.error("export format " + lines.words[1] + "; this reads version " + VERSION);
		}
		lines.expect("network", "the network's name");
		lines.length(2);
		lines.network = lines.words[1];
		lines.expect("producer", "the producer");
		lines.producer = lines.lines.get(lines.index - 1).substring("producer".length()).strip();
		return lines;
	}

	/** The header's network name. */
	String network() {
		return network;
	}

	String producer() {
		return producer;
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
		expectAny(what);
		keyword(keyword, what);
	}

	/** Moves to the next record, which must exist. */
	void expectAny(String what) throws ExportFormatException {
		if (!next()) {
			throw new ExportFormatException(file, index, "the file ends where " + what + " belongs");
		}
	}

	/** Checks that the record starts with {@code keyword}. */
	void keyword(String keyword, String what) throws ExportFormatException {
		if (!words[0].equals(keyword)) {
			throw error("expected " + what + " ('" + keyword + " ...'), found '" + words[0] + "'");
		}
	}

	/** Checks that the record has exactly {@code count} words. */
	void length(int count) throws ExportFormatException {
		if (words.length != count) {
			throw error(words.length + " words where the record has " + count);
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

	long longInteger(int position) throws ExportFormatException {
		try {
			return Long.parseLong(word(position));
		} catch (NumberFormatException e) {
			throw error("'" + words[position] + "' is not an integer");
		}
	}

	/** A finite hexadecimal or decimal floating-point number, as strtod reads it (no Java suffixes). */
	double real(int position) throws ExportFormatException {
		String text = word(position);
		try {
			double value = Double.parseDouble(text);
			if (Double.isFinite(value) && !text.matches(".*[dDfF]$")) {
				return value;
			}
		} catch (NumberFormatException e) {
			// reported below
		}
		throw error("'" + text + "' is not a finite number");
	}

	/** An integer of at least {@code minimum}. */
	int integer(int position, int minimum) throws ExportFormatException {
		int value = integer(position);
		if (value < minimum) {
			throw error(value + " where at least " + minimum + " belongs");
		}
		return value;
	}

	/** Dimensions {@code CxHxW} or {@code F} as channels, height, width. */
	int[] dims(int position) throws ExportFormatException {
		String[] parts = word(position).split("x");
		try {
			int[] dims = switch (parts.length) {
			case 1 -> new int[] { Integer.parseInt(parts[0]), 1, 1 };
			case 3 -> new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
			default -> throw new NumberFormatException();
			};
			if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1) {
				throw new NumberFormatException();
			}
			Math.multiplyExact(dims[0], Math.multiplyExact(dims[1], dims[2]));
			return dims;
		} catch (NumberFormatException | ArithmeticException e) {
			throw error("'" + words[position] + "' is not CxHxW or F of positive sizes");
		}
	}

	/** The values from word {@code from} on, exactly {@code count} of them. */
	double[] reals(int from, int count) throws ExportFormatException {
		checkCount(from, count);
		double[] values = new double[count];
		for (int i = 0; i < count; i++) {
			values[i] = real(from + i);
		}
		return values;
	}

	int[] integers(int from, int count) throws ExportFormatException {
		checkCount(from, count);
		int[] values = new int[count];
		for (int i = 0; i < count; i++) {
			values[i] = integer(from + i);
		}
		return values;
	}

	/** Checks that the record has exactly {@code count} values from word {@code from} on. */
	private void checkCount(int from, int count) throws ExportFormatException {
		if (words.length - from != count) {
			throw error((words.length - from) + " values where " + count + " belong");
		}
	}

	ExportFormatException error(String problem) {
		return new ExportFormatException(file, index, problem);
	}
}
