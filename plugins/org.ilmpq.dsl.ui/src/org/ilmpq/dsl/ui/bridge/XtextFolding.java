package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotationModel;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.xtext.ide.server.folding.FoldingRangeService;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * Folding of multi-line elements (blocks, the quantization section, long comments), from Xtext's folding range
 * service. Regions that stay where they were keep their collapsed state.
 */
public final class XtextFolding {

	private final FoldingRangeService service;

	public XtextFolding(XtextLanguage language) {
		this.service = language.injector().getInstance(FoldingRangeService.class);
	}

	/** The regions to fold, as whole lines of {@code text}; computed on the reconciler's thread. */
	public List<Position> regions(ParsedDocument.State state, IDocument document, CancelIndicator cancel) {
		List<Position> regions = new ArrayList<>();
		for (FoldingRange range : service.createFoldingRanges(state.document(), state.resource(), cancel)) {
			try {
				int start = document.getLineOffset(range.getStartLine());
				int endLine = range.getEndLine();
				int end = endLine + 1 < document.getNumberOfLines() ? document.getLineOffset(endLine + 1)
						: document.getLength();
				regions.add(new Position(start, end - start));
			} catch (BadLocationException e) {
				// the document moved on since this state: the next reconcile brings the right regions
			}
		}
		return regions;
	}

	/** Replaces the model's folding regions with {@code regions}; call it on the UI thread. */
	public static void update(ProjectionAnnotationModel model, List<Position> regions) {
		Map<Position, Annotation> existing = new HashMap<>();
		Iterator<Annotation> annotations = model.getAnnotationIterator();
		while (annotations.hasNext()) {
			Annotation annotation = annotations.next();
			if (annotation instanceof ProjectionAnnotation) {
				Position position = model.getPosition(annotation);
				if (position != null) {
					existing.put(new Position(position.getOffset(), position.getLength()), annotation);
				}
			}
		}
		Map<Annotation, Position> added = new HashMap<>();
		for (Position region : regions) {
			if (existing.remove(region) == null) {
				added.put(new ProjectionAnnotation(), region);
			}
		}
		model.modifyAnnotations(existing.values().toArray(Annotation[]::new), added, null);
	}
}
