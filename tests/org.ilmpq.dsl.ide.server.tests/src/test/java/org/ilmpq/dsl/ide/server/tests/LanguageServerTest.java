package org.ilmpq.dsl.ide.server.tests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language server jar ({@code releng/org.ilmpq.dsl.ide.server}), started as its own process with the java of
 * the build and driven over standard input and output by an lsp4j client, as an editor drives it.
 */
class LanguageServerTest {

	/** How long any answer of the server may take before the test fails (the first one includes the JVM start). */
	private static final long TIMEOUT_SECONDS = 30;

	private static final String SPLIT_OF_90_PERCENT = """
			network n
			quantization {
			    split 60 % pot 4, 30 % fixed 4
			}
			input x: 3 x 8 x 8
			a = conv(x, out=10, kernel=3)
			output a
			""";

	/** The spec of the hover tests of the ide services (HoverTest of org.ilmpq.dsl.ide.tests). */
	private static final String HOVER_SPEC = """
			network n
			target PYNQ-Z2
			quantization {
			    split 60 % pot 4, 35 % fixed 4, 5 % fixed 8
			    activations fixed 4
			}
			block Pair(tensor x, int c) {
			    a = conv(x, out=c, kernel=3, padding=1)
			    b = relu(a)
			    output b
			}
			input image: 3 x 32 x 32
			conv1 = conv(image, out=16, kernel=3, padding=1)
			relu1 = relu(conv1)
			p1 = Pair(relu1, c=8)
			flat = flatten(p1)
			fc = linear(flat, out=10)
			output fc
			""";

	@TempDir
	Path workspace;

	@TempDir
	Path scratch;

	private Process server;
	private Path serverErr;
	private ExecutorService executor;
	private Future<Void> listening;
	private LanguageServer remote;
	private final RecordingClient client = new RecordingClient();

	/** The jar under test: the system property the pom sets, else its place relative to this module. */
	private static Path jar() {
		String configured = System.getProperty("ilmpq.languageServer.jar");
		Path jar = configured != null ? Path.of(configured)
				: Path.of(System.getProperty("basedir", "."), "../../releng/org.ilmpq.dsl.ide.server/target/ilmpq-language-server.jar");
		return jar.toAbsolutePath().normalize();
	}

