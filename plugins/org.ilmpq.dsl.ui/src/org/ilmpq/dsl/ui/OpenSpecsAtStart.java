package org.ilmpq.dsl.ui;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.ilmpq.dsl.ui.builder.IlmpqNature;
import org.ilmpq.dsl.ui.design.DesignView;

/**
 * Opens the .ilmpq files named on the command line ({@code ilmpq-workbench SPEC...}; the product starts through
 * the Equinox launcher jar, which has no --launcher.openFile). A file outside the workspace is reached through a
 * folder of the project {@value #PROJECT} linked to its directory (or, where that directory holds the workspace, a
 * link to the file itself), so that the builder checks it and its problems
 * show in the Problems view, which is shown beside the Outline, with the Design view in its stack.
 */
public class OpenSpecsAtStart implements IStartup {

	/** The workspace project holding links to the folders of specs opened from the command line. */
	public static final String PROJECT = "ilmpq-specs";

	@Override
	public void earlyStartup() {
		List<File> specs = new ArrayList<>();
		for (String argument : Platform.getApplicationArgs()) {
			File file = new File(argument);
			if (argument.endsWith(".ilmpq") && file.isFile()) {
				specs.add(file.getAbsoluteFile());
			}
		}
		if (specs.isEmpty()) {
			return;
		}
		Job job = Job.create("Opening ILMPQ specs", monitor -> {
			List<IFile> files = new ArrayList<>();
			try {
				for (File spec : specs) {
					files.add(workspaceFile(spec));
				}
				ResourcesPlugin.getWorkspace().build(IncrementalProjectBuilder.INCREMENTAL_BUILD, monitor);
			} catch (CoreException e) {
				return new Status(IStatus.ERROR, IlmpqUiPlugin.ID, "cannot open the specs named on the command line", e);
			}
			PlatformUI.getWorkbench().getDisplay().asyncExec(() -> open(files));
			return Status.OK_STATUS;
		});
		job.setRule(ResourcesPlugin.getWorkspace().getRoot());
		job.schedule();
	}

	/** The workspace file of {@code spec}: itself if a project holds it, else through a linked folder. */
	public static IFile workspaceFile(File spec) throws CoreException {
		IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
		IFile[] found = root.findFilesForLocationURI(spec.toURI());
		for (IFile file : found) {
			if (file.isAccessible()) {
				return file;
			}
		}
		// a spec written since the workspace last looked (in a folder linked at an earlier start): a refresh finds it
		for (IFile file : found) {
			if (file.getParent().isAccessible()) {
				file.refreshLocal(IResource.DEPTH_ZERO, null);
				if (file.isAccessible()) {
					return file;
				}
			}
		}
		IProject project = root.getProject(PROJECT);
		if (!project.exists()) {
			project.create(null);
		}
		if (!project.isOpen()) {
			project.open(null);
		}
		IlmpqNature.addTo(project, null);
		IPath directory = IPath.fromOSString(spec.getParent());
		IFolder folder = project.getFolder(folderName(project, spec.getParentFile()));
		if (folder.exists()) {
			IFile file = folder.getFile(spec.getName());
			file.refreshLocal(IResource.DEPTH_ZERO, null);
			return file;
		}
		if (ResourcesPlugin.getWorkspace().validateLinkLocation(folder, directory).isOK()) {
			folder.createLink(directory, IResource.ALLOW_MISSING_LOCAL, null);
			return folder.getFile(spec.getName());
		}
		// the spec's folder holds the workspace (a spec in the home folder, the workspace below it): link the file
		IFile file = project.getFile(spec.getName());
		if (!file.exists()) {
			file.createLink(IPath.fromOSString(spec.getPath()), IResource.NONE, null);
		}
		return file;
	}

	/** The directory's name, made unique among the project's links to other directories. */
	private static String folderName(IProject project, File directory) {
		String name = directory.getName().isEmpty() ? "root" : directory.getName();
		String candidate = name;
		// by path, not URI: a File's URI of a directory ends in a slash, a resource's location URI does not
		IPath location = IPath.fromOSString(directory.getAbsolutePath());
		for (int i = 2; project.getFolder(candidate).exists()
				&& !location.equals(project.getFolder(candidate).getLocation()); i++) {
			candidate = name + "-" + i;
		}
		return candidate;
	}

	private static void open(List<IFile> files) {
		// the active window is null while another application has the focus (a start from a terminal)
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		if (window == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
			window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
		}
		IWorkbenchPage page = window == null ? null : window.getActivePage();
		if (page == null) {
			return;
		}
		try {
			page.showView(IPageLayout.ID_OUTLINE, null, IWorkbenchPage.VIEW_VISIBLE);
			// the Design view first, so that the Problems view is the one on top of their stack
			page.showView(DesignView.ID, null, IWorkbenchPage.VIEW_CREATE);
			page.showView(IPageLayout.ID_PROBLEM_VIEW, null, IWorkbenchPage.VIEW_VISIBLE);
		} catch (PartInitException e) {
			log("cannot show the Outline, the Design and the Problems view", e);
		}
		for (IFile file : files) {
			try {
				IDE.openEditor(page, file);
			} catch (PartInitException e) {
				log("cannot open " + file.getLocation(), e);
			}
		}
	}

	private static void log(String message, Throwable e) {
		Platform.getLog(OpenSpecsAtStart.class).log(new Status(IStatus.ERROR, IlmpqUiPlugin.ID, message, e));
	}
}
