package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.ui.texteditor.MarkerAnnotation;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * Hover over the text: the messages of the problems under the pointer, then what the language's hover service
 * says of the element there. JFace calls it on a thread of its own.
 */
public final class XtextTextHover implements ITextHover {

	private final ParsedDocument parsed;
	private final IHoverService service;

	public XtextTextHover(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.service = language.injector().getInstance(IHoverService.class);
	}

	@Override
	public String getHoverInfo(ITextViewer viewer, IRegion region) {
		List<String> parts = new ArrayList<>(problems(viewer, region.getOffset()));
		String element = elementHover(viewer, region.getOffset());
		if (element != null && !element.isBlank()) {
			parts.add(element);
		}
		return parts.isEmpty() ? null : String.join("\n\n", parts);
	}

	/** The hover service's text for the element at {@code offset}, as plain text; null where it has none. */
	public String elementHover(ITextViewer viewer, int offset) {
		String text = viewer.getDocument().get();
		Hover hover = parsed.read(text, state -> service.hover(state.document(), state.resource(),
				new HoverParams(new TextDocumentIdentifier(parsed.uri().toString()),
						Conversions.position(viewer.getDocument(), offset)), CancelIndicator.NullImpl));
		if (hover == null || hover.getContents() == null || !hover.getContents().isRight()) {
			return null;
		}
		return Conversions.plainText(hover.getContents().getRight().getValue());
	}

	private static List<String> problems(ITextViewer viewer, int offset) {
		List<String> messages = new ArrayList<>();
		if (!(viewer instanceof ISourceViewer source) || source.getAnnotationModel() == null) {
			return messages;
		}
		IAnnotationModel model = source.getAnnotationModel();
		Iterator<Annotation> annotations = model.getAnnotationIterator();
		while (annotations.hasNext()) {
			Annotation annotation = annotations.next();
			org.eclipse.jface.text.Position position = model.getPosition(annotation);
			if ((annotation instanceof IssueAnnotation || annotation instanceof MarkerAnnotation) && position != null
					&& position.includes(offset) && annotation.getText() != null
					&& !messages.contains(annotation.getText())) {
				messages.add(annotation.getText());
			}
		}
		return messages;
	}

	@Override
	public IRegion getHoverRegion(ITextViewer viewer, int offset) {
		return new Region(offset, 0);
	}
}
