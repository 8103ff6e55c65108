package org.ilmpq.dsl.ide;

import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.codeActions.QuickFixCodeActionService;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper.DocumentSymbolDetailsProvider;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper.DocumentSymbolNameProvider;
import org.ilmpq.dsl.ide.contentassist.IlmpqContentProposals;
import org.ilmpq.dsl.ide.highlighting.IlmpqSemanticHighlighting;
import org.ilmpq.dsl.ide.hover.IlmpqHover;
import org.ilmpq.dsl.ide.quickfix.IlmpqQuickfixes;
import org.ilmpq.dsl.ide.symbols.IlmpqSymbolDetails;
import org.ilmpq.dsl.ide.symbols.IlmpqSymbolNames;

/**
 * The ide services of the .ilmpq language, for any front end: the Eclipse editor of the workbench and the
 * language server use them alike.
 */
public class IlmpqIdeModule extends AbstractIlmpqIdeModule {

	public Class<? extends IdeContentProposalProvider> bindIdeContentProposalProvider() {
		return IlmpqContentProposals.class;
	}

	public Class<? extends ISemanticHighlightingCalculator> bindISemanticHighlightingCalculator() {
		return IlmpqSemanticHighlighting.class;
	}

	public Class<? extends IHoverService> bindIHoverService() {
		return IlmpqHover.class;
	}

	public Class<? extends IQuickFixProvider> bindIQuickFixProvider() {
		return IlmpqQuickfixes.class;
	}

	/** Code actions are the quick fixes of the diagnostics they are asked for. */
	public Class<? extends ICodeActionService2> bindICodeActionService2() {
		return QuickFixCodeActionService.class;
	}

	public Class<? extends DocumentSymbolNameProvider> bindDocumentSymbolNameProvider() {
		return IlmpqSymbolNames.class;
	}

	public Class<? extends DocumentSymbolDetailsProvider> bindDocumentSymbolDetailsProvider() {
		return IlmpqSymbolDetails.class;
	}
}
