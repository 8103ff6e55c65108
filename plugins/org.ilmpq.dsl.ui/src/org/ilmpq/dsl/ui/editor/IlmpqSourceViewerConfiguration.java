package org.ilmpq.dsl.ui.editor;

import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITypedRegion;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.contentassist.ContentAssistant;
import org.eclipse.jface.text.contentassist.IContentAssistant;
import org.eclipse.jface.text.hyperlink.IHyperlinkDetector;
import org.eclipse.jface.text.hyperlink.URLHyperlinkDetector;
import org.eclipse.jface.text.presentation.IPresentationReconciler;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.quickassist.IQuickAssistAssistant;
import org.eclipse.jface.text.quickassist.QuickAssistAssistant;
import org.eclipse.jface.text.reconciler.IReconciler;
import org.eclipse.jface.text.reconciler.MonoReconciler;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.ui.editors.text.TextSourceViewerConfiguration;
import org.ilmpq.dsl.ui.bridge.XtextContentAssistProcessor;
import org.ilmpq.dsl.ui.bridge.XtextHyperlinkDetector;
import org.ilmpq.dsl.ui.bridge.XtextQuickAssistProcessor;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.bridge.XtextTextHover;
import org.ilmpq.dsl.ui.bridge.XtextTokenScanner;

/** How the editor's viewer is put together from the bridge's pieces. */
public final class IlmpqSourceViewerConfiguration extends TextSourceViewerConfiguration {

	/** Milliseconds after the last keystroke before the text is validated. */
	static final int RECONCILE_DELAY = 300;

	private final IlmpqEditor editor;

	IlmpqSourceViewerConfiguration(IlmpqEditor editor, IPreferenceStore preferences) {
		super(preferences);
		this.editor = editor;
	}

	@Override
	public IReconciler getReconciler(ISourceViewer viewer) {
		XtextReconcilingStrategy strategy = editor.reconcilingStrategy(viewer);
		MonoReconciler reconciler = new MonoReconciler(strategy, false);
		reconciler.setDelay(RECONCILE_DELAY);
		return reconciler;
	}

	@Override
	public IPresentationReconciler getPresentationReconciler(ISourceViewer viewer) {
		PresentationReconciler reconciler = new PresentationReconciler();
		reconciler.setDocumentPartitioning(getConfiguredDocumentPartitioning(viewer));
		DefaultDamagerRepairer damagerRepairer = new DefaultDamagerRepairer(new XtextTokenScanner(IlmpqLanguage.get())) {
			// an edit may open or close a comment: everything after it may look different
			@Override
			public IRegion getDamageRegion(ITypedRegion partition, DocumentEvent event, boolean changed) {
				try {
					int start = fDocument.getLineOffset(fDocument.getLineOfOffset(event.getOffset()));
					return new Region(start, fDocument.getLength() - start);
				} catch (org.eclipse.jface.text.BadLocationException e) {
					return partition;
				}
			}
		};
		reconciler.setDamager(damagerRepairer, IDocument.DEFAULT_CONTENT_TYPE);
		reconciler.setRepairer(damagerRepairer, IDocument.DEFAULT_CONTENT_TYPE);
		return reconciler;
	}

	@Override
	public IContentAssistant getContentAssistant(ISourceViewer viewer) {
		ContentAssistant assistant = new ContentAssistant();
		assistant.setContentAssistProcessor(new XtextContentAssistProcessor(IlmpqLanguage.get(), editor.parsed()),
				IDocument.DEFAULT_CONTENT_TYPE);
		assistant.setInformationControlCreator(getInformationControlCreator(viewer));
		assistant.enableAutoInsert(true);
		return assistant;
	}

	@Override
	public IQuickAssistAssistant getQuickAssistAssistant(ISourceViewer viewer) {
		QuickAssistAssistant assistant = new QuickAssistAssistant();
		assistant.setQuickAssistProcessor(new XtextQuickAssistProcessor(IlmpqLanguage.get(), editor.parsed()));
		assistant.setInformationControlCreator(getInformationControlCreator(viewer));
		return assistant;
	}

	@Override
	public ITextHover getTextHover(ISourceViewer viewer, String contentType) {
		return new XtextTextHover(IlmpqLanguage.get(), editor.parsed());
	}

	@Override
	public IHyperlinkDetector[] getHyperlinkDetectors(ISourceViewer viewer) {
		return new IHyperlinkDetector[] { editor.hyperlinks(), new URLHyperlinkDetector() };
	}

	@Override
	public String[] getDefaultPrefixes(ISourceViewer viewer, String contentType) {
		return new String[] { IlmpqLanguage.get().lineCommentPrefix(), "" };
	}
}
