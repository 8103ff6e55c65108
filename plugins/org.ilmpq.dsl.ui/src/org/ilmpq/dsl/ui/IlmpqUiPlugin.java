package org.ilmpq.dsl.ui;

import java.util.List;

import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.ilmpq.dsl.ide.IlmpqIdeSetup;
import org.ilmpq.dsl.ui.preferences.IlmpqPreferences;
import org.osgi.framework.BundleContext;

import com.google.inject.Injector;

/** The workbench plug-in of .ilmpq: holds the language's injector (runtime and ide modules), made when first asked. */
public class IlmpqUiPlugin extends AbstractUIPlugin {

	public static final String ID = "org.ilmpq.dsl.ui";

	/** Image keys: a spec file, a quick fix (in icons/; plugin.xml names the others by path). */
	public static final String SPEC_IMAGE = "icons/spec.png";
	public static final String QUICK_FIX_IMAGE = "icons/quickfix.png";

	private static IlmpqUiPlugin instance;

	private volatile Injector injector;

	@Override
	public void start(BundleContext context) throws Exception {
		super.start(context);
		instance = this;
		IlmpqPreferences.initializeDefaults(getPreferenceStore());
	}

	@Override
	protected void initializeImageRegistry(ImageRegistry registry) {
		for (String key : List.of(SPEC_IMAGE, QUICK_FIX_IMAGE)) {
			registry.put(key, imageDescriptorFromPlugin(ID, key));
		}
	}

	/** One of the plug-in's images ({@link #SPEC_IMAGE}...), owned by the plug-in: not to be disposed. */
	public Image image(String key) {
		return getImageRegistry().get(key);
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
