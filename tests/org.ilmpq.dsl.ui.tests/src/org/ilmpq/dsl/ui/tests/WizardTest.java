package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.PlatformUI;
import org.ilmpq.dsl.ui.builder.IlmpqNature;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.ilmpq.dsl.ui.wizards.ExamplesWizard;
import org.ilmpq.dsl.ui.wizards.NewSpecWizard;
import org.ilmpq.dsl.ui.wizards.SpecTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** New > ILMPQ Spec and New > Example > ILMPQ Examples. */
class WizardTest {

	private IProject project;

	@AfterEach
	void deleteProject() throws CoreException {
		Workbench.closeAll();
		if (project != null) {
			project.delete(true, true, null);
		}
	}

	@Test
	void theNewSpecWizardWritesATemplateThatValidatesAndOpensIt() throws Exception {
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("wizard-test");
		project.create(null);
		project.open(null);
		NewSpecWizard wizard = new NewSpecWizard();
		wizard.init(PlatformUI.getWorkbench(), new StructuredSelection(project));
		WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			wizard.page().setFileName("my-net.ilmpq");
			wizard.page().select(SpecTemplate.RESNET18_XC7Z020);
			assertTrue(wizard.performFinish());
		} finally {
			dialog.close();
		}
		IFile file = project.getFile("my-net.ilmpq");
		assertTrue(Workbench.text(file).contains("\nnetwork my_net\n"), "the network is named after the file");
		assertTrue(Workbench.text(file).contains("target PYNQ-Z2"), "the ResNet-18 template for XC7Z020");
		assertTrue(project.hasNature(IlmpqNature.ID), "the project gets the ILMPQ builder");
		List<String> errors = Workbench.markers(file).stream().filter(m -> m.contains(":error:")).toList();
		assertEquals(List.of(), errors);
		assertTrue(Workbench.page().getActiveEditor() instanceof IlmpqEditor, "the new spec is open");
	}

	@Test
	void theSmallCnnTemplateIsTheDigitsNetwork() {
		String text = SpecTemplate.SMALL_CNN.text("small.ilmpq");
		assertTrue(text.contains("\nnetwork small\n") && text.contains("input digit: 1 x 8 x 8"), text);
	}

	@Test
	void theExamplesWizardCreatesAProjectWhoseExamplesAllValidate() throws Exception {
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("ilmpq-examples-test");
		ExamplesWizard.create(project, null, null);
		for (String name : ExamplesWizard.FILES) {
			assertTrue(project.getFile(name).exists(), name);
		}
		for (String name : ExamplesWizard.FILES) {
			if (name.endsWith(".ilmpq")) {
				List<String> errors = Workbench.markers(project.getFile(name)).stream()
						.filter(m -> m.contains(":error:")).toList();
				assertEquals(List.of(), errors, name);
			}
		}
		IlmpqEditor editor = Workbench.open(project.getFile(ExamplesWizard.FIRST));
		assertEquals(List.of(), Workbench.annotations(editor));
	}

	@Test
	void aFileNamedLikeAKeywordGivesANetworkNameThatParses() {
		assertEquals("network_", SpecTemplate.networkName("network.ilmpq"));
		assertEquals("my_network", SpecTemplate.networkName("my-network.ilmpq"));
		assertEquals("n_2024", SpecTemplate.networkName("2024.ilmpq"));
	}

	@Test
	void theExamplesWizardFinishesInItsDialogAndOpensTheFirstExample() throws Exception {
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("ilmpq-examples-dialog");
		ExamplesWizard wizard = new ExamplesWizard();
		wizard.init(PlatformUI.getWorkbench(), new StructuredSelection());
		WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			org.eclipse.ui.dialogs.WizardNewProjectCreationPage page =
					(org.eclipse.ui.dialogs.WizardNewProjectCreationPage) wizard.getPages()[0];
			// what a user types into the page's name field
			Workbench.waitUntil("the page's name field", () -> page.getControl() != null);
			setProjectName(page.getControl(), "ilmpq-examples-dialog");
			assertEquals("ilmpq-examples-dialog", page.getProjectName());
			assertTrue(wizard.performFinish(), "Finish creates the project (its operation runs in a forked thread)");
		} finally {
			dialog.close();
		}
		assertTrue(project.exists() && project.getFile(ExamplesWizard.FIRST).exists());
		assertTrue(Workbench.page().getActiveEditor() instanceof IlmpqEditor, "the first example is open");
	}

	private static void setProjectName(org.eclipse.swt.widgets.Control control, String name) {
		if (control instanceof org.eclipse.swt.widgets.Text text && text.isEnabled()) {
			text.setText(name);
			return;
		}
		if (control instanceof org.eclipse.swt.widgets.Composite composite) {
			for (org.eclipse.swt.widgets.Control child : composite.getChildren()) {
				setProjectName(child, name);
				if (child instanceof org.eclipse.swt.widgets.Text) {
					return; // the first text field is the project's name
				}
			}
		}
	}

	@Test
	void fileNewOffersTheSpecWizardAmongItsShortcuts() {
		assertTrue(java.util.Arrays.asList(Workbench.page().getNewWizardShortcuts())
				.contains("org.ilmpq.dsl.ui.wizards.newSpec"), java.util.Arrays.toString(Workbench.page()
						.getNewWizardShortcuts()));
	}
}