	@BeforeEach
	void startServer() throws IOException {
		Path jar = jar();
		assertTrue(Files.isRegularFile(jar), "no language server jar at " + jar + ": build releng/org.ilmpq.dsl.ide.server first");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		serverErr = scratch.resolve("server.err");
		server = new ProcessBuilder(java, "-jar", jar.toString()).directory(scratch.toFile())
				.redirectError(Redirect.to(serverErr.toFile())).start();
		executor = Executors.newCachedThreadPool();
		Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, server.getInputStream(),
				server.getOutputStream(), executor, null);
		listening = launcher.startListening();
		remote = launcher.getRemoteProxy();
	}

	@AfterEach
	void stopServer() throws Exception {
		if (listening != null) {
			listening.cancel(true);
		}
		if (server != null) {
			server.destroyForcibly();
			server.waitFor(TIMEOUT_SECONDS, SECONDS);
		}
		if (executor != null) {
			executor.shutdownNow();
		}
		String err = serverErr != null && Files.exists(serverErr) ? Files.readString(serverErr, StandardCharsets.UTF_8) : "";
		if (!err.isEmpty()) {
			System.err.println("standard error of the language server:\n" + err);
		}
	}

	// --- the specifications

	@Test
	void initializeAnnouncesTheServicesOfTheLanguage() throws Exception {
		ServerCapabilities capabilities = initialize();
		assertEquals(Either.forLeft(TextDocumentSyncKind.Incremental), capabilities.getTextDocumentSync());
		assertNotNull(capabilities.getCompletionProvider(), "completion");
		assertEquals(Either.forLeft(true), capabilities.getHoverProvider(), "hover");
		assertEquals(Either.forLeft(true), capabilities.getDocumentSymbolProvider(), "document symbols");
		assertEquals(Either.forLeft(true), capabilities.getDocumentFormattingProvider(), "formatting");
		assertEquals(Either.forLeft(true), capabilities.getDocumentRangeFormattingProvider(), "range formatting");
		assertNotNull(capabilities.getSemanticTokensProvider(), "semantic tokens");
		assertTrue(capabilities.getSemanticTokensProvider().getFull().getLeft(), "semantic tokens of a whole document");
		// the plain true (not CodeActionOptions): Xtext's answer once the language binds an ICodeActionService2
		assertEquals(Either.forLeft(true), capabilities.getCodeActionProvider(), "code actions");
	}

	@Test
	void anOpenedSpecWhoseSplitAddsUpTo90PercentGetsAnErrorOnTheSplit() throws Exception {
		initialize();
		String uri = open("broken.ilmpq", SPLIT_OF_90_PERCENT);
		PublishDiagnosticsParams published = client.nextDiagnostics(uri);
		assertEquals(1, published.getDiagnostics().size(), published.getDiagnostics().toString());
		Diagnostic diagnostic = published.getDiagnostics().get(0);
		assertEquals("the shares of a split add up to 100 %, these to 90 %", diagnostic.getMessage().getLeft());
		assertEquals(DiagnosticSeverity.Error, diagnostic.getSeverity());
		assertEquals("org.ilmpq.split-sum", diagnostic.getCode().getLeft());
		// "    split 60 % pot 4, 30 % fixed 4": the shares, from "60" to the end of the line (0-based lines)
		assertEquals(new Range(new Position(2, 10), new Position(2, 34)), diagnostic.getRange());
	}

	@Test
	void correctingTheSplitClearsTheError() throws Exception {
		initialize();
		String uri = open("broken.ilmpq", SPLIT_OF_90_PERCENT);
		assertEquals(1, client.nextDiagnostics(uri).getDiagnostics().size());
		// 30 -> 40 (line 2, characters 22 to 24)
		TextDocumentContentChangeEvent change = new TextDocumentContentChangeEvent(
				new Range(new Position(2, 22), new Position(2, 24)), "40");
		remote.getTextDocumentService().didChange(
				new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2), List.of(change)));
		assertEquals(List.of(), client.nextDiagnostics(uri).getDiagnostics());
	}

	@Test
	void completionAfterTargetProposesTheBoardsAndPartsOfTheDeviceLibrary() throws Exception {
		initialize();
		String uri = open("target.ilmpq", "network n\ntarget \n");
		List<String> labels = completionLabels(uri, new Position(1, 7));
		assertTrue(labels.containsAll(List.of("PYNQ-Z2", "ZedBoard", "ZC706", "xc7z020clg400-1", "xc7z045ffg900-2")),
				labels.toString());
	}

	@Test
	void completionInALayersInputsProposesTheTensorsInScope() throws Exception {
		initialize();
		String uri = open("layers.ilmpq", """
				network n
				input image: 3 x 8 x 8
				conv1 = conv(image, out=4, kernel=3)
				relu1 = relu()
				""");
		List<String> labels = completionLabels(uri, new Position(3, 13));
		assertTrue(labels.containsAll(List.of("image", "conv1")), labels.toString());
	}

	@Test
	void completionInASplitProposesTheSchemeKeywords() throws Exception {
		initialize();
		String uri = open("split.ilmpq", """
				network n
				quantization {
				    split 60 %\s
				}
				""");
		List<String> labels = completionLabels(uri, new Position(2, 15));
		assertTrue(labels.containsAll(List.of("fixed", "pot", "sp2")), labels.toString());
	}

	@Test
	void hoverOverALayerNameShowsItsOutputShapeMacsParametersAndRowsPerScheme() throws Exception {
		initialize();
		String uri = open("hover.ilmpq", HOVER_SPEC);
		// "conv1 = conv(...)" is line 12 (0-based); 16 x 32 x 32 outputs of 3 x 3 x 3 MACs each, 16 x 27 weights and
		// 16 biases; 16 rows split 60/35/5 by the largest remainder: 9.6, 5.6, 0.8 -> 10, 5, 1
		Hover hover = hover(uri, new Position(12, 2));
		assertEquals(new MarkupContent(MarkupKind.MARKDOWN, "**conv1**: output 16 x 32 x 32\n\n"
				+ "442,368 MACs, 448 parameters  \n16 rows: 10 pot 4, 5 fixed 4, 1 fixed 8"), hover.getContents().getRight());
	}

	@Test
	void hoverOverTheTargetsDeviceShowsTheResourcesOfTheDevice() throws Exception {
		initialize();
		String uri = open("hover.ilmpq", HOVER_SPEC);
		// "target PYNQ-Z2": the device name is line 1, characters 7 to 14
		Hover hover = hover(uri, new Position(1, 9));
		assertEquals(MarkupKind.MARKDOWN, hover.getContents().getRight().getKind());
		String text = hover.getContents().getRight().getValue();
		assertTrue(text.startsWith("**PYNQ-Z2: xc7z020clg400-1** (XC7Z020, Zynq-7000, speed grade -1)\n\n"
				+ "220 DSP slices (DSP48E1), 53,200 LUTs, 106,400 flip-flops, 140 BRAM36 (280 BRAM18)"), text);
		assertEquals(new Range(new Position(1, 7), new Position(1, 14)), hover.getRange());
	}

	@Test
	void theSplitSumErrorHasACodeActionScalingTheSharesTo100Percent() throws Exception {
		initialize();
		String uri = open("broken.ilmpq", SPLIT_OF_90_PERCENT);
		Diagnostic diagnostic = client.nextDiagnostics(uri).getDiagnostics().get(0);
		assertEquals("the shares of a split add up to 100 %, these to 90 %", diagnostic.getMessage().getLeft());
		List<CodeAction> actions = codeActions(uri, diagnostic);
		assertEquals(List.of("Scale the shares to add up to 100 %"), actions.stream().map(CodeAction::getTitle).toList());
		assertEquals(CodeActionKind.QuickFix, actions.get(0).getKind());
		// 60 : 30 in whole percents: 66.67 and 33.33, the one percent left to the larger remainder -> 67, 33
		assertEquals(SPLIT_OF_90_PERCENT.replace("split 60 % pot 4, 30 % fixed 4", "split 67 % pot 4, 33 % fixed 4"),
				applied(SPLIT_OF_90_PERCENT, uri, actions.get(0).getEdit()));
	}

	@Test
	void anUnknownDeviceHasACodeActionChangingItToTheClosestKnownName() throws Exception {
		initialize();
		String text = """
				network n
				target PYNQ-Z3
				quantization {
				    split 60 % pot 4, 40 % fixed 4
				}
				input x: 3 x 8 x 8
				a = conv(x, out=10, kernel=3)
				output a
				""";
		String uri = open("device.ilmpq", text);
		List<Diagnostic> diagnostics = client.nextDiagnostics(uri).getDiagnostics();
		assertEquals(List.of("org.ilmpq.unknown-device"), diagnostics.stream().map(d -> d.getCode().getLeft()).toList());
		List<CodeAction> actions = codeActions(uri, diagnostics.get(0));
		assertEquals(List.of("Change to 'PYNQ-Z2'"), actions.stream().map(CodeAction::getTitle).toList());
		assertEquals(text.replace("PYNQ-Z3", "PYNQ-Z2"), applied(text, uri, actions.get(0).getEdit()));
	}

	/** The stem of a ResNet: a 7x7 convolution of stride 2, then a 3x3 max pooling of stride 2. */
	private static final String LIBRARY = """
			library stems

			block Stem(tensor image, int width) {
			    c = conv(image, out=width, kernel=7, stride=2, padding=3)
			    p = maxpool(c, kernel=3, stride=2, padding=1)
			    output p
			}
			""";

	private static final String IMPORTING_NETWORK = """
			network n
			import "stems.ilmpq"
			input image: 3 x 32 x 32
			a = Stem(image, width=8)
			output a
			quantization { split fixed 8 }
			""";

	@Test
	void goingToTheDefinitionOfAnImportedBlockOpensItsLibrary() throws Exception {
		Path library = Files.writeString(workspace.resolve("stems.ilmpq"), LIBRARY, StandardCharsets.UTF_8);
		initialize();
		String uri = open("net.ilmpq", IMPORTING_NETWORK);
		assertEquals(List.of(), client.nextDiagnostics(uri).getDiagnostics());
		// "a = Stem(...)" is line 3 (0-based); the block's name in the library is line 2, characters 6 to 10
		Either<List<? extends Location>, List<? extends LocationLink>> definition = remote.getTextDocumentService()
				.definition(new DefinitionParams(new TextDocumentIdentifier(uri), new Position(3, 6)))
				.get(TIMEOUT_SECONDS, SECONDS);
		assertEquals(List.of(new Location(library.toUri().toString(), new Range(new Position(2, 6), new Position(2, 10)))),
				definition.getLeft());
	}

	@Test
	void renamingABlockInTheLibraryRevalidatesTheNetworksThatCallIt() throws Exception {
		Files.writeString(workspace.resolve("stems.ilmpq"), LIBRARY, StandardCharsets.UTF_8);
		initialize();
		String network = open("net.ilmpq", IMPORTING_NETWORK);
		assertEquals(List.of(), client.nextDiagnostics(network).getDiagnostics());
		String library = open("stems.ilmpq", LIBRARY);
		// Stem -> Stem7 (line 2, character 10)
		remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
				new VersionedTextDocumentIdentifier(library, 2),
				List.of(new TextDocumentContentChangeEvent(new Range(new Position(2, 10), new Position(2, 10)), "7"))));
		List<String> messages = List.of();
		for (int attempt = 0; attempt < 5 && messages.isEmpty(); attempt++) {
			messages = client.nextDiagnostics(network).getDiagnostics().stream().map(d -> d.getMessage().getLeft())
					.toList();
		}
		assertEquals(List.of("unknown block 'Stem': no block of that name in this file or the libraries it imports "
				+ "(did you mean 'Stem7'?)"), messages);
	}

	@Test
	void shutdownThenExitEndsTheServerWithExitCodeZero() throws Exception {
		initialize();
		remote.shutdown().get(TIMEOUT_SECONDS, SECONDS);
		remote.exit();
		assertTrue(server.waitFor(TIMEOUT_SECONDS, SECONDS), "the server is still running after exit");
		assertEquals(0, server.exitValue());
	}

	// --- the client's side

	@SuppressWarnings("deprecation") // rootUri: Xtext's ServerLauncher has a single-root workspace and reads only it
	private ServerCapabilities initialize() throws Exception {
		InitializeParams params = new InitializeParams();
		params.setProcessId((int) ProcessHandle.current().pid());
		String root = workspace.toUri().toString();
		params.setRootUri(root);
		params.setWorkspaceFolders(List.of(new WorkspaceFolder(root, "workspace")));
		params.setCapabilities(new ClientCapabilities());
		ServerCapabilities capabilities = remote.initialize(params).get(TIMEOUT_SECONDS, SECONDS).getCapabilities();
		remote.initialized(new InitializedParams());
		return capabilities;
	}

	/** Writes {@code text} to the workspace and opens it as an editor does; returns its URI. */
	private String open(String name, String text) throws IOException {
		Path file = Files.writeString(workspace.resolve(name), text, StandardCharsets.UTF_8);
		String uri = file.toUri().toString();
		remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "ilmpq", 1, text)));
		return uri;
	}

	private List<String> completionLabels(String uri, Position position) throws Exception {
		Either<List<CompletionItem>, CompletionList> completion = remote.getTextDocumentService()
				.completion(new CompletionParams(new TextDocumentIdentifier(uri), position))
				.get(TIMEOUT_SECONDS, SECONDS);
		List<CompletionItem> items = completion.isLeft() ? completion.getLeft() : completion.getRight().getItems();
		return items.stream().map(CompletionItem::getLabel).toList();
	}

	private Hover hover(String uri, Position position) throws Exception {
		Hover hover = remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), position))
				.get(TIMEOUT_SECONDS, SECONDS);
		assertNotNull(hover, "no hover at " + position);
		return hover;
	}

	/**
	 * The code actions for {@code diagnostic} as the server published it (its data through JSON and back), asked
	 * for over its range as an editor asks.
	 */
	private List<CodeAction> codeActions(String uri, Diagnostic diagnostic) throws Exception {
		CodeActionParams params = new CodeActionParams(new TextDocumentIdentifier(uri), diagnostic.getRange(),
				new CodeActionContext(List.of(diagnostic)));
		List<Either<Command, CodeAction>> actions = remote.getTextDocumentService().codeAction(params)
				.get(TIMEOUT_SECONDS, SECONDS);
		assertTrue(actions.stream().allMatch(Either::isRight), "commands rather than code actions: " + actions);
		return actions.stream().map(Either::getRight).toList();
	}

	/**
	 * {@code text} after the edits of {@code edit} to {@code uri}: with the client capabilities sent here (none for
	 * workspace edits), Xtext puts them in {@code changes}. The ranges of all edits refer to the text before any of
	 * them, so they are applied from the last to the first.
	 */
	private static String applied(String text, String uri, WorkspaceEdit edit) {
		assertNull(edit.getDocumentChanges(), "document changes");
		assertEquals(Set.of(uri), edit.getChanges().keySet());
		List<TextEdit> edits = new ArrayList<>(edit.getChanges().get(uri));
		edits.sort(Comparator.comparing((TextEdit e) -> offset(text, e.getRange().getStart())).reversed());
		StringBuilder result = new StringBuilder(text);
		for (TextEdit e : edits) {
			result.replace(offset(text, e.getRange().getStart()), offset(text, e.getRange().getEnd()), e.getNewText());
		}
		return result.toString();
	}

	/** The offset in {@code text} of an LSP position (0-based line, character in UTF-16 units, as Java counts). */
	private static int offset(String text, Position position) {
		int offset = 0;
		for (int line = 0; line < position.getLine(); line++) {
			offset = text.indexOf('\n', offset) + 1;
			assertTrue(offset > 0, "no line " + position.getLine());
		}
		return offset + position.getCharacter();
	}

	/** Keeps what the server publishes, per document, in order. */
	private static final class RecordingClient implements LanguageClient {

		private final Map<String, BlockingQueue<PublishDiagnosticsParams>> diagnostics = new ConcurrentHashMap<>();

		private BlockingQueue<PublishDiagnosticsParams> queue(String uri) {
			return diagnostics.computeIfAbsent(uri, key -> new LinkedBlockingQueue<>());
		}

		/** The next diagnostics published for {@code uri}, waiting for them at most the timeout. */
		PublishDiagnosticsParams nextDiagnostics(String uri) throws InterruptedException, TimeoutException {
			PublishDiagnosticsParams published = queue(uri).poll(TIMEOUT_SECONDS, SECONDS);
			if (published == null) {
				throw new TimeoutException("no diagnostics for " + uri + " within " + TIMEOUT_SECONDS + " s; published for "
						+ diagnostics.keySet());
			}
			return published;
		}

		@Override
		public void publishDiagnostics(PublishDiagnosticsParams params) {
			queue(params.getUri()).add(params);
		}

		@Override
		public void telemetryEvent(Object object) {
		}

		@Override
		public void showMessage(MessageParams message) {
		}

		@Override
		public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void logMessage(MessageParams message) {
		}
	}
}
