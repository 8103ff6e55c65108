package org.ilmpq.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file whole or not at all: the content goes to a file beside the destination, which is then moved over
 * it in one step, so that an interrupted run leaves the earlier file intact and no reader sees half a file.
 */
public final class AtomicFile {

	private AtomicFile() {
	}

	public static Path write(Path file, String content) throws IOException {
		return write(file, content.getBytes(StandardCharsets.UTF_8));
	}

	public static Path write(Path file, byte[] content) throws IOException {
		return write(file, out -> out.write(content));
	}

	/** What writes a file's content to a stream: a large file need not be in memory as a whole. */
	@FunctionalInterface
	public interface Content<E extends Exception> {
		void writeTo(OutputStream out) throws IOException, E;
	}

	/** Writes what {@code content} writes; where it fails, the destination is as it was. */
	public static <E extends Exception> Path write(Path file, Content<E> content) throws IOException, E {
		// not Files.createTempFile, whose owner-only permissions the file would keep
		Path temporary = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
		try {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
				content.writeTo(out);
			}
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
			}
		} finally {
			Files.deleteIfExists(temporary);
		}
		return file;
	}
}
