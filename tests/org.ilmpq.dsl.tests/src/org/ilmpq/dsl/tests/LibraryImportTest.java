package org.ilmpq.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Inject;

/**
 * {@code import "blocks.ilmpq"}: a network instantiates the blocks of the libraries it imports, as if they were its
 * own (see {@link org.ilmpq.dsl.scoping.LibraryGlobalScopeProvider} and
 * {@link org.ilmpq.dsl.validation.ImportValidator}). Each test writes its files into a folder of its own and loads
 * the network from disk, as the command line does.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(IlmpqInjectorProvider.class)
class LibraryImportTest {

	private static final String LIBRARY = """
			library blocks

			// a convolution that keeps the size of its input, and its ReLU
			block ConvRelu(tensor x, int channels, int kernel = 3) {
			    c = conv(x, out=channels, kernel=kernel, padding=kernel / 2)
			    r = relu(c)
			    output r
			}
			""";

	@TempDir
	Path dir;

	@Inject
	private SpecFixture fixture;

	@Inject
	private SpecAnalyzer analyzer;

	@Test
	void aNetworkInstantiatesTheBlocksOfALibraryItImports() {
		Path network = besideTheLibrary(network("import \"blocks.ilmpq\"", "a = ConvRelu(x, channels=8)"));
		assertEquals(List.of(), fixture.issuesOnSave(network));
		NetworkAnalysis analysis = analyzer.analyze(fixture.load(network)).network();
		assertEquals(List.of("a.c", "a.r"), analysis.layers().stream().map(facts -> facts.name()).toList());
		assertEquals(8L * 3 * 9 * 8 * 8, analysis.totalMacs());
	}

	@Test
	void aLibraryInAnotherFolderIsFoundRelativeToTheImportingFile() {
		write("lib/blocks.ilmpq", LIBRARY);
		Path network = write("nets/net.ilmpq", network("import \"../lib/blocks.ilmpq\"", "a = ConvRelu(x, channels=8)"));
		assertEquals(List.of(), fixture.issuesOnSave(network));
	}

	@Test
	void withoutTheImportTheBlocksOfALibraryAreUnknown() {
		Path network = besideTheLibrary(network("", "a = ConvRelu(x, channels=8)"));
		assertEquals(List.of("error 7:5 linking: unknown block 'ConvRelu': no block of that name in this file"),
				errors(network));
	}

	@Test
	void theImportsOfALibraryAreItsOwn() {
		write("base.ilmpq", LIBRARY);
		write("blocks.ilmpq", """
				library more

				import "base.ilmpq"

				block Twice(tensor x, int channels) {
				    a = ConvRelu(x, channels=channels)
				    b = ConvRelu(a, channels=channels)
				    output b
				}
				""");
		Path network = write("net.ilmpq", network("import \"blocks.ilmpq\"", """
				a = Twice(x, channels=8)
				b = ConvRelu(a, channels=8)"""));
		assertEquals(List.of("error 8:5 linking: unknown block 'ConvRelu': no block of that name in this file or the "
				+ "libraries it imports"), errors(network));
	}

	@Test
	void aBlockOfTheFileHidesAnImportedBlockOfItsName() {
		Path network = besideTheLibrary(network("import \"blocks.ilmpq\"", """
				a = ConvRelu(x, channels=8)
				block ConvRelu(tensor x, int channels) {
				    r = relu(x)
				    output r
				}"""));
		assertEquals(List.of("warning 8:7 hidden-block: block ConvRelu hides the block of that name imported from "
				+ "\"blocks.ilmpq\": the calls of this file use this one",
				"warning 8:30 unused-parameter: parameter 'channels' of block ConvRelu is never used"),
				fixture.issuesOnSave(network));
		assertEquals(0, analyzer.analyze(fixture.load(network)).network().totalMacs());
	}

	@Test
	void anImportOfAMissingFileNamesThePathItLookedAt() {
		Path network = write("net.ilmpq", network("import \"blokcs.ilmpq\"", "a = relu(x)"));
		assertEquals(List.of("error 2:8 import-not-found: cannot import \"blokcs.ilmpq\": there is no file "
				+ dir.resolve("blokcs.ilmpq")), errors(network));
	}

	@Test
	void anImportNamesAnIlmpqFile() {
		Path network = write("net.ilmpq", network("import \"blocks.txt\"", "a = relu(x)"));
		assertEquals(List.of("error 2:8 import-not-found: an import names a .ilmpq file, not \"blocks.txt\""),
				errors(network));
	}

	@Test
	void anImportNeverOpensAConnection() {
		Path network = write("net.ilmpq", network("import \"http://example.com/blocks.ilmpq\"", "a = relu(x)"));
		assertEquals(List.of("error 2:8 import-not-found: cannot import \"http://example.com/blocks.ilmpq\": an import "
				+ "names a file, by a path or a file: URI"), errors(network));
	}

	@Test
	void aFolderNamedLikeALibraryHoldsNoSpec() throws IOException {
		Files.createDirectories(dir.resolve("blocks.ilmpq"));
		Path network = write("net.ilmpq", network("import \"blocks.ilmpq\"", "a = relu(x)"));
		assertEquals(List.of("error 2:8 import-not-library: cannot import \"blocks.ilmpq\": it holds no spec"),
				errors(network));
	}

	@Test
	void aNetworkCannotBeImported() {
		write("other.ilmpq", network("", "a = relu(x)"));
		Path network = write("net.ilmpq", network("import \"other.ilmpq\"", "a = relu(x)"));
		assertEquals(List.of("error 2:8 import-not-library: \"other.ilmpq\" is network n, not a library: only a "
				+ "library's blocks can be imported (a file of blocks begins with 'library NAME')"), errors(network));
	}

	@Test
	void anImportCycleIsNamedLinkByLink() {
		write("a.ilmpq", "library a\nimport \"b.ilmpq\"\n");
		write("b.ilmpq", "library b\nimport \"c.ilmpq\"\n");
		write("c.ilmpq", "library c\nimport \"a.ilmpq\"\n");
		assertEquals(List.of("error 2:8 import-cycle: import cycle: a.ilmpq imports b.ilmpq, which imports c.ilmpq, "
				+ "which imports a.ilmpq"), errors(dir.resolve("a.ilmpq")));
	}

	@Test
	void aLibraryThatImportsItselfIsACycle() {
		Path library = write("a.ilmpq", "library a\nimport \"a.ilmpq\"\n");
		assertEquals(List.of("error 2:8 import-cycle: import cycle: a.ilmpq imports itself"), errors(library));
	}

	@Test
	void twoLibrariesWithABlockOfOneNameMakeItsCallsAmbiguous() {
		write("blocks.ilmpq", LIBRARY);
		write("others.ilmpq", LIBRARY.replace("library blocks", "library others"));
		Path network = write("net.ilmpq", network("import \"blocks.ilmpq\"\nimport \"others.ilmpq\"",
				"a = ConvRelu(x, channels=8)"));
		assertEquals(List.of("error 3:8 ambiguous-block: \"others.ilmpq\" and \"blocks.ilmpq\" (line 2) both have a "
				+ "block ConvRelu: a call to it would be ambiguous"), errors(network));
	}

	@Test
	void aFileImportedTwiceIsSaidOnce() {
		Path network = besideTheLibrary(network("import \"blocks.ilmpq\"\nimport \"./blocks.ilmpq\"",
				"a = ConvRelu(x, channels=8)"));
		assertEquals(List.of("warning 3:8 duplicate-import: \"./blocks.ilmpq\" is already imported on line 2"),
				fixture.issuesOnSave(network));
	}

	@Test
	void aLibraryHoldsBlocksOnly() {
		Path library = write("blocks.ilmpq", LIBRARY + """
				input x: 3 x 8 x 8
				a = relu(x)
				output a
				""");
		assertEquals(List.of("error 9:1 library-content: library blocks holds blocks only, not input x: a network "
				+ "that imports the library declares it",
				"error 10:1 library-content: library blocks holds blocks only, not layer a: a network that imports the "
						+ "library declares it",
				"error 11:1 library-content: library blocks holds blocks only, not an output: a network that imports "
						+ "the library declares it"),
				errors(library));
	}

	@Test
	void aLibraryIsNotCheckedAsANetwork() {
		// no input, output or quantization of its own, and blocks that no call of the file uses
		assertEquals(List.of(), fixture.issuesOnSave(write("blocks.ilmpq", LIBRARY)));
	}

	@Test
	void aLibraryThatDoesNotParseIsAnErrorOnTheImport() {
		write("blocks.ilmpq", LIBRARY.replace("r = relu(c)", "r = relu(c"));
		Path network = write("net.ilmpq", network("import \"blocks.ilmpq\"", "a = ConvRelu(x, channels=8)"));
		assertEquals(List.of("error 2:8 library-errors: \"blocks.ilmpq\" has an error, the first on line 7: "
				+ "missing ')' at 'output'"), errors(network));
	}

	@Test
	void whatAnInstanceOfAnImportedBlockDoesWrongIsSaidOnTheInstance() {
		Path network = besideTheLibrary(network("import \"blocks.ilmpq\"", "a = ConvRelu(x, channels=0)"));
		assertEquals(List.of("error 7:1 invalid-argument: in block instance 'a': out=0 in 'a.c': must be at least 1"),
				errors(network));
	}

	/** A network {@code n} of one input {@code x}, after {@code imports}, whose output is layer {@code a}. */
	private static String network(String imports, String layers) {
		return "network n\n" + imports + "\nquantization {\n    split fixed 8\n}\ninput x: 3 x 8 x 8\n" + layers
				+ "\noutput a\n";
	}

	/** {@code text} as net.ilmpq, beside {@link #LIBRARY} as blocks.ilmpq. */
	private Path besideTheLibrary(String text) {
		write("blocks.ilmpq", LIBRARY);
		return write("net.ilmpq", text);
	}

	private List<String> errors(Path file) {
		return fixture.issuesOnSave(file).stream().filter(issue -> issue.startsWith("error")).toList();
	}

	private Path write(String name, String text) {
		try {
			Path file = dir.resolve(name);
			Files.createDirectories(file.getParent());
			return Files.writeString(file, text, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
