package org.ilmpq.dsl.ide.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.ilmpq.dsl.validation.IssueCodes;
import org.junit.jupiter.api.Test;

/** Quick fixes, through the code-action service of the language server (the workbench editor calls the same provider). */
class QuickFixTest {

	private static final String DIGITS = """
			network n
			target %s
			quantization {
			    split %s
			    activations fixed 4
			}
			input image: 1 x 8 x 8
			conv1 = conv(image, out=16, kernel=3, padding=1)
			relu1 = relu(conv1)
			flat = flatten(relu1)
			fc = linear(flat, out=10)
			output fc
			""";

	/** The titles of the fixes offered for the first issue with {@code code}. */
	private static List<CodeAction> fixes(String text, String code) {
		XtextResource resource = IdeServicesFixture.load(text);
		Issue issue = IdeServicesFixture.INJECTOR.getInstance(IResourceValidator.class)
				.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl).stream()
				.filter(i -> code.equals(i.getCode())).findFirst()
				.orElseThrow(() -> new AssertionError("no issue " + code));
		Document document = new Document(1, text);
		Diagnostic diagnostic = new Diagnostic(
				new org.eclipse.lsp4j.Range(document.getPosition(issue.getOffset()),
						document.getPosition(issue.getOffset() + issue.getLength())),
				issue.getMessage(), issue.getSeverity() == Severity.ERROR ? org.eclipse.lsp4j.DiagnosticSeverity.Error
						: org.eclipse.lsp4j.DiagnosticSeverity.Warning, "ilmpq", issue.getCode());
		diagnostic.setData(issue.getData());
		ICodeActionService2.Options options = new ICodeActionService2.Options();
		options.setDocument(document);
		options.setResource(resource);
		options.setURI(resource.getURI().toString());
		options.setCancelIndicator(CancelIndicator.NullImpl);
		options.setCodeActionParams(new CodeActionParams(new TextDocumentIdentifier(options.getURI()),
				diagnostic.getRange(), new CodeActionContext(List.of(diagnostic))));
		options.setLanguageServerAccess(new OneDocumentAccess(resource, document));
		return IdeServicesFixture.INJECTOR.getInstance(ICodeActionService2.class).getCodeActions(options).stream()
				.map(Either<Command, CodeAction>::getRight).toList();
	}

	private static String applied(String text, CodeAction action) {
		// the ranges of an LSP edit refer to the text before it; Document applies them one after the other
		List<TextEdit> edits = new ArrayList<>(action.getEdit().getChanges().values().iterator().next());
		edits.sort(Comparator.comparing((TextEdit edit) -> edit.getRange().getStart().getLine())
				.thenComparing(edit -> edit.getRange().getStart().getCharacter()).reversed());
		return new Document(1, text).applyChanges(edits).getContents();
	}

	@Test
	void sharesNotAddingUpToHundredAreScaledInWholePercents() {
		String text = DIGITS.formatted("PYNQ-Z2", "60 % pot 4, 30 % fixed 4, 5 % fixed 8");
		List<CodeAction> fixes = fixes(text, IssueCodes.SPLIT_SUM);
		assertEquals(List.of("Scale the shares to add up to 100 %"), fixes.stream().map(CodeAction::getTitle).toList());
		assertEquals(DIGITS.formatted("PYNQ-Z2", "63 % pot 4, 32 % fixed 4, 5 % fixed 8"), applied(text, fixes.get(0)));
	}

	@Test
	void anUnknownDeviceIsChangedToTheClosestKnownName() {
		String text = DIGITS.formatted("PYNQ-Z3", "60 % pot 4, 35 % fixed 4, 5 % fixed 8");
		List<CodeAction> fixes = fixes(text, IssueCodes.UNKNOWN_DEVICE);
		assertEquals(List.of("Change to 'PYNQ-Z2'"), fixes.stream().map(CodeAction::getTitle).toList());
		assertEquals(DIGITS.formatted("PYNQ-Z2", "60 % pot 4, 35 % fixed 4, 5 % fixed 8"), applied(text, fixes.get(0)));
	}

	@Test
	void aDeviceWithoutPackageOffersEachOfItsPartNumbers() {
		String text = DIGITS.formatted("xc7z020", "60 % pot 4, 35 % fixed 4, 5 % fixed 8");
		List<String> titles = fixes(text, IssueCodes.UNKNOWN_DEVICE).stream().map(CodeAction::getTitle).toList();
		assertEquals(List.of("Change to 'xc7z020clg400-1'"), titles.stream().filter(t -> t.contains("clg400-1"))
				.toList());
	}

	@Test
	void anIdleEngineWarningOffersTheOptimisersSplit() {
		// the network of the language tests' idle-engine warning (HardwareValidationTest): few LUTs for pot 4 rows
		String tight = """
				network n
				target PYNQ-Z2 budget lut 15 %%
				quantization {
				    split %s
				}
				input x: 64 x 56 x 56
				c1 = conv(x, out=64, kernel=3, padding=1, bias=false)
				c2 = conv(c1, out=64, kernel=3, padding=1, bias=false)
				output c2
				""";
		String text = tight.formatted("60 % pot 4, 35 % fixed 4, 5 % fixed 8");
		List<CodeAction> fixes = fixes(text, IssueCodes.IDLE_ENGINE);
		assertEquals(List.of("Apply the optimiser's split '0 % pot 4, 95 % fixed 4, 5 % fixed 8'"),
				fixes.stream().map(CodeAction::getTitle).toList());
		assertEquals(tight.formatted("0 % pot 4, 95 % fixed 4, 5 % fixed 8"), applied(text, fixes.get(0)));
	}


	@Test
	void normalisingKeepsEveryShareAboveZero() {
		String text = DIGITS.formatted("PYNQ-Z2", "1000 % pot 4, 0.1 % fixed 8");
		assertEquals(DIGITS.formatted("PYNQ-Z2", "99 % pot 4, 1 % fixed 8"),
				applied(text, fixes(text, IssueCodes.SPLIT_SUM).get(0)));
	}

	@Test
	void negativeSharesCountAsZeroWhenScaling() {
		String text = DIGITS.formatted("PYNQ-Z2", "-10 % pot 4, 60 % fixed 4");
		assertEquals(DIGITS.formatted("PYNQ-Z2", "0 % pot 4, 100 % fixed 4"),
				applied(text, fixes(text, IssueCodes.SPLIT_SUM).get(0)));
	}

	@Test
	void manySmallSharesKeepOnePercentEach() {
		String text = DIGITS.formatted("PYNQ-Z2", "0.2 % pot 4, 0.2 % sp2 4, 0.2 % fixed 8, 99 % fixed 4");
		assertEquals(DIGITS.formatted("PYNQ-Z2", "1 % pot 4, 1 % sp2 4, 1 % fixed 8, 97 % fixed 4"),
				applied(text, fixes(text, IssueCodes.SPLIT_SUM).get(0)));
	}

	@Test
	void sharesOfZeroOfferNoScaling() {
		assertEquals(List.of(), fixes(DIGITS.formatted("PYNQ-Z2", "0 % pot 4, 0 % fixed 4"), IssueCodes.SPLIT_SUM));
	}
}
