package org.ilmpq.dsl.ui.wizards;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.dialogs.WizardNewFileCreationPage;

/** The page of a wizard that creates a .ilmpq file in the workspace, in a container of the selection: no links. */
public abstract class SpecFilePage extends WizardNewFileCreationPage {

	protected SpecFilePage(String name, IStructuredSelection selection) {
		super(name, selection == null ? StructuredSelection.EMPTY : selection);
		setFileExtension("ilmpq");
	}

	@Override
	protected void createLinkTarget() {
		// no linked files
	}

	@Override
	protected IStatus validateLinkedResource() {
		return Status.OK_STATUS;
	}
}
