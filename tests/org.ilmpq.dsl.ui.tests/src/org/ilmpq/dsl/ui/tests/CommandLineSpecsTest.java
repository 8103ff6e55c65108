package org.ilmpq.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.ilmpq.dsl.ui.OpenSpecsAtStart;
import org.ilmpq.dsl.ui.builder.IlmpqNature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Specs named on the command line ({@code ilmpq-workbench SPEC...}) reach the workspace, and so the builder. */
class CommandLineSpecsTest {

	private static final String SPEC = "network n\ninput x: 3 x 8 x 8\nr = relu(x)\noutput r\n";

	@AfterEach
	void deleteProject() throws CoreException {
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(OpenSpecsAtStart.PROJECT);
		if (project.exists()) {
			project.delete(false, true, null);
		}
	}

	@Test
	void aSpecOutsideTheWorkspaceIsReachedThroughALinkToItsFolder() throws Exception {
		Path directory = Files.createTempDirectory("specs");
		File spec = write(directory.resolve("net.ilmpq"));
		IFile file = OpenSpecsAtStart.workspaceFile(spec);
		assertTrue(file.exists());
		assertEquals(directory.getFileName().toString(), file.getParent().getName());
		assertTrue(file.getParent().isLinked());
		assertTrue(file.getProject().hasNature(IlmpqNature.ID), "the builder checks it");
		assertEquals(spec.toURI(), file.getLocationURI());
	}

	@Test
	void aSpecInAFolderHoldingTheWorkspaceIsLinkedByItself() throws Exception {
		File workspace = ResourcesPlugin.getWorkspace().getRoot().getLocation().toFile();
		File spec = write(workspace.getParentFile().toPath().resolve("next-to-the-workspace.ilmpq"));
		try {
			IFile file = OpenSpecsAtStart.workspaceFile(spec);
			assertTrue(file.exists() && file.isLinked());
			assertEquals(OpenSpecsAtStart.PROJECT, file.getParent().getName());
		} finally {
			Files.delete(spec.toPath());
		}
	}

	@Test
	void aSpecInAWorkspaceProjectIsThatFile() throws Exception {
		IProject project = Workbench.project("command-line-test");
		try {
			IFile inside = Workbench.file(project, "in.ilmpq", SPEC);
			assertEquals(inside, OpenSpecsAtStart.workspaceFile(inside.getLocation().toFile()));
		} finally {
			project.delete(true, true, null);
		}
	}

	private static File write(Path path) throws IOException {
		Files.writeString(path, SPEC, StandardCharsets.UTF_8);
		return path.toFile();
	}

	@Test
	void aSecondSpecInAFolderLinkedAtAnEarlierStartIsReachedThroughThatLink() throws Exception {
		Path directory = Files.createTempDirectory("specs");
		IFile first = OpenSpecsAtStart.workspaceFile(write(directory.resolve("first.ilmpq")));
		// written after the link was made: the workspace has not seen it (a spec imported between two starts)
		File second = write(directory.resolve("second.ilmpq"));
		IFile file = OpenSpecsAtStart.workspaceFile(second);
		assertTrue(file.exists());
		assertEquals(first.getParent(), file.getParent(), "the folder's link, not a second one");
		// (the project may hold other tests' links: it is deleted keeping its description, as a user's would be)
		assertEquals(List.of(first.getParent()), java.util.Arrays.stream(file.getProject().members())
				.filter(IResource::isLinked).filter(member -> member.getLocation().toFile().toPath().startsWith(
						directory)).toList(), "one link into the folder, at the project's root");
	}
}
