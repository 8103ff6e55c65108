package org.ilmpq.dsl.ui.bridge;

import java.util.Comparator;
import java.util.List;

import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightKind;
import org.eclipse.xtext.ide.server.occurrences.DefaultDocumentHighlightService;
import org.eclipse.xtext.ide.server.occurrences.IDocumentHighlightService;

/**
 * Where the element at an offset occurs in the text: its declaration and every reference to it, from the
 * language's document highlight service (the language server's textDocument/documentHighlight). One service for
 * three editor features: mark occurrences, find references and rename. References never leave a file (a spec has no
 * imports), so the occurrences in the file are all there are.
 */
public final class XtextOccurrences {

	/** One occurrence: a region of the text and whether it declares the element (else it refers to it). */
	public record Occurrence(int offset, int length, boolean declaration) {
	}

	private final ParsedDocument parsed;
	private final DefaultDocumentHighlightService service;

	public XtextOccurrences(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		IDocumentHighlightService bound = language.injector().getInstance(IDocumentHighlightService.class);
		this.service = bound instanceof DefaultDocumentHighlightService known ? known
				: language.injector().getInstance(DefaultDocumentHighlightService.class);
	}

	/** The occurrences of the element declared or referred to at {@code offset} of {@code text}, in text order. */
	public List<Occurrence> at(String text, int offset) {
		IDocument document = new Document(text);
		return parsed.read(text, state -> {
			List<DocumentHighlight> highlights = service.getDocumentHighlights(state.resource(), offset);
			return highlights.stream().map(highlight -> {
				int start = Conversions.offset(document, highlight.getRange().getStart());
				int end = Conversions.offset(document, highlight.getRange().getEnd());
				return new Occurrence(start, end - start, highlight.getKind() == DocumentHighlightKind.Write);
			}).filter(occurrence -> occurrence.length() > 0).distinct()
					.sorted(Comparator.comparingInt(Occurrence::offset)).toList();
		});
	}
}
