package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.AnnotationModel;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.editor.IlmpqLanguage;
import org.junit.jupiter.api.Test;

/** Validation while typing, as the reconciler's thread runs it, cancelled by a keystroke or not. */
class ReconcilingStrategyTest {

	private static final String INVALID = "network n\nquantization {\n    split 60 % pot 4, 30 % fixed 4\n}\n"
			+ "input x: 3 x 8 x 8\nc = conv(x, out=4, kernel=3)\noutput c\n";

	private final AnnotationModel annotations = new AnnotationModel();
	private final XtextReconcilingStrategy strategy = new XtextReconcilingStrategy(IlmpqLanguage.get(),
			new ParsedDocument(IlmpqLanguage.get().injector(), URI.createURI("reconcile.ilmpq")), () -> annotations);

	private List<String> problems() {
		List<String> texts = new ArrayList<>();
		for (Iterator<Annotation> it = annotations.getAnnotationIterator(); it.hasNext();) {
			texts.add(it.next().getText());
		}
		return texts;
	}

	@Test
	void aCancelledRunChangesNothingAndTheNextRunValidates() {
		strategy.setDocument(new Document(INVALID));
		NullProgressMonitor cancelled = new NullProgressMonitor();
		cancelled.setCanceled(true);
		strategy.setProgressMonitor(cancelled);
		strategy.reconcile(); // Xtext throws OperationCanceledError inside: it must not escape
		assertEquals(List.of(), problems());
		strategy.setProgressMonitor(new NullProgressMonitor());
		strategy.reconcile();
		assertEquals(List.of("the shares of a split add up to 100 %, these to 90 %"), problems());
	}
}
