package org.ilmpq.dsl.scoping;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.impl.DefaultResourceDescriptionStrategy;
import org.eclipse.xtext.util.IAcceptor;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.Spec;

/**
 * Exports only what another file could ever refer to, the network and its blocks; inputs, layers and parameters
 * are local (see {@link IlmpqScopeProvider}), and a 10,000-layer spec would otherwise put 10,000 names into the
 * index for nothing.
 */
public class IlmpqResourceDescriptionStrategy extends DefaultResourceDescriptionStrategy {

	@Override
	public boolean createEObjectDescriptions(EObject element, IAcceptor<IEObjectDescription> acceptor) {
		if (element instanceof Spec) {
			super.createEObjectDescriptions(element, acceptor);
			return true;
		}
		if (element instanceof Block) {
			super.createEObjectDescriptions(element, acceptor);
		}
		return false;
	}
}
