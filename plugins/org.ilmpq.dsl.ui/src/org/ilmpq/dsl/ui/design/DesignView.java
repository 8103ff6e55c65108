package org.ilmpq.dsl.ui.design;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.part.ViewPart;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.ui.IlmpqUiPlugin;
import org.ilmpq.dsl.ui.bridge.ParsedDocument;
import org.ilmpq.dsl.ui.bridge.XtextQuickFixes;
import org.ilmpq.dsl.ui.bridge.XtextReconcilingStrategy;
import org.ilmpq.dsl.ui.builder.IlmpqBuilder;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.ilmpq.dsl.ui.editor.IlmpqLanguage;
import org.ilmpq.dsl.validation.IssueCodes;

import com.google.inject.Injector;

/**
 * Window > Show View > ILMPQ > Design: the accelerator the hardware model designs for the spec in the active
 * editor, after each validation, typing included. The editor's reconciler hands over the model's plain-Java inputs
 * (a few milliseconds, {@link DesignInputs}); a job, cancelled by the next validation, searches the design
 * ({@link DesignEstimator}) and then the optimiser's split, and the view shows each as it arrives, the last result
 * until then. Nothing of it runs on the UI thread but the drawing.
 */
public final class DesignView extends ViewPart {

	public static final String ID = "org.ilmpq.dsl.ui.design";

	private final Injector injector = IlmpqUiPlugin.getDefault().injector();
	private final DesignEstimator estimator = new DesignEstimator(injector.getInstance(HardwareAnalyzer.class),
			injector.getInstance(DeviceLibrary.class));
	private final XtextReconcilingStrategy.Listener validated = this::validated;
	private final IPartListener2 parts = new IPartListener2() {
		@Override
		public void partActivated(IWorkbenchPartReference reference) {
			if (reference.getPart(false) instanceof IlmpqEditor editor) {
				follow(editor);
			}
		}

		@Override
		public void partClosed(IWorkbenchPartReference reference) {
			if (reference.getPart(false) == editor) {
				follow(null);
			}
		}
	};
	/** Export folders the user chose, by spec file. */
	private final Map<IFile, Path> exportFolders = new HashMap<>();
	private final AtomicInteger shown = new AtomicInteger();
	private final List<String> estimateThreads = new ArrayList<>();

	private Display display;
	private Combo device;
	private Button apply;
	private Label status;
	private Canvas canvas;
	private ScrolledComposite scrolled;
	private DesignChart chart;
	private List<String> boards = List.of();
	/** The board chosen in the combo (empty: the spec's target); read by jobs, so kept outside the widget. */
	private volatile Optional<String> board = Optional.empty();

	private IlmpqEditor editor;
	private volatile DesignInputs lastInputs;
	private DesignChart.Content content;
	private String message = "Open a .ilmpq spec: its design appears here after each validation.";
	private volatile Job running;
	/** The last export read, kept while its files do not change. */
	private volatile RowPreview lastPreview;

