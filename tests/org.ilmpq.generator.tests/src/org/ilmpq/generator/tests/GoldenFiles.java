package org.ilmpq.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ilmpq.dsl.tests.SpecFixture;
import org.ilmpq.generator.GeneratedFile;

/**
 * The reviewed golden files in tests/org.ilmpq.generator.tests/golden/: a generated file must equal its golden file
 * byte for byte. Run the tests with -Dilmpq.golden.update=true to rewrite them, then review the diff like code.
 */
final class GoldenFiles {

	private GoldenFiles() {
	}

	static void assertMatches(String golden, String actual) throws IOException {
		Path file = SpecFixture.repository().resolve("tests/org.ilmpq.generator.tests/golden").resolve(golden);
		if (Boolean.getBoolean("ilmpq.golden.update")) {
			Files.createDirectories(file.getParent());
			Files.writeString(file, actual, StandardCharsets.UTF_8);
		}
		assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from " + file);
	}

	/** The content of the generated file at {@code path}. */
	static String content(List<GeneratedFile> files, String path) {
		return files.stream().filter(f -> f.path().equals(path)).findFirst()
				.orElseThrow(() -> new AssertionError(path + " is not among " + files.stream().map(GeneratedFile::path)
						.toList()))
				.content();
	}
}
