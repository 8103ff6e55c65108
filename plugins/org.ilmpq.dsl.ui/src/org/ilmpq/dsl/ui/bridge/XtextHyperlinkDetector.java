package org.ilmpq.dsl.ui.bridge;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.jface.text.hyperlink.IHyperlinkDetector;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.ILocationInFileProvider;
import org.eclipse.xtext.scoping.impl.ImportUriResolver;
import org.eclipse.xtext.util.ITextRegion;

/**
 * Go to definition (Ctrl+click, and F3 through {@link #declaration}): from a cross-reference to the name of the
 * element it refers to, in this file or in another (an imported one); from the path of an import (an attribute
 * {@code importURI}, Xtext's convention) to the name of the file's root element.
 */
public final class XtextHyperlinkDetector implements IHyperlinkDetector {

	/**
	 * Where a reference at some offset is written, and where what it refers to is declared: in this file, or in the
	 * file {@code otherFile}.
	 */
	public record Declaration(IRegion reference, IRegion declaration, String name, Optional<URI> otherFile) {
	}

	private final ParsedDocument parsed;
	private final EObjectAtOffsetHelper elements;
	private final ILocationInFileProvider locations;
	private final ImportUriResolver imports;
	private final Consumer<Declaration> open;

	/** @param open shows a declaration: selects it in this editor, or opens the other file's (the editor's) */
	public XtextHyperlinkDetector(XtextLanguage language, ParsedDocument parsed, Consumer<Declaration> open) {
		this.parsed = parsed;
		this.open = open;
		this.elements = language.injector().getInstance(EObjectAtOffsetHelper.class);
		this.locations = language.injector().getInstance(ILocationInFileProvider.class);
		this.imports = language.injector().getInstance(ImportUriResolver.class);
	}

	/** The declaration of the element referred to at {@code offset}; null where no reference is. */
	public Declaration declaration(String text, int offset) {
		return parsed.read(text, state -> {
			INode reference = elements.getCrossReferenceNode(state.resource(), new org.eclipse.xtext.util.TextRegion(offset, 0));
			if (reference == null) {
				return importedFile(state.resource(), offset);
			}
			EObject target = elements.resolveCrossReferencedElementAt(state.resource(), offset);
			if (target == null || target.eIsProxy() || target.eResource() == null) {
				return null;
			}
			ITextRegion region = locations.getSignificantTextRegion(target);
			Optional<URI> otherFile = target.eResource() == state.resource() ? Optional.empty()
					: Optional.of(target.eResource().getURI());
			return new Declaration(new Region(reference.getOffset(), reference.getLength()),
					new Region(region.getOffset(), region.getLength()), NodeModelUtils.getTokenText(reference), otherFile);
		});
	}

	/** The file whose path is written at {@code offset}, its root element's name selected; null where none is. */
	private Declaration importedFile(Resource resource, int offset) {
		EObject element = elements.resolveElementAt((org.eclipse.xtext.resource.XtextResource) resource, offset);
		String path = element == null ? null : imports.resolve(element);
		if (path == null) {
			return null;
		}
		EStructuralFeature feature = element.eClass().getEStructuralFeature(imports.getAttributeName());
		List<INode> nodes = NodeModelUtils.findNodesForFeature(element, feature);
		if (nodes.isEmpty() || offset < nodes.get(0).getOffset() || offset > nodes.get(0).getEndOffset()) {
			return null;
		}
		// a file of the workspace or the disk only: a link never opens a connection (an import of http://...)
		Resource imported;
		try {
			URI uri = URI.createURI(path.replace('\\', '/')).resolve(resource.getURI());
			imported = uri.isFile() || uri.isPlatformResource() ? resource.getResourceSet().getResource(uri, true) : null;
		} catch (RuntimeException unreadable) {
			// no URI, a base it cannot be resolved against, a missing or unreadable file
			return null;
		}
		if (imported == null || imported.getContents().isEmpty()) {
			return null;
		}
		ITextRegion region = locations.getSignificantTextRegion(imported.getContents().get(0));
		INode node = nodes.get(0);
		return new Declaration(new Region(node.getOffset(), node.getLength()),
				new Region(region.getOffset(), region.getLength()), path, Optional.of(imported.getURI()));
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
				open.accept(declaration);
			}
		} };
	}
}
