package org.ilmpq.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ilmpq.core.io.AtomicFile;

/**
 * Writes generated files below an output folder. Every file is written beside its destination and moved over it
 * at once, so that an interrupted run leaves each earlier file whole; a file whose content is unchanged is not
 * touched, so that build tools watching the folder see no change.
 */
public final class GeneratedFiles {

	private GeneratedFiles() {
	}

	/** The files written or found unchanged, in order. */
	public static List<Path> write(Path directory, List<GeneratedFile> files) throws IOException {
		List<Path> written = new ArrayList<>();
		for (GeneratedFile file : files) {
			Path target = directory.resolve(file.path()).normalize();
			if (!target.startsWith(directory.normalize())) {
				throw new IOException(file.path() + " lies outside " + directory);
			}
			Files.createDirectories(target.getParent());
			byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
			if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), content)) {
				AtomicFile.write(target, content);
			}
			written.add(target);
		}
		return written;
	}
}
