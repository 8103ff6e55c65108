package org.ilmpq.dsl.ui.bridge;

import java.util.function.ToIntFunction;

import org.eclipse.jface.text.DefaultInformationControl;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.swt.graphics.Drawable;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Display;

/**
 * Plain text broken into lines at blanks so that no line is wider than the hover: the platform's plain-text
 * information control cuts a long line at its border, mid-word. A word wider than the hover on its own is broken
 * where it must be.
 */
public final class WrappedText implements DefaultInformationControl.IInformationPresenter,
		DefaultInformationControl.IInformationPresenterExtension {

	@Override
	@Deprecated
	public String updatePresentation(Display display, String text, TextPresentation presentation, int maxWidth,
			int maxHeight) {
		return updatePresentation((Drawable) display, text, presentation, maxWidth, maxHeight);
	}

	@Override
	public String updatePresentation(Drawable drawable, String text, TextPresentation presentation, int maxWidth,
			int maxHeight) {
		if (text == null || maxWidth <= 0 || maxWidth == Integer.MAX_VALUE) {
			return text;
		}
		GC gc = new GC(drawable);
		try {
			return wrap(text, maxWidth, part -> gc.textExtent(part).x);
		} finally {
			gc.dispose();
		}
	}

	/** {@code text} with line breaks put at blanks so that no line measures more than {@code maxWidth}. */
	public static String wrap(String text, int maxWidth, ToIntFunction<String> width) {
		StringBuilder wrapped = new StringBuilder();
		String[] lines = text.split("\n", -1);
		for (int l = 0; l < lines.length; l++) {
			if (l > 0) {
				wrapped.append('\n');
			}
			StringBuilder line = new StringBuilder();
			for (String word : lines[l].split(" ", -1)) {
				String candidate = line.length() == 0 ? word : line + " " + word;
				if (line.length() > 0 && width.applyAsInt(candidate) > maxWidth) {
					wrapped.append(line).append('\n');
					line.setLength(0);
					candidate = word;
				}
				// a single word wider than the hover: broken at the last character that fits
				while (width.applyAsInt(candidate) > maxWidth && candidate.length() > 1) {
					int fits = candidate.length() - 1;
					while (fits > 1 && width.applyAsInt(candidate.substring(0, fits)) > maxWidth) {
						fits--;
					}
					wrapped.append(candidate, 0, fits).append('\n');
					candidate = candidate.substring(fits);
				}
				line.setLength(0);
				line.append(candidate);
			}
			wrapped.append(line);
		}
		return wrapped.toString();
	}
}
