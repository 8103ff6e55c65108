package org.ilmpq.dsl.ui.bridge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

/**
 * The Xtext resource of one editor's text, parsed again only when the text changed since the last request. All
 * services read it through {@link #read}, one at a time: the reconciler's background thread, hover's thread and the
 * UI thread (content assist, quick fixes, formatting) never see a resource half updated.
 * <p>
 * A full reparse per change, not Xtext's partial one: specs are a few hundred lines, and a full parse keeps the
 * node model exactly what a fresh load gives (the benchmark in releng/org.ilmpq.benchmarks measures it).
 * <p>
 * The resource has the URI of the file the editor shows ({@link #locate}), so that its imports resolve against
 * the file's folder. The libraries they load are dropped at each change and read again from disk when next needed:
 * what a library's editor saved shows at the importer's next change.
 */
public final class ParsedDocument {

	/** The resource and the text it was parsed from, as the ide services take them. */
	public record State(XtextResource resource, Document document) {
	}

	private final XtextResourceSet resourceSet;
	private final XtextResource resource;
	private String text;
	private int version;

	public ParsedDocument(Injector injector, URI uri) {
		this.resourceSet = injector.getInstance(XtextResourceSet.class);
		this.resource = (XtextResource) injector.getInstance(org.eclipse.xtext.resource.IResourceFactory.class)
				.createResource(uri);
		resourceSet.getResources().add(resource);
	}

	/** Runs {@code reader} on the resource parsed from {@code currentText}. */
	public synchronized <T> T read(String currentText, Function<State, T> reader) {
		if (!currentText.equals(text)) {
			try {
				if (text == null) {
					resource.load(new ByteArrayInputStream(currentText.getBytes(StandardCharsets.UTF_8)),
							Map.of(XtextResource.OPTION_ENCODING, StandardCharsets.UTF_8.name()));
				} else {
					forgetLibraries();
					resource.reparse(currentText);
				}
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			text = currentText;
			version++;
		}
		return reader.apply(new State(resource, new Document(version, text)));
	}

	public URI uri() {
		return resource.getURI();
	}

	/** Places the text at the file {@code uri}, where its imports are resolved from; parsed again on the next read. */
	public synchronized void locate(URI uri) {
		if (!uri.equals(resource.getURI())) {
			resource.setURI(uri);
			text = null;
			forgetLibraries();
			resource.unload();
		}
	}

	private void forgetLibraries() {
		for (Resource other : List.copyOf(resourceSet.getResources())) {
			if (other != resource) {
				other.unload();
				resourceSet.getResources().remove(other);
			}
		}
	}
}
