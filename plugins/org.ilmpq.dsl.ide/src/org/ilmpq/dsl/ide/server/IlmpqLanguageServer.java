package org.ilmpq.dsl.ide.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ServerLauncher;
import org.eclipse.xtext.ide.server.ServerModule;

import com.google.inject.Guice;

/**
 * The language server's main class: Xtext's server over standard input and output, as Xtext's
 * {@link ServerLauncher} starts it, with what a hostile or crashed client needs: a reader that resynchronises on
 * the next frame ({@link ResynchronizingMessageProducer}), the JSON-RPC error codes without stack traces or
 * document text ({@link ServerErrors}), and an exit when standard input closes, so that no server outlives its
 * client. Arguments as Xtext's: {@code -log} keeps standard error in a log file, {@code -trace} traces messages.
 */
public final class IlmpqLanguageServer {

	private IlmpqLanguageServer() {
	}

	public static void main(String[] args) throws InterruptedException {
		InputStream in = System.in;
		OutputStream out = System.out;
		// the protocol owns standard output: nothing else may write there
		ServerLauncher.redirectStandardStreams(ServerLauncher.class.getName(), args);
		LanguageServerImpl server = Guice.createInjector(new ServerModule()).getInstance(LanguageServerImpl.class);
		Launcher<LanguageClient> launcher = new Builder().setLocalService(server).setRemoteInterface(LanguageClient.class)
				.setInput(in).setOutput(out).setExceptionHandler(new ServerErrors())
				.traceMessages(ServerLauncher.getTrace(args)).create();
		server.connect(launcher.getRemoteProxy());
		Future<Void> listening = launcher.startListening();
		try {
			listening.get();
		} catch (ExecutionException e) {
			new PrintStream(System.err, true).println("ilmpq language server: " + e.getCause());
		}
		// the client closed standard input (or crashed): no one is left to serve, and the workers are not daemons
		System.exit(0);
	}

	/** lsp4j's launcher, reading through {@link ResynchronizingMessageProducer}. */
	private static final class Builder extends Launcher.Builder<LanguageClient> {
		private MessageJsonHandler json;
		private MessageConsumer outgoing;

		@Override
		protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
			// as lsp4j builds it, keeping the outgoing consumer for the reader's error responses
			json = jsonHandler;
			outgoing = wrapMessageConsumer(new StreamMessageConsumer(output, jsonHandler));
			RemoteEndpoint endpoint = new RemoteEndpoint(outgoing, ServiceEndpoints.toEndpoint(localServices),
					exceptionHandler);
			jsonHandler.setMethodProvider(endpoint);
			endpoint.setJsonHandler(jsonHandler);
			return endpoint;
		}

		@Override
		protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer reader, MessageConsumer consumer,
				LanguageClient remoteProxy) {
			return super.createMessageProcessor(new ResynchronizingMessageProducer(input, json, outgoing), consumer,
					remoteProxy);
		}
	}
}
