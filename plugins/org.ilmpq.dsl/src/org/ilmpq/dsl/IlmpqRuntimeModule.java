package org.ilmpq.dsl;

import org.eclipse.xtext.conversion.IValueConverterService;
import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider;
import org.eclipse.xtext.resource.IDefaultResourceDescriptionStrategy;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.dsl.conversion.IlmpqValueConverters;
import org.ilmpq.dsl.linking.IlmpqLinkingDiagnostics;
import org.ilmpq.dsl.scoping.IlmpqResourceDescriptionStrategy;

import com.google.inject.Binder;

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

	public Class<? extends IDefaultResourceDescriptionStrategy> bindIDefaultResourceDescriptionStrategy() {
		return IlmpqResourceDescriptionStrategy.class;
	}

	/** The devices that ship with the workbench; tests may bind their own. */
	public void configureDeviceLibrary(Binder binder) {
		binder.bind(DeviceLibrary.class).toInstance(DeviceLibrary.builtIn());
	}
}
