package org.ilmpq.dsl.ui.builder;

import java.util.Arrays;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;

/** Marks a project whose .ilmpq specs the {@link IlmpqBuilder} checks and generates on every save. */
public class IlmpqNature implements IProjectNature {

	public static final String ID = "org.ilmpq.dsl.ui.nature";

	private IProject project;

	/** Adds the nature (and so the builder) to {@code project}, unless it has it already. */
	public static void addTo(IProject project, IProgressMonitor monitor) throws CoreException {
		if (project.hasNature(ID)) {
			return;
		}
		IProjectDescription description = project.getDescription();
		String[] natures = Arrays.copyOf(description.getNatureIds(), description.getNatureIds().length + 1);
		natures[natures.length - 1] = ID;
		description.setNatureIds(natures);
		project.setDescription(description, monitor);
	}

	@Override
	public void configure() throws CoreException {
		IProjectDescription description = project.getDescription();
		ICommand[] commands = description.getBuildSpec();
		if (Arrays.stream(commands).anyMatch(command -> IlmpqBuilder.ID.equals(command.getBuilderName()))) {
			return;
		}
		ICommand command = description.newCommand();
		command.setBuilderName(IlmpqBuilder.ID);
		ICommand[] withBuilder = Arrays.copyOf(commands, commands.length + 1);
		withBuilder[commands.length] = command;
		description.setBuildSpec(withBuilder);
		project.setDescription(description, null);
	}

	@Override
	public void deconfigure() throws CoreException {
		IProjectDescription description = project.getDescription();
		description.setBuildSpec(Arrays.stream(description.getBuildSpec())
				.filter(command -> !IlmpqBuilder.ID.equals(command.getBuilderName())).toArray(ICommand[]::new));
		project.setDescription(description, null);
	}

	@Override
	public IProject getProject() {
		return project;
	}

	@Override
	public void setProject(IProject project) {
		this.project = project;
	}
}
