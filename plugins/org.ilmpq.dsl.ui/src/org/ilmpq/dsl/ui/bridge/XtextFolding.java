package org.ilmpq.dsl.ui.bridge;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotationModel;

/**
 * Folding of multi-line elements (blocks, the quantization section, long comments): the regions of
 * {@link ReconciledViews} in a projection model. Regions that stay where they were keep their collapsed state.
 */
public final class XtextFolding {

	private XtextFolding() {
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
