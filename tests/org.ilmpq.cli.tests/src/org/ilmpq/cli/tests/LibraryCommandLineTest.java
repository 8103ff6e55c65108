package org.ilmpq.cli.tests;

import static org.ilmpq.cli.tests.CommandLineRun.ilmpq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The command line on a network that imports a library of blocks, and on the library itself. */
class LibraryCommandLineTest {

	/** A residual block: its output adds its input to a convolution of it. */
	private static final String LIBRARY = """
			library blocks

			block Residual(tensor x) {
			    c = conv(x, out=3, kernel=3, padding=1)
			    s = add(c, x)
			    r = relu(s)
			    output r
			}
			""";

	private static final String NETWORK = """
			network n

			import "lib/blocks.ilmpq"

			input x: 3 x 8 x 8
			quantization {
			    split 60 % pot 4, 40 % fixed 4
			}
			a = Residual(x)
			output a
			""";

	@TempDir
	Path dir;

	private Path write(String path, String content) throws IOException {
		Path file = dir.resolve(path);
		Files.createDirectories(file.getParent());
		return CommandLineRun.write(file.getParent(), file.getFileName().toString(), content);
	}

	@Test
	void aNetworkAndItsLibraryValidateTogether() throws IOException {
		write("lib/blocks.ilmpq", LIBRARY);
		String network = write("net.ilmpq", NETWORK).toString();
		assertEquals(new CommandLineRun(0, "", "ilmpq: 1 file checked: 0 errors, 0 warnings\n"),
				ilmpq("validate", network));
	}

	@Test
	void theErrorsOfAnImportedLibraryAreListedUnderItsOwnPathAndStopTheNetwork() throws IOException {
		String library = write("lib/blocks.ilmpq", LIBRARY.replace("relu(s)", "relu(u)"))
				.toString();
		String network = write("net.ilmpq", NETWORK).toString();
		// the import says that the library is broken, and the library's own diagnostics say where
		String unknown = "unknown tensor 'u' in block Residual: no tensor parameter or layer of the block has that "
				+ "name (did you mean 'x'?)";
		String diagnostics = network + ":3:8: error: \"lib/blocks.ilmpq\" has an error, the first on line 6: " + unknown
				+ " [library-errors]\n"
				+ network + ":5:7: warning: input 'x' does not reach the output 'a.r' [unused-input]\n"
				+ library + ":3:23: warning: parameter 'x' of block Residual is never used [unused-parameter]\n"
				+ library + ":4:5: warning: layer 'c' of block Residual does not reach the block's output 'r' "
				+ "[unused-block-layer]\n"
				+ library + ":5:5: warning: layer 's' of block Residual does not reach the block's output 'r' "
				+ "[unused-block-layer]\n"
				+ library + ":6:14: error: " + unknown + " [linking]\n";
		assertEquals(new CommandLineRun(1, diagnostics, "ilmpq: 1 file checked: 2 errors, 4 warnings\n"),
				ilmpq("validate", network));
		Path out = dir.resolve("out");
		CommandLineRun generate = ilmpq("generate", network, "-o", out.toString());
		assertEquals(new CommandLineRun(1, diagnostics, "ilmpq: 1 file checked: 2 errors, 4 warnings\n"
				+ "ilmpq: nothing generated for " + network + ": it has errors\n"),
				generate);
		assertFalse(Files.exists(out));
	}

	@Test
	void aLibraryValidatesButIsNeitherReportedNorGenerated() throws IOException {
		String library = write("blocks.ilmpq", LIBRARY).toString();
		assertEquals(new CommandLineRun(0, "", "ilmpq: 1 file checked: 0 errors, 0 warnings\n"),
				ilmpq("validate", library));
		assertEquals(new CommandLineRun(2, "", "ilmpq: nothing generated for " + library + ": it is library blocks, "
				+ "a file of blocks; give a network that imports it\n"),
				ilmpq("generate", library, "-o", dir.resolve("out").toString()));
		assertEquals(new CommandLineRun(2, "", "ilmpq: no report for " + library + ": it is library blocks, a file of "
				+ "blocks; give a network that imports it\n"), ilmpq("report", library, "-o", dir.resolve("reports").toString()));
	}

	@Test
	void jsonListsTheLibraryAsAFileOfItsOwn() throws IOException {
		String library = write("lib/blocks.ilmpq", LIBRARY.replace("relu(s)", "relu(u)"))
				.toString();
		String network = write("net.ilmpq", NETWORK).toString();
		CommandLineRun run = ilmpq("validate", "--format", "json", network);
		JsonArray files = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("files");
		assertEquals(2, files.size(), run.out());
		assertEquals(network, files.get(0).getAsJsonObject().get("file").getAsString());
		assertEquals(2, files.get(0).getAsJsonObject().getAsJsonArray("diagnostics").size());
		JsonObject libraryFile = files.get(1).getAsJsonObject();
		assertEquals(library, libraryFile.get("file").getAsString());
		JsonArray diagnostics = libraryFile.getAsJsonArray("diagnostics");
		assertEquals(4, diagnostics.size(), run.out());
		assertEquals("org.eclipse.xtext.diagnostics.Diagnostic.Linking",
				diagnostics.get(3).getAsJsonObject().get("code").getAsString());
		assertEquals(6, diagnostics.get(3).getAsJsonObject().get("line").getAsInt());
	}
}
