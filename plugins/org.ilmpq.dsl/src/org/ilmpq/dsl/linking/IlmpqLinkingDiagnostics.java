package org.ilmpq.dsl.linking;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.ilmpq.core.text.EditDistance;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Spec;

import com.google.inject.Inject;

/**
 * Says what an unresolved name was looked for among, and suggests the nearest name in scope:
 * "unknown tensor 'relu2' in network resnet18: no input or layer has that name (did you mean 'relu1'?)".
 */
public class IlmpqLinkingDiagnostics extends LinkingDiagnosticMessageProvider {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Inject
	private IScopeProvider scopeProvider;

	@Override
	public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
		EReference reference = context.getReference();
		EObject element = context.getContext();
		String name = context.getLinkText();
		String message;
		if (reference.getEReferenceType() == ILMPQ.getSymbol()) {
			Block block = EcoreUtil2.getContainerOfType(element, Block.class);
			message = block != null
					? "unknown tensor '" + name + "' in block " + block.getName()
							+ ": no tensor parameter or layer of the block has that name"
					: "unknown tensor '" + name + "' in network " + networkName(element)
							+ ": no input or layer has that name";
		} else if (reference == ILMPQ.getBlockCall_Block()) {
			Spec spec = EcoreUtil2.getContainerOfType(element, Spec.class);
			message = "unknown block '" + name + "': no block of that name in this file"
					+ (spec != null && !spec.getImports().isEmpty() ? " or the libraries it imports" : "");
		} else if (reference == ILMPQ.getParamArgument_Param()) {
			BlockCall call = EcoreUtil2.getContainerOfType(element, BlockCall.class);
			if (call == null || call.getBlock() == null || call.getBlock().eIsProxy()) {
				return null; // the unknown block is the error; its arguments cannot be checked against it
			}
			message = "block " + call.getBlock().getName() + " has no int parameter '" + name + "'";
		} else if (reference == ILMPQ.getParamRef_Param()) {
			Block block = EcoreUtil2.getContainerOfType(element, Block.class);
			message = block == null ? "'" + name + "' is not defined: only a block's int parameters can be used here"
					: "unknown int parameter '" + name + "' of block " + block.getName()
							+ " (a default may only use the parameters before it)";
		} else {
			return super.getUnresolvedProxyMessage(context);
		}
		String suggestion = EditDistance.closest(name, candidates(element, reference)).map(s -> " (did you mean '" + s + "'?)")
				.orElse("");
		return new DiagnosticMessage(message + suggestion, Severity.ERROR, Diagnostic.LINKING_DIAGNOSTIC);
	}

	private List<String> candidates(EObject element, EReference reference) {
		List<String> names = new ArrayList<>();
		for (IEObjectDescription description : scopeProvider.getScope(element, reference).getAllElements()) {
			names.add(description.getName().toString());
		}
		return names;
	}

	private static String networkName(EObject element) {
		Spec spec = EcoreUtil2.getContainerOfType(element, Spec.class);
		return spec == null || spec.getName() == null ? "" : spec.getName();
	}
}
