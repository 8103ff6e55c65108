package org.ilmpq.dsl.ide.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * The error a request that failed inside the server answers with: the code JSON-RPC gives the failure, a short
 * message, and nothing else. lsp4j's default puts the Java stack trace into {@code data}, and Xtext's messages quote
 * whole documents (a position out of range names the text it is out of).
 */
final class ServerErrors implements Function<Throwable, ResponseError> {

	private static final Logger LOG = Logger.getLogger(ServerErrors.class.getName());

	@Override
	public ResponseError apply(Throwable thrown) {
		Throwable cause = thrown;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException
				|| cause instanceof java.lang.reflect.InvocationTargetException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		LOG.log(Level.FINE, "a request failed", cause);
		if (cause instanceof ResponseErrorException answered) {
			ResponseError error = answered.getResponseError();
			return new ResponseError(error.getCode(), error.getMessage(), null);
		}
		if (cause instanceof UnsupportedOperationException) {
			return new ResponseError(ResponseErrorCode.MethodNotFound, "the server has no such method", null);
		}
		if (cause instanceof IndexOutOfBoundsException) {
			return new ResponseError(ResponseErrorCode.InvalidParams, "a position lies outside the document", null);
		}
		if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
			return new ResponseError(ResponseErrorCode.InvalidParams, "the parameters do not fit the request", null);
		}
		return new ResponseError(ResponseErrorCode.InternalError,
				"internal error: " + cause.getClass().getSimpleName(), null);
	}
}
