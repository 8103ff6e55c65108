package org.ilmpq.benchmarks;

import java.util.Map;

import org.eclipse.jface.text.TextAttribute;
import org.ilmpq.dsl.ide.IlmpqIdeSetup;
import org.ilmpq.dsl.ui.bridge.XtextLanguage;

import com.google.inject.Injector;

/** .ilmpq for the workbench bridge without a display: the language's services, its comments, no colours. */
final class HeadlessLanguage implements XtextLanguage {

	private final Injector injector = new IlmpqIdeSetup().createInjectorAndDoEMFRegistration();

	@Override
	public Injector injector() {
		return injector;
	}

	@Override
	public String lineCommentPrefix() {
		return "//";
	}

	@Override
	public Map<String, TextAttribute> styles() {
		return Map.of();
	}
}
