package org.ilmpq.dsl.ui.bridge;

import java.util.function.BiConsumer;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.jface.text.hyperlink.IHyperlinkDetector;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.ILocationInFileProvider;
import org.eclipse.xtext.util.ITextRegion;

/**
 * Go to definition (Ctrl+click, and F3 through {@link #declaration}): from a cross-reference to the name of the
 * element it refers to, in the same file (the languages this serves have no references between files).
 */
public final class XtextHyperlinkDetector implements IHyperlinkDetector {

	/** Where a reference at some offset is written, and where what it refers to is declared. */
	public record Declaration(IRegion reference, IRegion declaration, String name) {
	}

	private final ParsedDocument parsed;
	private final EObjectAtOffsetHelper elements;
	private final ILocationInFileProvider locations;
	private final BiConsumer<Integer, Integer> reveal;

	/** @param reveal selects and shows a range of the text, unfolding it where folded (the editor's selectAndReveal) */
	public XtextHyperlinkDetector(XtextLanguage language, ParsedDocument parsed, BiConsumer<Integer, Integer> reveal) {
		this.parsed = parsed;
		this.reveal = reveal;
		this.elements = language.injector().getInstance(EObjectAtOffsetHelper.class);
		this.locations = language.injector().getInstance(ILocationInFileProvider.class);
	}

	/** The declaration of the element referred to at {@code offset}; null where no reference is. */
	public Declaration declaration(String text, int offset) {
		return parsed.read(text, state -> {
			INode reference = elements.getCrossReferenceNode(state.resource(), new org.eclipse.xtext.util.TextRegion(offset, 0));
			EObject target = elements.resolveCrossReferencedElementAt(state.resource(), offset);
			if (reference == null || target == null || target.eIsProxy() || target.eResource() != state.resource()) {
				return null;
			}
			ITextRegion region = locations.getSignificantTextRegion(target);
			return new Declaration(new Region(reference.getOffset(), reference.getLength()),
					new Region(region.getOffset(), region.getLength()), NodeModelUtils.getTokenText(reference));
		});
	}

	@Override
	public IHyperlink[] detectHyperlinks(ITextViewer viewer, IRegion region, boolean canShowMultipleHyperlinks) {
		Declaration declaration = declaration(viewer.getDocument().get(), region.getOffset());
		if (declaration == null) {
			return null;
		}
		return new IHyperlink[] { new IHyperlink() {
			@Override
			public IRegion getHyperlinkRegion() {
				return declaration.reference();
			}

			@Override
			public String getTypeLabel() {
				return "Declaration";
			}

			@Override
			public String getHyperlinkText() {
				return "Open Declaration of " + declaration.name();
			}

			@Override
			public void open() {
				reveal.accept(declaration.declaration().getOffset(), declaration.declaration().getLength());
			}
		} };
	}
}
