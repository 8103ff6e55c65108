package org.ilmpq.dsl;

import org.eclipse.xtext.conversion.IValueConverterService;
import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.parser.IParser;
import org.eclipse.xtext.resource.IDefaultResourceDescriptionStrategy;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.validation.CompositeEValidator;
import org.eclipse.xtext.validation.IDiagnosticConverter;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.dsl.conversion.IlmpqValueConverters;
import org.ilmpq.dsl.linking.IlmpqLinkingDiagnostics;
import org.ilmpq.dsl.parser.NestingLimitedParser;
import org.ilmpq.dsl.scoping.IlmpqQualifiedNameProvider;
import org.ilmpq.dsl.scoping.IlmpqResourceDescriptionStrategy;
import org.ilmpq.dsl.scoping.LibraryGlobalScopeProvider;
import org.ilmpq.dsl.validation.EscapingDiagnosticConverter;

import com.google.inject.Binder;
import com.google.inject.name.Names;

/**
 * The runtime services of the .ilmpq language, beyond what the generated module binds.
 */
public class IlmpqRuntimeModule extends AbstractIlmpqRuntimeModule {

	@Override
	public Class<? extends IValueConverterService> bindIValueConverterService() {
		return IlmpqValueConverters.class;
	}

	public Class<? extends ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
		return IlmpqLinkingDiagnostics.class;
	}

	/** Blocks by their own names (see {@link IlmpqQualifiedNameProvider}). */
	@Override
	public Class<? extends IQualifiedNameProvider> bindIQualifiedNameProvider() {
		return IlmpqQualifiedNameProvider.class;
	}

	/** Beyond its file, a spec sees the blocks of the libraries it imports, and nothing else. */
	@Override
	public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
		return LibraryGlobalScopeProvider.class;
	}

	public Class<? extends IDefaultResourceDescriptionStrategy> bindIDefaultResourceDescriptionStrategy() {
		return IlmpqResourceDescriptionStrategy.class;
	}

	/** A limit on nesting, so that no spec overflows the parser's stack. */
	@Override
	public Class<? extends IParser> bindIParser() {
		return NestingLimitedParser.class;
	}

	/** Messages that quote the spec's text, made safe to print. */
	public Class<? extends IDiagnosticConverter> bindIDiagnosticConverter() {
		return EscapingDiagnosticConverter.class;
	}

	/**
	 * Without EMF's generic constraints (multiplicities, containment): the grammar guarantees them, and the check of
	 * every reference's containment walks from each element up to its resource, quadratic in the nesting (a sum of
	 * 20,000 terms is a tree 20,000 deep: 5 s).
	 */
	public void configureUseEObjectValidator(Binder binder) {
		binder.bindConstant().annotatedWith(Names.named(CompositeEValidator.USE_EOBJECT_VALIDATOR)).to(false);
	}

	/** The devices that ship with the workbench; tests may bind their own. */
	public void configureDeviceLibrary(Binder binder) {
		binder.bind(DeviceLibrary.class).toInstance(DeviceLibrary.builtIn());
	}
}
