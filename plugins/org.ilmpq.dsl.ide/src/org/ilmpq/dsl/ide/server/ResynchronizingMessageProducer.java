package org.ilmpq.dsl.ide.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.ilmpq.core.text.MessageText;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * lsp4j's reader of incoming messages, made to survive a hostile client. Frames come from a {@link FrameReader},
 * which finds the next frame after a garbled one. A message that is not what JSON-RPC 2.0 allows gets the error
 * response the specification gives it (section 5.1), where lsp4j would answer with the wrong code or not at all:
 * not JSON: -32700 with id null; not a request object, or an id neither string nor number: -32600 with id null;
 * an unknown method: -32601; parameters of the wrong type: -32602. Notifications are never answered.
 */
final class ResynchronizingMessageProducer implements MessageProducer, Closeable {

	private static final Logger LOG = Logger.getLogger(ResynchronizingMessageProducer.class.getName());

	private final FrameReader frames;
	private final MessageJsonHandler json;
	private final MessageConsumer replies;
	private volatile boolean open = true;

	/**
	 * @param replies where error responses go: the consumer the server's own responses go through, so that the two
	 *        never interleave on the output
	 */
	ResynchronizingMessageProducer(InputStream input, MessageJsonHandler json, MessageConsumer replies) {
		this.frames = new FrameReader(input);
		this.json = json;
		this.replies = replies;
	}

	@Override
	public void listen(MessageConsumer callback) {
		try {
			while (open) {
				Optional<FrameReader.Frame> frame = frames.next();
				if (frame.isEmpty()) {
					return; // the client closed its end
				}
				if (frame.get().body().isEmpty()) {
					LOG.warning("dropped a frame: " + frame.get().dropped().orElse("garbled"));
					continue;
				}
				handle(frame.get().body().get(), callback);
			}
		} catch (IOException e) {
			if (open) {
				throw new JsonRpcException(e);
			}
		}
	}

	private void handle(String body, MessageConsumer callback) {
		JsonElement element = JsonValues.parse(body);
		if (element == null) {
			reply(null, ResponseErrorCode.ParseError, "the message is not JSON");
			return;
		}
		if (!element.isJsonObject()) {
			reply(null, ResponseErrorCode.InvalidRequest, "a message is a JSON object");
			return;
		}
		JsonObject object = element.getAsJsonObject();
		boolean request = object.has("method");
		JsonElement id = object.get("id");
		Either<String, Number> rawId = null;
		if (id != null && !id.isJsonNull()) {
			if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isString()) {
				rawId = Either.forLeft(id.getAsString());
			} else if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
				rawId = Either.forRight(id.getAsNumber());
			} else {
				if (request) {
					reply(null, ResponseErrorCode.InvalidRequest, "the id of a request is a string or a number");
				}
				return;
			}
		}
		JsonElement method = object.get("method");
		if (request && !(method.isJsonPrimitive() && method.getAsJsonPrimitive().isString())) {
			if (rawId != null) {
				reply(rawId, ResponseErrorCode.InvalidRequest, "the method of a request is a string");
			}
			return;
		}
		Message message;
		try {
			message = json.parseMessage(body);
		} catch (MessageIssueException e) {
			if (e.getRpcMessage() instanceof RequestMessage) {
				reply(rawId, ResponseErrorCode.InvalidParams,
						"the parameters of " + MessageText.escape(method.getAsString()) + " are not of its types");
			} else {
				LOG.warning("dropped a notification or response whose content does not fit its type");
			}
			return;
		} catch (JsonParseException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
			if (request && rawId != null) {
				reply(rawId, ResponseErrorCode.InvalidRequest, "the message is not a request JSON-RPC knows");
			}
			LOG.log(Level.FINE, "unreadable message", e);
			return;
		}
		if (message instanceof RequestMessage call && json.getJsonRpcMethod(call.getMethod()) == null) {
			reply(call.getRawId(), ResponseErrorCode.MethodNotFound,
					"no method " + MessageText.escape(call.getMethod()));
			return;
		}
		callback.consume(message);
	}

	private void reply(Either<String, Number> id, ResponseErrorCode code, String text) {
		ResponseMessage response = new ResponseMessage();
		response.setRawId(id);
		response.setError(new ResponseError(code, text, null));
		replies.consume(response);
	}

	@Override
	public void close() {
		open = false;
	}
}
