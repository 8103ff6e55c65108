package org.ilmpq.dsl.ide.symbols;

import java.util.Locale;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper.DocumentSymbolDetailsProvider;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.Spec;

/** What a symbol is, beside its name: {@code network}, {@code input}, {@code block}, a layer's operation as written. */
public class IlmpqSymbolDetails extends DocumentSymbolDetailsProvider {

	@Override
	public String getDetails(EObject element) {
		if (element instanceof Spec) {
			return "network";
		}
		if (element instanceof Input) {
			return "input";
		}
		if (element instanceof Block) {
			return "block";
		}
		if (element instanceof Param param) {
			return param.getKind() == null ? "parameter" : param.getKind().getLiteral() + " parameter";
		}
		if (element instanceof Layer layer && layer.getOperation() != null) {
			if (layer.getOperation() instanceof BlockCall call) {
				return call.getBlock() == null || call.getBlock().eIsProxy() ? "block instance" : call.getBlock().getName();
			}
			return operationKeyword(layer.getOperation());
		}
		return "";
	}

	/** The operation as written: {@code conv}, {@code relu}, {@code maxpool}. */
	private static String operationKeyword(EObject operation) {
		ICompositeNode node = NodeModelUtils.getNode(operation);
		if (node != null) {
			for (ILeafNode leaf : node.getLeafNodes()) {
				if (!leaf.isHidden()) {
					return leaf.getText();
				}
			}
		}
		return operation.eClass().getName().toLowerCase(Locale.ROOT);
	}
}