	@Override
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		chart = new DesignChart(display);
		parent.setLayout(new GridLayout(1, false));
		Composite bar = new Composite(parent, SWT.NONE);
		bar.setLayout(new GridLayout(5, false));
		bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		new Label(bar, SWT.NONE).setText("Device:");
		device = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
		boards = estimator.boards();
		device.add("the spec's target");
		boards.forEach(device::add);
		device.select(0);
		device.addListener(SWT.Selection, event -> {
			board = device.getSelectionIndex() <= 0 ? Optional.empty()
					: Optional.of(boards.get(device.getSelectionIndex() - 1));
			reestimate();
		});
		apply = new Button(bar, SWT.PUSH);
		apply.setText("Apply the optimiser's split");
		apply.setToolTipText("Writes the optimiser's faster split into the spec's quantization section (the quick fix "
				+ "of the builder's idle-engine warning)");
		apply.setEnabled(false);
		apply.addListener(SWT.Selection, event -> applyOptimisedSplit());
		Button export = new Button(bar, SWT.PUSH);
		export.setText("Export folder...");
		export.setToolTipText("The folder of the quantization script's export whose row assignment to show "
				+ "(by default quant/export/ in the spec's ilmpq-gen folder)");
		export.addListener(SWT.Selection, event -> chooseExportFolder());
		status = new Label(bar, SWT.NONE);
		status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		scrolled = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
		scrolled.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		canvas = new Canvas(scrolled, SWT.DOUBLE_BUFFERED);
		canvas.setBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
		scrolled.setContent(canvas);
		canvas.addPaintListener(event -> chart.paint(event.gc, content, content == null ? message : null));
		canvas.addListener(SWT.MouseDown, event -> chart.layerAt(event.y).ifPresent(this::selectLayer));
		resize();
		getSite().getPage().addPartListener(parts);
		if (getSite().getPage().getActiveEditor() instanceof IlmpqEditor active) {
			follow(active);
		} else {
			for (var reference : getSite().getPage().getEditorReferences()) {
				if (reference.getEditor(false) instanceof IlmpqEditor open) {
					follow(open);
					break;
				}
			}
		}
	}

	/** Shows the design of {@code next}'s spec from now on (null: of none). */
	private void follow(IlmpqEditor next) {
		if (next == editor) {
			return;
		}
		if (editor != null) {
			editor.removeValidationListener(validated);
		}
		editor = next;
		content = null;
		lastInputs = null;
		if (editor == null) {
			message = "Open a .ilmpq spec: its design appears here after each validation.";
			redraw();
			return;
		}
		message = "Estimating " + editor.getTitle() + "...";
		redraw();
		editor.addValidationListener(validated);
		// the text as it is now, read in a job: the resource may be busy with a validation
		IlmpqEditor reading = editor;
		String text = reading.getDocument().get();
		Job job = Job.create("Reading " + reading.getTitle() + " for the Design view", monitor -> {
			DesignInputs inputs = reading.readParsed(text, state -> DesignInputs.of(state, injector));
			estimate(reading, inputs);
			return Status.OK_STATUS;
		});
		job.setSystem(true);
		job.schedule();
	}

	/** A validation finished (reconciler thread, resource held): take the inputs, estimate in a job. */
	private void validated(ParsedDocument.State state, IProgressMonitor monitor) {
		IlmpqEditor current = editor;
		if (current != null && !monitor.isCanceled()) {
			estimate(current, DesignInputs.of(state, injector));
		}
	}

	private void reestimate() {
		DesignInputs inputs = lastInputs;
		if (inputs != null && editor != null) {
			estimate(editor, inputs);
		}
	}

	/** Estimates {@code inputs} in a job, cancelling the one before; keeps the last result where it cannot. */
	private void estimate(IlmpqEditor source, DesignInputs inputs) {
		lastInputs = inputs;
		Optional<String> board = this.board;
		Path exportFolder = exportFolder(source);
		Job previous = running;
		if (previous != null) {
			previous.cancel();
		}
		Job job = new Job("Estimating the design of " + inputs.network()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				synchronized (estimateThreads) {
					estimateThreads.add(Thread.currentThread().getName());
				}
				if (inputs.hardware().isEmpty()) {
					show(source, inputs, null, inputs.unavailable());
					return Status.OK_STATUS;
				}
				DesignEstimator.Estimate estimate = estimator.estimate(inputs, board);
				RowPreview preview = exportFolder == null ? null : RowPreview.read(exportFolder, lastPreview);
				lastPreview = preview;
				if (monitor.isCanceled()) {
					return Status.CANCEL_STATUS;
				}
				show(source, inputs, new DesignChart.Content(estimate, Optional.empty(), preview, null), null);
				DesignEstimator.Optimum optimum = estimator.optimise(estimate);
				if (monitor.isCanceled()) {
					return Status.CANCEL_STATUS;
				}
				show(source, inputs, new DesignChart.Content(estimate, Optional.of(optimum), preview, null), null);
				return Status.OK_STATUS;
			}
		};
		job.setSystem(true);
		job.setPriority(Job.SHORT);
		running = job;
		job.schedule();
	}

	/** Shows a result on the UI thread, if the view still follows {@code source} and {@code inputs} are its latest. */
	private void show(IlmpqEditor source, DesignInputs inputs, DesignChart.Content next, String unavailable) {
		if (display.isDisposed()) {
			return;
		}
		display.asyncExec(() -> {
			if (canvas.isDisposed() || source != editor || inputs != lastInputs) {
				return;
			}
			if (next != null) {
				content = next;
			} else if (content != null) {
				content = new DesignChart.Content(content.estimate(), content.optimum(), content.preview(), unavailable);
			} else {
				message = "No estimate: " + unavailable + ".";
			}
			apply.setEnabled(content != null && content.stale() == null && content.optimum()
					.flatMap(DesignEstimator.Optimum::better).isPresent() && inputs.split().isPresent());
			status.setText(next == null ? "" : String.format(java.util.Locale.ROOT, "estimated in %.0f ms%s",
					next.estimate().nanos() / 1e6, next.optimum().map(o -> String.format(java.util.Locale.ROOT,
							", optimiser %.0f ms", o.nanos() / 1e6)).orElse(", optimiser running")));
			status.getParent().layout();
			shown.incrementAndGet();
			redraw();
		});
	}

	private void redraw() {
		if (canvas != null && !canvas.isDisposed()) {
			resize();
			canvas.redraw();
		}
	}

	/** Sizes the canvas to what the chart draws (measured by drawing it off screen). */
	private void resize() {
		Image scratch = new Image(display, 1, 1);
		GC gc = new GC(scratch);
		try {
			gc.setFont(canvas.getFont());
			int height = chart.paint(gc, content, content == null ? message : null);
			// the texts beside the bars (counts, figures, ms) are measured too: wider than the bars, a scroll bar
			canvas.setSize(Math.max(scrolled.getClientArea().width, Math.max(chart.width(), DesignChart.MARGIN * 2
					+ DesignChart.LABEL_WIDTH + DesignChart.BAR_WIDTH + 420)), height);
		} finally {
			gc.dispose();
			scratch.dispose();
		}
	}

	/** The export whose row assignment the view shows: the chosen folder, else quant/export/ of the spec's output. */
	private Path exportFolder(IlmpqEditor source) {
		if (!(source.getEditorInput() instanceof IFileEditorInput input)) {
			return null;
		}
		IFile file = input.getFile();
		Path chosen = exportFolders.get(file);
		if (chosen != null) {
			return chosen;
		}
		var location = IlmpqBuilder.outputOf(file).getFolder("quant").getFolder("export").getLocation();
		return location == null ? null : location.toFile().toPath();
	}

	private void chooseExportFolder() {
		if (editor == null || !(editor.getEditorInput() instanceof IFileEditorInput input)) {
			return;
		}
		DirectoryDialog dialog = new DirectoryDialog(getSite().getShell());
		dialog.setText("Export folder");
		dialog.setMessage("The folder the quantization script's export wrote weights.txt (and rows.txt) into:");
		Path current = exportFolder(editor);
		if (current != null) {
			dialog.setFilterPath(current.toString());
		}
		String chosen = dialog.open();
		if (chosen != null) {
			setExportFolder(input.getFile(), Path.of(chosen));
		}
	}

	/** Shows the row assignment of the export in {@code folder} for the spec {@code file}. */
	public void setExportFolder(IFile file, Path folder) {
		exportFolders.put(file, folder);
		reestimate();
	}

	/** Selects, in the editor, the layer (or the block instance) a row of the chart is about. */
	public boolean selectLayer(String modelName) {
		DesignInputs inputs = content == null ? null : content.estimate().inputs();
		if (editor == null || inputs == null || !inputs.text().equals(editor.getDocument().get())) {
			return false;
		}
		Optional<DesignInputs.TextRange> range = inputs.layer(modelName);
		range.ifPresent(r -> {
			editor.selectAndReveal(r.offset(), r.length());
			getSite().getPage().activate(editor);
		});
		return range.isPresent();
	}

	/**
	 * Writes the optimiser's split into the spec through the language's quick fix of the idle-engine warning, as
	 * Ctrl+1 on that warning does; false when there is nothing to apply or the text changed since the estimate.
	 */
	public boolean applyOptimisedSplit() {
		if (editor == null || content == null || content.optimum().isEmpty()) {
			return false;
		}
		DesignInputs inputs = content.estimate().inputs();
		Optional<String> split = content.optimum().get().better().map(better -> better.split().toString());
		IDocument document = editor.getDocument();
		if (split.isEmpty() || inputs.split().isEmpty() || !document.get().equals(inputs.text())) {
			return false;
		}
		ParsedDocument parsed = new ParsedDocument(injector, org.eclipse.emf.common.util.URI.createURI("design.ilmpq"));
		XtextQuickFixes fixes = new XtextQuickFixes(IlmpqLanguage.get(), parsed);
		List<XtextQuickFixes.Fix> found = fixes.fixes(document.get(), List.of(XtextQuickFixes.diagnostic(document,
				inputs.split().get().offset(), inputs.split().get().length(), IssueCodes.IDLE_ENGINE, split.get())));
		if (found.isEmpty()) {
			return false;
		}
		found.get(0).apply(document);
		return true;
	}

	/** Chooses the device the design is for: a board's name, or null for the spec's own target. */
	public void selectDevice(String board) {
		device.select(board == null ? 0 : boards.indexOf(board) + 1);
		this.board = Optional.ofNullable(board);
		reestimate();
	}

	/** What the view shows now; for tests. */
	public DesignChart.Content content() {
		return content;
	}

	/** How many results the view has shown; for tests to wait on. */
	public int shownCount() {
		return shown.get();
	}

	/** The names of the threads the estimates ran on; for tests. */
	public List<String> estimateThreads() {
		synchronized (estimateThreads) {
			return List.copyOf(estimateThreads);
		}
	}

	/** The layers drawn, top to bottom; for tests. */
	public List<String> drawnLayers() {
		return chart.layerRows().stream().map(Map.Entry::getValue).toList();
	}

	public boolean canApply() {
		return apply.isEnabled();
	}

	@Override
	public void setFocus() {
		canvas.setFocus();
	}

	@Override
	public void dispose() {
		getSite().getPage().removePartListener(parts);
		if (editor != null) {
			editor.removeValidationListener(validated);
		}
		Job job = running;
		if (job != null) {
			job.cancel();
		}
		chart.dispose();
		super.dispose();
	}
}
