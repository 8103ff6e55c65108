package org.ilmpq.dsl.ui.wizards;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IImportWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.ide.IDE;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.builder.IlmpqNature;
import org.ilmpq.generator.ToolVersion;
import org.ilmpq.onnx.ImportedSpecWriter;
import org.ilmpq.onnx.OnnxFormatException;
import org.ilmpq.onnx.OnnxImport;
import org.ilmpq.onnx.UnsupportedModelException;

import com.google.inject.Injector;

/**
 * File > Import... > ILMPQ > ONNX Model: the spec of a trained ONNX model in a project, as {@code ilmpq import}
 * writes it (one implementation: {@link OnnxImport}), and on request its float weights beside it, which the
 * generated script's {@code train --init} reads. A model the importer refuses writes nothing: the page shows why.
 */
public class ImportOnnxWizard extends Wizard implements IImportWizard {

	public static final String ID = "org.ilmpq.dsl.ui.wizards.importOnnx";

	private IWorkbench workbench;
	private IStructuredSelection selection;
	private Page page;

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		this.workbench = workbench;
		this.selection = selection;
		setWindowTitle("Import ONNX Model");
		setNeedsProgressMonitor(true);
	}

	@Override
	public void addPages() {
		page = new Page(selection);
		addPage(page);
	}

	@Override
	public boolean performFinish() {
		// every widget read here, on the display's thread, before the page's operation forks
		Page.Choices choices = page.choices();
		String network = OnnxImport.defaultNetworkName(Path.of(page.getFileName()));
		ImportedSpecWriter.Settings settings = new ImportedSpecWriter.Settings(choices.target(), choices.clock(),
				choices.split(), "File > Import > ONNX Model (" + ToolVersion.generator() + ")");
		Optional<String> problem = OnnxImport.problem(network, settings);
		if (problem.isPresent()) {
			page.setErrorMessage(problem.get());
			return false;
		}
		Optional<List<Long>> shape;
		try {
			shape = choices.inputShape().isEmpty() ? Optional.empty()
					: Optional.of(OnnxImport.inputShape(choices.inputShape()));
		} catch (NumberFormatException e) {
			page.setErrorMessage("the input shape is positive sizes separated by commas (C,H,W), not '"
					+ choices.inputShape() + "'");
			return false;
		}
		OnnxImport.Result imported;
		try {
			imported = OnnxImport.run(new OnnxImport.Request(Path.of(choices.model()), shape, network, settings));
		} catch (IOException e) {
			page.setErrorMessage("cannot read " + choices.model() + ": " + e.getMessage());
			return false;
		} catch (OnnxFormatException | UnsupportedModelException e) {
			page.setErrorMessage(e.getMessage());
			return false;
		}
		// validated as the command line does before it writes: a spec with errors is not written
		Optional<String> error = firstError(page.getContainerFullPath().append(page.getFileName()),
				imported.spec().text());
		if (error.isPresent()) {
			page.setErrorMessage("the imported spec has errors: " + error.get());
			return false;
		}
		page.contents = imported.spec().text();
		IFile file = page.createNewFile();
		if (file == null) {
			return false;
		}
		try {
			if (choices.weights()) {
				ByteArrayOutputStream weights = new ByteArrayOutputStream();
				imported.writeWeights(weights);
				IFile checkpoint = file.getParent().getFile(new org.eclipse.core.runtime.Path(network + "-float.npz"));
				InputStream bytes = new ByteArrayInputStream(weights.toByteArray());
				if (checkpoint.exists()) {
					checkpoint.setContents(bytes, true, true, null);
				} else {
					checkpoint.create(bytes, true, null);
				}
			}
			IlmpqNature.addTo(file.getProject(), null);
			if (workbench != null && workbench.getActiveWorkbenchWindow() != null) {
				IDE.openEditor(workbench.getActiveWorkbenchWindow().getActivePage(), file);
			}
		} catch (CoreException | IOException | OnnxFormatException e) {
			page.setErrorMessage("the spec was created, but: " + e.getMessage());
			return false;
		}
		return true;
	}

	/** The first error of the full validation of {@code text} as the file {@code path}; empty where it has none. */
	private static Optional<String> firstError(IPath path, String text) {
		Injector injector = IlmpqUiPlugin.getDefault().injector();
		XtextResourceSet resources = injector.getInstance(XtextResourceSet.class);
		Resource resource = resources.createResource(URI.createPlatformResourceURI(path.toString(), true));
		try {
			resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
					Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} catch (IOException e) {
			return Optional.of(e.getMessage());
		}
		return injector.getInstance(IResourceValidator.class)
				.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl).stream()
				.filter(issue -> issue.getSeverity() == Severity.ERROR).findFirst()
				.map(issue -> "line " + issue.getLineNumber() + ": " + issue.getMessage());
	}

	/** The page (tests drive the wizard through it). */
	public Page page() {
		return page;
	}

	/** The spec's file page, with the model, the target, the split and whether to write the weights. */
	public static final class Page extends SpecFilePage {

		/** What the page's fields say, read on the display's thread. */
		public record Choices(String model, String inputShape, String target, String clock, String split,
				boolean weights) {
		}

		private Text model;
		private Text inputShape;
		private Text target;
		private Text clock;
		private Text split;
		private Button weights;
		private String contents = "";

		Page(IStructuredSelection selection) {
			super("onnx", selection);
			setTitle("ONNX Model");
			setDescription("A spec of a trained ONNX model: its layers, each repeated structure once as a block.");
			setFileName("imported.ilmpq");
		}

		@Override
		protected void createAdvancedControls(Composite parent) {
			Composite fields = new Composite(parent, SWT.NONE);
			fields.setLayout(new GridLayout(3, false));
			fields.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
			new Label(fields, SWT.NONE).setText("&Model:");
			model = new Text(fields, SWT.BORDER);
			model.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
			model.addModifyListener(event -> {
				String name = Path.of(model.getText()).getFileName() == null ? ""
						: Path.of(model.getText()).getFileName().toString();
				if (name.endsWith(".onnx")) {
					setFileName(name.substring(0, name.length() - ".onnx".length()) + ".ilmpq");
				}
				setPageComplete(validatePage());
			});
			Button browse = new Button(fields, SWT.PUSH);
			browse.setText("&Browse...");
			browse.addListener(SWT.Selection, event -> {
				FileDialog dialog = new FileDialog(getShell(), SWT.OPEN);
				dialog.setFilterExtensions(new String[] { "*.onnx", "*" });
				String chosen = dialog.open();
				if (chosen != null) {
					model.setText(chosen);
				}
			});
			inputShape = field(fields, "&Input shape:", "");
			inputShape.setMessage("C,H,W where the model's is symbolic");
			target = field(fields, "&Target:", ImportedSpecWriter.Settings.DEFAULT_TARGET);
			clock = field(fields, "&Clock (MHz):", ImportedSpecWriter.Settings.DEFAULT_CLOCK);
			split = field(fields, "&Split:", ImportedSpecWriter.Settings.DEFAULT_SPLIT);
			weights = new Button(fields, SWT.CHECK);
			weights.setText("Also write the float &weights beside the spec (<network>-float.npz, for train --init)");
			weights.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
		}

		private static Text field(Composite fields, String label, String value) {
			new Label(fields, SWT.NONE).setText(label);
			Text text = new Text(fields, SWT.BORDER);
			text.setText(value);
			text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
			return text;
		}

		@Override
		protected boolean validatePage() {
			if (!super.validatePage()) {
				return false;
			}
			if (model != null && model.getText().isBlank()) {
				setErrorMessage(null);
				setMessage("Choose the ONNX model to import.");
				return false;
			}
			return true;
		}

		/** The fields' values. */
		public Choices choices() {
			return new Choices(model.getText().trim(), inputShape.getText().trim(), target.getText().trim(),
					clock.getText().trim(), split.getText().trim(), weights.getSelection());
		}

		/** Sets the target's field (tests). */
		public void target(String board) {
			target.setText(board);
		}

		/** Fills the fields (tests, and what a user types). */
		public void choose(String modelPath, boolean writeWeights) {
			model.setText(modelPath);
			weights.setSelection(writeWeights);
		}

		@Override
		protected InputStream getInitialContents() {
			return new ByteArrayInputStream(contents.getBytes(StandardCharsets.UTF_8));
		}
	}
}
