package org.ilmpq.dsl.ui;

import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.ilmpq.dsl.ide.IlmpqIdeSetup;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.osgi.framework.BundleContext;

import com.google.inject.Injector;

/** The workbench plug-in of .ilmpq: holds the language's injector (runtime and ide modules), made when first asked. */
public class IlmpqUiPlugin extends AbstractUIPlugin {

	public static final String ID = "org.ilmpq.dsl.ui";

	private static IlmpqUiPlugin instance;

	private volatile Injector injector;

	@Override
	public void start(BundleContext context) throws Exception {
		super.start(context);
		instance = this;
		getPreferenceStore().setDefault(IlmpqEditor.MATCHING_BRACKETS, true);
		getPreferenceStore().setDefault(IlmpqEditor.MATCHING_BRACKETS_COLOR, "128,128,128");
	}

	@Override
	public void stop(BundleContext context) throws Exception {
		instance = null;
		super.stop(context);
	}

	public static IlmpqUiPlugin getDefault() {
		return instance;
	}

	/** The language's services, as the language server has them too. */
	public Injector injector() {
		Injector result = injector;
		if (result == null) {
			synchronized (this) {
				result = injector;
				if (result == null) {
					result = new IlmpqIdeSetup().createInjectorAndDoEMFRegistration();
					injector = result;
				}
			}
		}
		return result;
	}
}
