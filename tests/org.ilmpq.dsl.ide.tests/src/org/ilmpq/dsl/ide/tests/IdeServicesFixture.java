package org.ilmpq.dsl.ide.tests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.ilmpq.dsl.ide.IlmpqIdeSetup;

import com.google.inject.Injector;

/** The language with its ide services, as the editor and the language server set it up. */
final class IdeServicesFixture {

	static final Injector INJECTOR = new IlmpqIdeSetup().createInjectorAndDoEMFRegistration();

	private IdeServicesFixture() {
	}

	static XtextResource load(String text) {
		XtextResourceSet resourceSet = INJECTOR.getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) resourceSet.createResource(URI.createURI("inline.ilmpq"));
		try {
			resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
					Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return resource;
	}
}
