package org.ilmpq.dsl.ide.server.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The language server jar driven over a real pipe by a client that writes bytes, not messages: garbled frames,
 * malformed JSON-RPC, closing its end. Each answer the server owes comes (with the code JSON-RPC 2.0 gives it), and
 * after each garbled frame the next well-formed request is still answered.
 */
class HostileClientTest {

	private static final long TIMEOUT_SECONDS = 30;

	@TempDir
	Path workspace;

	private Process server;
	private OutputStream toServer;
	private final BlockingQueue<JsonObject> fromServer = new LinkedBlockingQueue<>();

	@BeforeEach
	void startAndInitialize() throws Exception {
		Path jar = Path.of(System.getProperty("ilmpq.languageServer.jar", "../../releng/org.ilmpq.dsl.ide.server/target/"
				+ "ilmpq-language-server.jar")).toAbsolutePath().normalize();
		assertTrue(Files.isRegularFile(jar), "no language server jar at " + jar);
		server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString()).redirectError(Redirect.DISCARD).start();
		toServer = server.getOutputStream();
		Thread reader = new Thread(() -> readFrames(server.getInputStream()), "frames from the server");
		reader.setDaemon(true);
		reader.start();
		send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,\"rootUri\":\""
				+ workspace.toUri() + "\",\"capabilities\":{}}}");
		assertEquals(1, answer().get("id").getAsInt());
		send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
	}

	@AfterEach
	void stop() throws InterruptedException {
		server.destroyForcibly();
		server.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	@Test
	void anUnknownMethodIsMethodNotFound() throws Exception {
		send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ilmpq/nothing\",\"params\":{}}");
		assertError(answer(), "2", -32601, "no method ilmpq/nothing");
	}

	@Test
	void parametersOfTheWrongTypesAreInvalidParams() throws Exception {
		send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":5,"
				+ "\"position\":\"x\"}}");
		assertError(answer(), "2", -32602, "the parameters of textDocument/hover are not of its types");
	}

	@Test
	void aRequestWhoseIdIsAnObjectIsAnInvalidRequestAnsweredWithIdNull() throws Exception {
		send("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}");
		assertError(answer(), null, -32600, "the id of a request is a string or a number");
	}

	@Test
	void aBodyThatIsNotJsonIsAParseErrorAndTheNextRequestIsAnswered() throws Exception {
		write("Content-Length: 5\r\n\r\n{abc}");
		assertError(answer(), null, -32700, "the message is not JSON");
		assertNextRequestIsAnswered();
	}

	@Test
	void aNegativeLengthIsSkippedUpToTheNextFrame() throws Exception {
		write("Content-Length: -5\r\n\r\n");
		assertNextRequestIsAnswered();
	}

	@Test
	void aLengthThatIsNotANumberIsSkippedEvenWhenTheNextFrameIsGluedToItsBody() throws Exception {
		write("Content-Length: five\r\n\r\n{}");
		assertNextRequestIsAnswered();
	}

	@Test
	void aLengthLargerThanItsBodyEndsWhereTheNextFrameStarts() throws Exception {
		write("Content-Length: 5000\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
		assertNextRequestIsAnswered();
	}

	@Test
	void aPositionOutsideTheDocumentIsInvalidParamsWithoutTheDocumentsText() throws Exception {
		String uri = workspace.resolve("a.ilmpq").toUri().toString();
		send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"" + uri
				+ "\",\"languageId\":\"ilmpq\",\"version\":1,\"text\":\"network secret_text\\n\"}}}");
		send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\""
				+ uri + "\"},\"position\":{\"line\":-1,\"character\":-5}}}");
		JsonObject answer = answer();
		assertError(answer, "2", -32602, "a position lies outside the document");
		assertFalse(answer.toString().contains("secret_text"), answer.toString());
	}

	@Test
	void theServerExitsWhenItsInputCloses() throws Exception {
		toServer.close();
		assertTrue(server.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the server outlives its client");
		assertEquals(0, server.exitValue());
	}

	private void assertNextRequestIsAnswered() throws Exception {
		send("{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"shutdown\"}");
		JsonObject answer = answer();
		assertEquals("after", answer.get("id").getAsString(), answer.toString());
		assertFalse(answer.has("error"), answer.toString());
	}

	private static void assertError(JsonObject answer, String id, int code, String message) {
		if (id == null) {
			assertTrue(answer.get("id").isJsonNull(), answer.toString());
		} else {
			assertEquals(id, answer.get("id").getAsString(), answer.toString());
		}
		JsonObject error = answer.getAsJsonObject("error");
		assertEquals(code, error.get("code").getAsInt(), answer.toString());
		assertEquals(message, error.get("message").getAsString());
		assertFalse(error.has("data"), "no stack trace: " + answer);
	}

	/** The next response of the server (its notifications, such as published diagnostics, are passed over). */
	private JsonObject answer() throws InterruptedException {
		while (true) {
			JsonObject message = fromServer.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertNotNull(message, "no answer within " + TIMEOUT_SECONDS + " s");
			if (message.has("id") && !message.has("method")) {
				return message;
			}
		}
	}

	private void send(String json) throws IOException {
		byte[] body = json.getBytes(UTF_8);
		write("Content-Length: " + body.length + "\r\n\r\n" + json);
	}

	private void write(String bytes) throws IOException {
		toServer.write(bytes.getBytes(UTF_8));
		toServer.flush();
	}

	/** The server's frames, well-formed by the protocol: a Content-Length header, a blank line, the body. */
	private void readFrames(InputStream in) {
		try {
			while (true) {
				int length = -1;
				for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
					if (line.startsWith("Content-Length:")) {
						length = Integer.parseInt(line.substring("Content-Length:".length()).trim());
					}
				}
				if (length < 0) {
					return;
				}
				fromServer.add(JsonParser.parseString(new String(in.readNBytes(length), UTF_8)).getAsJsonObject());
			}
		} catch (IOException e) {
			// the server is gone
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				return null;
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(UTF_8);
	}
}
