package org.ilmpq.dsl.ui.quickfix;

import java.util.List;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.filebuffers.ITextFileBufferManager;
import org.eclipse.core.filebuffers.LocationKind;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.IDocument;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolution2;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.XtextQuickFixes;
import org.ilmpq.dsl.ui.editor.IlmpqLanguage;

/**
 * Quick Fix in the Problems view (and its context menu) for the builder's markers: the fixes Ctrl+1 offers in the
 * editor, applied to the file through its shared text buffer, so that an open editor shows the change (unsaved, as
 * the editor's own quick fix leaves it) and a closed file is saved at once.
 */
public final class MarkerQuickFixes implements IMarkerResolutionGenerator2 {

	@Override
	public boolean hasResolutions(IMarker marker) {
		// cheap, called for every selected marker: whether the language fixes its kind of problem at all
		return marker.getResource() instanceof IFile
				&& XtextQuickFixes.handles(IlmpqLanguage.get(), marker.getAttribute(XtextQuickFixes.CODE, null));
	}

	@Override
	public IMarkerResolution[] getResolutions(IMarker marker) {
		if (!(marker.getResource() instanceof IFile file)) {
			return new IMarkerResolution[0];
		}
		try {
			return withDocument(file, document -> {
				int start = marker.getAttribute(IMarker.CHAR_START, 0);
				int end = marker.getAttribute(IMarker.CHAR_END, start);
				Diagnostic diagnostic = XtextQuickFixes.diagnostic(document, start, end - start, marker);
				return fixes(file).fixes(document.get(), List.of(diagnostic)).stream()
						.map(fix -> new Resolution(file, document.get(), fix)).toArray(IMarkerResolution[]::new);
			});
		} catch (CoreException e) {
			Platform.getLog(MarkerQuickFixes.class).log(e.getStatus());
			return new IMarkerResolution[0];
		}
	}

	private static XtextQuickFixes fixes(IFile file) {
		return new XtextQuickFixes(IlmpqLanguage.get(), new ParsedDocument(IlmpqLanguage.get().injector(),
				URI.createPlatformResourceURI(file.getFullPath().toString(), true)));
	}

	private interface DocumentFunction<T> {
		T apply(IDocument document) throws CoreException;
	}

	/** Runs {@code function} on the file's shared document: the open editor's, or one read from the file. */
	private static <T> T withDocument(IFile file, DocumentFunction<T> function) throws CoreException {
		ITextFileBufferManager buffers = FileBuffers.getTextFileBufferManager();
		IPath path = file.getFullPath();
		buffers.connect(path, LocationKind.IFILE, null);
		try {
			ITextFileBuffer buffer = buffers.getTextFileBuffer(path, LocationKind.IFILE);
			T result = function.apply(buffer.getDocument());
			return result;
		} finally {
			buffers.disconnect(path, LocationKind.IFILE, null);
		}
	}

	/** One fix of a marker, for the text the file had when the fixes were computed. */
	private static final class Resolution implements IMarkerResolution2 {

		private final IFile file;
		private final String text;
		private final XtextQuickFixes.Fix fix;

		Resolution(IFile file, String text, XtextQuickFixes.Fix fix) {
			this.file = file;
			this.text = text;
			this.fix = fix;
		}

		@Override
		public String getLabel() {
			return fix.label();
		}

		@Override
		public String getDescription() {
			return fix.label() + " in " + file.getName();
		}

		@Override
		public Image getImage() {
			return IlmpqUiPlugin.getDefault().image(IlmpqUiPlugin.QUICK_FIX_IMAGE);
		}

		@Override
		public void run(IMarker marker) {
			try {
				withDocument(file, document -> {
					if (!document.get().equals(text)) {
						// edited since the fixes were offered: their ranges no longer hold; fix what is there now
						throw new CoreException(Status.warning("the quick fix '" + fix.label() + "' was not applied: "
								+ file.getName() + " changed since it was offered"));
					}
					fix.apply(document);
					ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager()
							.getTextFileBuffer(file.getFullPath(), LocationKind.IFILE);
					if (buffer.isShared()) {
						return null; // open in an editor: left unsaved there, as the editor's Ctrl+1 leaves it
					}
					buffer.commit(null, true);
					return null;
				});
			} catch (CoreException e) {
				Platform.getLog(MarkerQuickFixes.class).log(new Status(IStatus.WARNING, IlmpqUiPlugin.ID,
						e.getMessage(), e));
			}
		}
	}
}
