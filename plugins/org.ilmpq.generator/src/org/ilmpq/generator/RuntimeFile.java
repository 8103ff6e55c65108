package org.ilmpq.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A file a generator ships as it is, the same for every spec (the HLS project's runtime headers, the training
 * script's Python modules): kept in the bundle beside the generator, in {@code runtime/}, where it can be edited,
 * compiled and linted in its own language, and written out under a header that says what produced it.
 */
public final class RuntimeFile {

	private RuntimeFile() {
	}

	/**
	 * @param generator a class of the generator's package, whose {@code runtime/} folder holds the file
	 * @param name the file's name in that folder
	 * @param header the header lines to put first, without the final line break
	 * @return the header and the file's text
	 */
	public static String text(Class<?> generator, String name, String header) {
		try (InputStream in = generator.getResourceAsStream("runtime/" + name)) {
			if (in == null) {
				throw new IllegalStateException("the bundle lacks " + generator.getPackageName().replace('.', '/')
						+ "/runtime/" + name);
			}
			return header + "\n" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
