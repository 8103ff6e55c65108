package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.dsl.ui.design.DesignChart;
import org.ilmpq.dsl.ui.design.DesignView;
import org.ilmpq.dsl.ui.design.RowPreview;
import org.ilmpq.dsl.ui.editor.IlmpqEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Window > Show View > ILMPQ > Design: the live estimate of the spec in the active editor. */
class DesignViewTest {

	private static final String SPEC = Specs.SMALL_CNN;
	private static final String TIGHT = Specs.IDLE_ENGINE;

	private IProject project;
	private DesignView view;

	@BeforeEach
	void createProject() throws CoreException {
		project = Workbench.project("design-view-test");
	}

	@AfterEach
	void close() throws CoreException {
		Workbench.closeAll();
		if (view != null) {
			Workbench.page().hideView(view);
		}
		project.delete(true, true, null);
	}

	private IlmpqEditor open(String name, String text) throws CoreException {
		IlmpqEditor editor = Workbench.open(Workbench.file(project, name, text));
		view = (DesignView) Workbench.page().showView(DesignView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
		return editor;
	}

	/** Waits for the view's next result that {@code check} accepts, and returns it. */
	private DesignChart.Content next(String what, java.util.function.Predicate<DesignChart.Content> check) {
		return Workbench.waitFor(what, () -> view.content() != null && check.test(view.content()) ? view.content()
				: null);
	}

	@Test
	void theViewShowsTheDesignOfTheSpecInTheActiveEditor() throws Exception {
		open("spec.ilmpq", SPEC);
		DesignChart.Content content = next("the estimate", c -> c.optimum().isPresent());
		DesignEstimate design = content.estimate().design().orElseThrow();
		assertEquals("PYNQ-Z2", content.estimate().target().part().board().orElseThrow());
		assertTrue(design.fps() > 0 && design.used().dsp() > 0, "frames per second and resources");
		assertEquals(List.of("conv1", "fc"), view.drawnLayers(), "one bar chart row per weight layer");
	}

	@Test
	void theEstimatesRunOffTheUserInterfaceThread() throws Exception {
		open("spec.ilmpq", SPEC);
		next("the estimate", c -> c.optimum().isPresent());
		String ui = Display.getCurrent().getThread().getName();
		assertFalse(view.estimateThreads().isEmpty());
		assertFalse(view.estimateThreads().contains(ui), view.estimateThreads() + " include the UI thread " + ui);
	}

	@Test
	void aKeystrokeUpdatesTheViewAfterItsValidation() throws Exception {
		IlmpqEditor editor = open("spec.ilmpq", SPEC);
		next("the first estimate", c -> c.optimum().isPresent());
		String text = editor.getDocument().get();
		editor.getDocument().replace(text.indexOf("out=16"), "out=16".length(), "out=32");
		DesignChart.Content content = next("the estimate of the edited text",
				c -> c.estimate().inputs().text().contains("out=32"));
		assertEquals(32, content.estimate().design().orElseThrow().layers().get(0).layer().rows());
	}

	@Test
	void withErrorsTheViewKeepsTheLastEstimateAndSaysWhy() throws Exception {
		IlmpqEditor editor = open("spec.ilmpq", SPEC);
		DesignChart.Content before = next("the first estimate", c -> c.optimum().isPresent());
		String text = editor.getDocument().get();
		editor.getDocument().replace(text.indexOf("35 %"), 2, "30");
		DesignChart.Content stale = next("the stale estimate", c -> c.stale() != null);
		assertEquals("the spec has errors (see the Problems view)", stale.stale());
		assertEquals(before.estimate(), stale.estimate(), "the last estimate stays");
	}

	@Test
	void anotherBoardIsEstimatedWhenChosen() throws Exception {
		open("spec.ilmpq", SPEC);
		next("the first estimate", c -> c.optimum().isPresent());
		view.selectDevice("ZC706");
		DesignChart.Content content = next("the ZC706 estimate",
				c -> c.estimate().target().part().board().orElse("").equals("ZC706"));
		assertEquals("xc7z045", content.estimate().target().part().device().name().toLowerCase());
	}

	@Test
	void clickingALayerSelectsItInTheEditor() throws Exception {
		IlmpqEditor editor = open("spec.ilmpq", SPEC);
		next("the estimate", c -> c.optimum().isPresent());
		assertTrue(view.selectLayer("fc"));
		ITextSelection selection = (ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals("fc", selection.getText());
	}

	@Test
	void theApplyButtonWritesTheOptimisersSplitThroughTheQuickFix() throws Exception {
		IlmpqEditor editor = open("tight.ilmpq", TIGHT);
		next("the optimiser", c -> c.optimum().isPresent());
		assertTrue(view.canApply(), "a faster split is found: the button is enabled");
		assertTrue(view.applyOptimisedSplit());
		assertEquals(TIGHT.replace("60 % pot 4, 35 % fixed 4", "0 % pot 4, 95 % fixed 4"), editor.getDocument().get());
	}

	@Test
	void theRowAssignmentOfAnExportIsShownPerLayer() throws Exception {
		IlmpqEditor editor = open("spec.ilmpq", SPEC);
		next("the estimate", c -> c.optimum().isPresent());
		Path export = Files.createTempDirectory("export");
		Files.writeString(export.resolve(RowPreview.WEIGHTS), ExportFixture.WEIGHTS, StandardCharsets.US_ASCII);
		Files.writeString(export.resolve(RowPreview.ROWS), ExportFixture.ROWS, StandardCharsets.US_ASCII);
		view.setExportFolder((IFile) editor.getEditorInput().getAdapter(IFile.class), export);
		DesignChart.Content content = next("the preview", c -> c.preview() != null && c.preview().folder().equals(export));
		assertEquals(null, content.preview().problem());
		RowPreview.LayerRows rows = content.preview().layers().get(0);
		assertEquals("l", rows.name());
		assertEquals("{pot 4=1, fixed 4=1}", rows.counts().toString());
		assertEquals(List.of(0.0625, 0.03125), rows.figures().values().stream()
				.map(summary -> summary.meanError().getAsDouble()).toList(), "each scheme's mean weight error");
	}

	@Test
	void anExportUnchangedSinceTheLastEstimateIsNotReadAgain() throws Exception {
		IlmpqEditor editor = open("spec.ilmpq", SPEC);
		next("the estimate", c -> c.optimum().isPresent());
		Path export = Files.createTempDirectory("export");
		Files.writeString(export.resolve(RowPreview.WEIGHTS), ExportFixture.WEIGHTS, StandardCharsets.US_ASCII);
		view.setExportFolder((IFile) editor.getEditorInput().getAdapter(IFile.class), export);
		RowPreview read = next("the preview", c -> c.preview() != null && c.preview().folder().equals(export))
				.preview();
		String text = editor.getDocument().get();
		editor.getDocument().replace(text.indexOf("out=16"), "out=16".length(), "out=32");
		DesignChart.Content after = next("the estimate of the edited text",
				c -> c.estimate().inputs().text().contains("out=32"));
		assertTrue(after.preview() == read, "the same preview, not parsed again");
	}

	@Test
	void withoutAnExportThePreviewSaysHowToMakeOne() throws Exception {
		open("spec.ilmpq", SPEC);
		DesignChart.Content content = next("the estimate", c -> c.optimum().isPresent());
		assertTrue(content.preview().problem().startsWith("no export in "), content.preview().problem());
	}
}
