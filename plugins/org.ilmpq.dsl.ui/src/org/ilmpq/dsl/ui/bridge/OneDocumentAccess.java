package org.ilmpq.dsl.ui.bridge;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.ILanguageServerAccess;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * What Xtext's quick fixes ask of a language server, answered for the one document of an editor: its resource
 * and text. There is no index and no client.
 */
final class OneDocumentAccess implements ILanguageServerAccess {

	private final ParsedDocument.State state;

	OneDocumentAccess(ParsedDocument.State state) {
		this.state = state;
	}

	@Override
	public <T> CompletableFuture<T> doRead(String uri, Function<Context, T> function) {
		return CompletableFuture.completedFuture(doSyncRead(uri, function));
	}

	@Override
	public <T> T doSyncRead(String uri, Function<Context, T> function) {
		return function.apply(new Context(state.resource(), state.document(), true, CancelIndicator.NullImpl));
	}

	@Override
	public <T> CompletableFuture<T> doReadIndex(Function<? super IndexContext, ? extends T> function) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("an editor has no index"));
	}

	@Override
	public void addBuildListener(IBuildListener listener) {
		// one document, no builds
	}

	@Override
	public LanguageClient getLanguageClient() {
		return null;
	}

	@Override
	public ResourceSet newLiveScopeResourceSet(URI uri) {
		return state.resource().getResourceSet();
	}

	@Override
	public InitializeParams getInitializeParams() {
		return null;
	}

	@Override
	public InitializeResult getInitializeResult() {
		return null;
	}
}
