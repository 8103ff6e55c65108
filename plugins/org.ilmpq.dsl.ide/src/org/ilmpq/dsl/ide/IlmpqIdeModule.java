package org.ilmpq.dsl.ide;

import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.ilmpq.dsl.ide.contentassist.IlmpqContentProposals;
import org.ilmpq.dsl.ide.highlighting.IlmpqSemanticHighlighting;

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
}
