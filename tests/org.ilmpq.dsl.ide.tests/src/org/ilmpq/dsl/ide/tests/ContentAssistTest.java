package org.ilmpq.dsl.ide.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.contentassist.ContentAssistService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** Content assist, through the service the language server answers completion requests with. */
class ContentAssistTest {

	/** The labels proposed where {@code |} stands in {@code text}. */
	private static List<String> proposals(String text) {
		int offset = text.indexOf('|');
		String source = text.substring(0, offset) + text.substring(offset + 1);
		Document document = new Document(1, source);
		Position position = document.getPosition(offset);
		ContentAssistService service = IdeServicesFixture.INJECTOR.getInstance(ContentAssistService.class);
		CompletionParams params = new CompletionParams(new TextDocumentIdentifier("inline.ilmpq"), position);
		return service.createCompletionList(document, IdeServicesFixture.load(source), params, CancelIndicator.NullImpl)
				.getItems().stream().map(CompletionItem::getLabel).toList();
	}

	@Test
	void afterTargetThePartsAndBoardsOfTheDeviceLibraryAreProposed() {
		List<String> proposals = proposals("network n\ntarget |\n");
		assertTrue(proposals.containsAll(List.of("PYNQ-Z2", "ZedBoard", "ZC706", "xc7z020clg400-1", "xc7z045ffg900-2")),
				proposals.toString());
	}

	@Test
	void aPrefixNarrowsTheDevices() {
		assertEquals(List.of("ZC706", "ZCU102", "ZedBoard"), proposals("network n\ntarget Z|\n").stream().sorted().toList());
	}

	@Test
	void theInputsAndLayersInScopeAreProposedAsTensors() {
		List<String> proposals = proposals("""
				network n
				input image: 3 x 8 x 8
				conv1 = conv(image, out=4, kernel=3)
				relu1 = relu(|)
				""");
		assertTrue(proposals.containsAll(List.of("image", "conv1")), proposals.toString());
	}

	@Test
	void theSchemesAreProposedInASplit() {
		List<String> proposals = proposals("""
				network n
				quantization {
				    split 60 % |
				}
				""");
		assertTrue(proposals.containsAll(List.of("fixed", "pot", "sp2")), proposals.toString());
	}

	/** The completion items proposed where {@code |} stands in {@code text}. */
	private static List<CompletionItem> items(String text) {
		int offset = text.indexOf('|');
		String source = text.substring(0, offset) + text.substring(offset + 1);
		Document document = new Document(1, source);
		ContentAssistService service = IdeServicesFixture.INJECTOR.getInstance(ContentAssistService.class);
		CompletionParams params = new CompletionParams(new TextDocumentIdentifier("inline.ilmpq"),
				document.getPosition(offset));
		return service.createCompletionList(document, IdeServicesFixture.load(source), params, CancelIndicator.NullImpl)
				.getItems();
	}

	@Test
	void whereAStatementMayStartTheThreeTemplatesAreProposedAsSnippets() {
		List<CompletionItem> snippets = items("network n\ninput x: 3 x 8 x 8\n|\n").stream()
				.filter(item -> item.getInsertTextFormat() == org.eclipse.lsp4j.InsertTextFormat.Snippet).toList();
		assertEquals(List.of("conv-bn-relu", "quantization", "residual-block"),
				snippets.stream().map(CompletionItem::getLabel).sorted().toList());
		CompletionItem triple = snippets.stream().filter(item -> item.getLabel().equals("conv-bn-relu")).findFirst()
				.orElseThrow();
		assertEquals("${1:conv2} = conv(${2:x}, out=${3:64}, kernel=3, padding=1, bias=false)\n"
				+ "${4:bn2} = batchnorm(${1:conv2})\n${5:relu2} = relu(${4:bn2})$0",
				triple.getTextEdit().getLeft().getNewText());
	}

	@Test
	void aPrefixNarrowsTheTemplates() {
		assertEquals(List.of("residual-block"), items("network n\nre|\n").stream()
				.filter(item -> item.getInsertTextFormat() == org.eclipse.lsp4j.InsertTextFormat.Snippet)
				.map(CompletionItem::getLabel).toList());
	}

	@Test
	void insideABlockNoBlockOrQuantizationTemplateIsProposed() {
		List<String> snippets = items("network n\nblock B(tensor x) {\n    |\n}\n").stream()
				.filter(item -> item.getInsertTextFormat() == org.eclipse.lsp4j.InsertTextFormat.Snippet)
				.map(CompletionItem::getLabel).toList();
		assertEquals(List.of("conv-bn-relu"), snippets);
	}
}
