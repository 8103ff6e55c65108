package org.ilmpq.dsl.ide.contentassist;

import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.dsl.services.IlmpqGrammarAccess;

import com.google.inject.Inject;

/**
 * Content assist beyond keywords and names in scope (which Xtext proposes from the grammar and the scope
 * provider): the part numbers and boards of the device library after {@code target}.
 */
public class IlmpqContentProposals extends IdeContentProposalProvider {

	@Inject
	private IlmpqGrammarAccess grammar;

	@Inject
	private DeviceLibrary devices;

	@Override
	protected void _createProposals(Assignment assignment, ContentAssistContext context,
			IIdeContentProposalAcceptor acceptor) {
		if (assignment == grammar.getTargetAccess().getDeviceAssignment_1()) {
			for (String name : devices.names()) {
				ContentAssistEntry entry = getProposalCreator().createProposal(name, context);
				if (entry != null) {
					Part part = devices.resolve(name).orElseThrow();
					entry.setDescription(part.device().name() + ", " + part.device().family() + " ("
							+ part.board().map(board -> part.number()).orElse("speed grade " + part.speedGrade()) + ")");
					acceptor.accept(entry, getProposalPriorities().getDefaultPriority(entry));
				}
			}
			return;
		}
		super._createProposals(assignment, context, acceptor);
	}
}
