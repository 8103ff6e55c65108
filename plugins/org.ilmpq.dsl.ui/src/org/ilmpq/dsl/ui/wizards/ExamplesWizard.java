package org.ilmpq.dsl.ui.wizards;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.actions.WorkspaceModifyOperation;
import org.eclipse.ui.dialogs.WizardNewProjectCreationPage;
import org.eclipse.ui.ide.IDE;
import org.ilmpq.dsl.ui.builder.IlmpqNature;

/**
 * File > New > Example... > ILMPQ Examples: a project with the workbench's example specs (small CNNs for digits and
 * Fashion-MNIST with their data loaders, ResNet-18/-50, MobileNetV2, VGG-16 on XC7Z020 and XC7Z045), built by the
 * ILMPQ builder at once.
 */
public class ExamplesWizard extends Wizard implements INewWizard {

	public static final String ID = "org.ilmpq.dsl.ui.wizards.examples";

	/** The examples shipped in the plug-in, as the repository's examples/ folder has them. */
	public static final List<String> FILES = List.of("digits-cnn.ilmpq", "fashion-cnn.ilmpq",
			"mobilenetv2-xc7z020.ilmpq", "resnet18-xc7z020.ilmpq", "resnet18-xc7z045.ilmpq", "resnet50-xc7z045.ilmpq",
			"vgg16-xc7z045.ilmpq", "blocks/resnet.ilmpq", "data/digits.py", "data/fashion_mnist.py");

	/** The spec opened when the project is made. */
	public static final String FIRST = "digits-cnn.ilmpq";

	private IWorkbench workbench;
	private WizardNewProjectCreationPage page;

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		this.workbench = workbench;
		setWindowTitle("ILMPQ Examples");
		setNeedsProgressMonitor(true);
	}

	@Override
	public void addPages() {
		page = new WizardNewProjectCreationPage("examples");
		page.setTitle("ILMPQ Examples");
		page.setDescription("A project with the example specs of the ILMPQ Workbench.");
		page.setInitialProjectName("ilmpq-examples");
		addPage(page);
	}

	@Override
	public boolean performFinish() {
		// the page's widgets answer on the UI thread only: read them here, not in the forked operation
		IProject project = page.getProjectHandle();
		URI location = page.useDefaults() ? null : page.getLocationURI();
		try {
			getContainer().run(true, false, new WorkspaceModifyOperation() {
				@Override
				protected void execute(IProgressMonitor monitor) throws CoreException {
					create(project, location, monitor);
				}
			});
			if (workbench != null) {
				workbench.getWorkingSetManager().addToWorkingSets(project, page.getSelectedWorkingSets());
				if (workbench.getActiveWorkbenchWindow() != null) {
					IDE.openEditor(workbench.getActiveWorkbenchWindow().getActivePage(), project.getFile(FIRST));
				}
			}
			return true;
		} catch (InvocationTargetException | CoreException e) {
			Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
			page.setErrorMessage("cannot create the examples project: " + cause.getMessage());
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Creates {@code project} with the examples and the ILMPQ nature, at {@code location} (null: in the workspace);
	 * refuses a project that exists.
	 */
	public static void create(IProject project, URI location, IProgressMonitor monitor) throws CoreException {
		SubMonitor progress = SubMonitor.convert(monitor, "Creating " + project.getName(), FILES.size() + 3);
		if (project.exists()) {
			throw new CoreException(org.eclipse.core.runtime.Status.error("a project named " + project.getName()
					+ " exists already in the workspace"));
		}
		IProjectDescription description = project.getWorkspace().newProjectDescription(project.getName());
		description.setLocationURI(location);
		project.create(description, progress.split(1));
		project.open(progress.split(1));
		for (String name : FILES) {
			IFile file = project.getFile(name);
			if (file.getParent() instanceof IFolder folder && !folder.exists()) {
				folder.create(IResource.FORCE, true, null);
			}
			file.create(new ByteArrayInputStream(SpecTemplate.example(name).getBytes(StandardCharsets.UTF_8)),
					IResource.FORCE, progress.split(1));
		}
		IlmpqNature.addTo(project, progress.split(1));
	}
}
