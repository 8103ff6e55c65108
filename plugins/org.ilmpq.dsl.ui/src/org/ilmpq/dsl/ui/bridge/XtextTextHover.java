package org.ilmpq.dsl.ui.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.jface.text.DefaultInformationControl;
import org.eclipse.jface.text.IInformationControlCreator;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextHoverExtension;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.editors.text.EditorsUI;
import org.eclipse.ui.texteditor.MarkerAnnotation;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * Hover over the text: the messages of the problems under the pointer, then what the language's hover service
 * says of the element there. JFace calls it on a thread of its own.
 */
public final class XtextTextHover implements ITextHover, ITextHoverExtension {

	/** Lines of text a hover shows before it needs F2 and a scroll bar (the platform's default is 12). */
	static final int HEIGHT_LINES = 40;
	/** Characters of a hover's widest line (the platform's default is 100). */
	static final int WIDTH_CHARS = 100;

	private final ParsedDocument parsed;
	private final IHoverService service;
	private final XtextQuickFixes quickfixes;

	public XtextTextHover(XtextLanguage language, ParsedDocument parsed) {
		this.parsed = parsed;
		this.service = language.injector().getInstance(IHoverService.class);
		this.quickfixes = new XtextQuickFixes(language, parsed);
	}

	/**
	 * The hover's window: plain text wrapped at blanks ({@link WrappedText}), up to {@value #HEIGHT_LINES} lines
	 * high; F2 turns it into a resizable, scrollable one.
	 */
	@Override
	public IInformationControlCreator getHoverControlCreator() {
		return parent -> new DefaultInformationControl(parent, EditorsUI.getTooltipAffordanceString(),
				new WrappedText()) {
			@Override
			public Point computeSizeConstraints(int widthInChars, int heightInChars) {
				return super.computeSizeConstraints(Math.max(widthInChars, WIDTH_CHARS),
						Math.max(heightInChars, HEIGHT_LINES));
			}

			@Override
			public IInformationControlCreator getInformationPresenterControlCreator() {
				return shell -> new DefaultInformationControl(shell, (ToolBarManager) null, new WrappedText());
			}
		};
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

	private List<String> problems(ITextViewer viewer, int offset) {
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
					&& messages.stream().noneMatch(m -> m.startsWith(annotation.getText()))) {
				messages.add(annotation.getText() + fixesOf(viewer, position, annotation));
			}
		}
		return messages;
	}

	/** "1 quick fix available (Ctrl+1): LABEL" under a problem the language can fix; empty for others. */
	private String fixesOf(ITextViewer viewer, org.eclipse.jface.text.Position position, Annotation annotation) {
		Diagnostic diagnostic = XtextQuickAssistProcessor.diagnostic(viewer.getDocument(), position, annotation);
		if (diagnostic == null || diagnostic.getCode() == null || !quickfixes.handles(diagnostic.getCode().getLeft())) {
			return "";
		}
		List<XtextQuickFixes.Fix> fixes = quickfixes.fixes(viewer.getDocument().get(), List.of(diagnostic));
		if (fixes.isEmpty()) {
			return "";
		}
		return "\n" + (fixes.size() == 1 ? "1 quick fix available (Ctrl+1): " : fixes.size()
				+ " quick fixes available (Ctrl+1): ") + String.join("; ",
						fixes.stream().map(XtextQuickFixes.Fix::label).toList());
	}

	@Override
	public IRegion getHoverRegion(ITextViewer viewer, int offset) {
		return new Region(offset, 0);
	}
}
