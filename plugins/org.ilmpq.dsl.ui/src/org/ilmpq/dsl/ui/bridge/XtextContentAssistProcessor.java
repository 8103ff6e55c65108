package org.ilmpq.dsl.ui.bridge;

import java.util.List;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.contentassist.IContentAssistProcessor;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.jface.text.contentassist.IContextInformationValidator;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.InsertTextFormat;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.server.contentassist.ContentAssistService;
import org.eclipse.xtext.util.CancelIndicator;

/** Content assist (Ctrl+Space) from Xtext's content assist service: keywords, names in scope, the language's own. */
public final class XtextContentAssistProcessor implements IContentAssistProcessor {

	private final ParsedDocument parsed;
	private final ContentAssistService service;

	public XtextContentAssistProcessor(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.service = language.injector().getInstance(ContentAssistService.class);
	}

	@Override
	public ICompletionProposal[] computeCompletionProposals(ITextViewer viewer, int offset) {
		IDocument document = viewer.getDocument();
		List<CompletionItem> items = parsed.read(document.get(), state -> service.createCompletionList(
				state.document(), state.resource(), new CompletionParams(
						new TextDocumentIdentifier(parsed.uri().toString()), Conversions.position(document, offset)),
				CancelIndicator.NullImpl).getItems());
		return items.stream().map(item -> proposal(document, offset, item)).toArray(ICompletionProposal[]::new);
	}

	private static ICompletionProposal proposal(IDocument document, int offset, CompletionItem item) {
		TextEdit edit = item.getTextEdit() != null && item.getTextEdit().isLeft() ? item.getTextEdit().getLeft() : null;
		String text = edit != null ? edit.getNewText() : item.getInsertText() != null ? item.getInsertText() : item.getLabel();
		int start = edit != null ? Conversions.offset(document, edit.getRange().getStart()) : offset;
		int end = edit != null ? Math.max(offset, Conversions.offset(document, edit.getRange().getEnd())) : offset;
		String display = item.getDetail() == null || item.getDetail().isEmpty() ? item.getLabel()
				: item.getLabel() + " - " + item.getDetail();
		if (item.getInsertTextFormat() == InsertTextFormat.Snippet) {
			return SnippetTemplates.proposal(document, start, end - start, item.getLabel(), display, text);
		}
		return new CompletionProposal(text, start, end - start, text.length(), null, display, null, null);
	}

	@Override
	public IContextInformation[] computeContextInformation(ITextViewer viewer, int offset) {
		return null;
	}

	@Override
	public char[] getCompletionProposalAutoActivationCharacters() {
		return null;
	}

	@Override
	public char[] getContextInformationAutoActivationCharacters() {
		return null;
	}

	@Override
	public String getErrorMessage() {
		return null;
	}

	@Override
	public IContextInformationValidator getContextInformationValidator() {
		return null;
	}
}
