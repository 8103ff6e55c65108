package org.ilmpq.dsl.ui.wizards;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.ide.IDE;
import org.ilmpq.dsl.ui.builder.IlmpqNature;

/** File > New > ILMPQ Spec: a .ilmpq file from a template, in a project that the ILMPQ builder then checks. */
public class NewSpecWizard extends Wizard implements INewWizard {

	public static final String ID = "org.ilmpq.dsl.ui.wizards.newSpec";

	private IWorkbench workbench;
	private IStructuredSelection selection;
	private Page page;

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		this.workbench = workbench;
		this.selection = selection;
		setWindowTitle("New ILMPQ Spec");
		setNeedsProgressMonitor(true);
	}

	@Override
	public void addPages() {
		page = new Page(selection);
		addPage(page);
	}

	@Override
	public boolean performFinish() {
		IFile file = page.createNewFile();
		if (file == null) {
			return false;
		}
		try {
			IlmpqNature.addTo(file.getProject(), null);
			if (workbench != null && workbench.getActiveWorkbenchWindow() != null) {
				IDE.openEditor(workbench.getActiveWorkbenchWindow().getActivePage(), file);
			}
		} catch (CoreException e) {
			page.setErrorMessage("the spec was created, but: " + e.getMessage());
			return false;
		}
		return true;
	}

	/** The file page, with a choice of template. */
	public static final class Page extends SpecFilePage {

		private Combo templates;

		Page(IStructuredSelection selection) {
			super("spec", selection);
			setTitle("ILMPQ Spec");
			setDescription("A network, its intra-layer mixed-precision split and its target, from a template.");
			setFileName("my-network.ilmpq");
		}

		@Override
		protected void createAdvancedControls(Composite parent) {
			Composite row = new Composite(parent, SWT.NONE);
			row.setLayout(new GridLayout(2, false));
			row.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
			new Label(row, SWT.NONE).setText("&Template:");
			templates = new Combo(row, SWT.READ_ONLY);
			templates.setItems(SpecTemplate.labels().toArray(String[]::new));
			templates.select(0);
			templates.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		}

		/** Chooses the template (tests, and the dialog's combo). */
		public void select(SpecTemplate template) {
			templates.select(template.ordinal());
		}

		@Override
		protected InputStream getInitialContents() {
			SpecTemplate template = SpecTemplate.values()[Math.max(0, templates.getSelectionIndex())];
			return new ByteArrayInputStream(template.text(getFileName()).getBytes(StandardCharsets.UTF_8));
		}
	}

	/** The page (tests drive the wizard through it). */
	public Page page() {
		return page;
	}
}
