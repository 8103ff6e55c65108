package org.ilmpq.dsl.ide.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the frames of the Language Server Protocol's base protocol ({@code Content-Length: N\r\n\r\n} and N bytes
 * of JSON) from a stream that a client may have garbled, and finds its way back to the next frame instead of going
 * deaf: a header that is not a length (negative, not a number, missing) is skipped up to the next line that starts
 * a frame; a body that runs into the next frame's header (a length larger than the body, a body glued to the next
 * header without a newline) ends where that header starts, and the header is read again as the next frame's. A
 * {@code Content-Length:} inside a body counts as a header only after a line break (which JSON writes escaped inside
 * strings) or after a complete JSON value.
 */
final class FrameReader {

	/** The largest body read: a 5 MB document is fine; a 2 GB length is a garbled header, not a message. */
	static final int MAX_BODY = 64 * 1024 * 1024;

	/** The longest header line taken: beyond it, the line is garbage. */
	private static final int MAX_HEADER_LINE = 1024;

	private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

	/** One frame's body, or why the frame before it was dropped. */
	record Frame(Optional<String> body, Optional<String> dropped) {
	}

	private final InputStream input;
	/** Bytes read ahead and given back: the start of a frame found inside another's body. */
	private byte[] pushedBack = new byte[0];
	private int pushedBackAt;

	FrameReader(InputStream input) {
		this.input = input;
	}

	/** The next frame; empty at the end of the stream. */
	Optional<Frame> next() throws IOException {
		int length = -1;
		String problem = null;
		boolean headers = false;
		while (true) {
			String line = readLine();
			if (line == null) {
				return Optional.empty();
			}
			if (line.isEmpty()) {
				if (!headers) {
					continue; // blank lines between frames
				}
				if (length >= 0) {
					break;
				}
				skipToNextFrame();
				return Optional.of(new Frame(Optional.empty(), Optional.of("a frame without Content-Length")));
			}
			headers = true;
			int colon = line.indexOf(':');
			if (colon < 0) {
				skipToNextFrame();
				return Optional.of(new Frame(Optional.empty(), Optional.of("a header line without a colon")));
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			if (name.equals("content-length")) {
				try {
					length = Integer.parseInt(value);
					if (length < 0 || length > MAX_BODY) {
						problem = "Content-Length " + value + " is out of range";
					}
				} catch (NumberFormatException e) {
					problem = "Content-Length is not a number";
				}
				if (problem != null) {
					skipToNextFrame();
					return Optional.of(new Frame(Optional.empty(), Optional.of(problem)));
				}
			}
		}
		return Optional.of(new Frame(Optional.of(readBody(length)), Optional.empty()));
	}

	/**
	 * {@code length} bytes, or fewer where the next frame's header starts among them (that header is given back).
	 */
	private String readBody(int length) throws IOException {
		byte[] body = new byte[Math.min(length, 1 << 16)];
		int size = 0;
		while (size < length) {
			if (size == body.length) {
				body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
			}
			int read = read(body, size, Math.min(body.length, length) - size);
			if (read < 0) {
				break;
			}
			int header = nextHeaderStart(body, size + read, Math.max(0, size - CONTENT_LENGTH.length));
			size += read;
			if (header >= 0) {
				pushBack(Arrays.copyOfRange(body, header, size), 0);
				return new String(body, 0, header, StandardCharsets.UTF_8);
			}
		}
		return new String(body, 0, size, StandardCharsets.UTF_8);
	}

	/** Where a frame header starts in {@code bytes} at or after {@code from}: after a line break or a whole value. */
	private static int nextHeaderStart(byte[] bytes, int size, int from) {
		for (int i = from; i + CONTENT_LENGTH.length <= size; i++) {
			if (startsWithIgnoringCase(bytes, i) && (i == 0 || bytes[i - 1] == '\n' || bytes[i - 1] == '\r'
					|| bytes[i - 1] == '}' && JsonValues.isComplete(new String(bytes, 0, i, StandardCharsets.UTF_8)))) {
				return i;
			}
		}
		return -1;
	}

	private static boolean startsWithIgnoringCase(byte[] bytes, int at) {
		for (int k = 0; k < CONTENT_LENGTH.length; k++) {
			if (Character.toLowerCase(bytes[at + k]) != CONTENT_LENGTH[k]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Skips what is left of a garbled frame up to the next {@code Content-Length:}, which is given back: at the
	 * start of a line, or glued to the end of a body without a line break.
	 */
	private void skipToNextFrame() throws IOException {
		int matched = 0; // "content-length:" has no proper prefix that recurs in it: no backtracking needed
		while (true) {
			int b = read();
			if (b < 0) {
				return;
			}
			if (Character.toLowerCase(b) == CONTENT_LENGTH[matched]) {
				if (++matched == CONTENT_LENGTH.length) {
					pushBack(CONTENT_LENGTH, 0);
					return;
				}
			} else {
				matched = Character.toLowerCase(b) == CONTENT_LENGTH[0] ? 1 : 0;
			}
		}
	}

	/** A header line without its line break, at most {@link #MAX_HEADER_LINE} bytes; null at the end. */
	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			int b = read();
			if (b < 0) {
				return line.length() == 0 ? null : line.toString();
			}
			if (b == '\n') {
				int end = line.length();
				return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
			}
			if (line.length() < MAX_HEADER_LINE) {
				line.append((char) b);
			}
		}
	}

	private void pushBack(byte[] bytes, int from) {
		byte[] rest = new byte[bytes.length - from + pushedBack.length - pushedBackAt];
		System.arraycopy(bytes, from, rest, 0, bytes.length - from);
		System.arraycopy(pushedBack, pushedBackAt, rest, bytes.length - from, pushedBack.length - pushedBackAt);
		pushedBack = rest;
		pushedBackAt = 0;
	}

	private int read() throws IOException {
		if (pushedBackAt < pushedBack.length) {
			return pushedBack[pushedBackAt++] & 0xff;
		}
		return input.read();
	}

	private int read(byte[] buffer, int offset, int length) throws IOException {
		if (pushedBackAt < pushedBack.length) {
			int n = Math.min(length, pushedBack.length - pushedBackAt);
			System.arraycopy(pushedBack, pushedBackAt, buffer, offset, n);
			pushedBackAt += n;
			return n;
		}
		return input.read(buffer, offset, length);
	}
}
