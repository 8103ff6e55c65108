package org.ilmpq.dsl.ide.highlighting;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.editor.syntaxcoloring.DefaultSemanticHighlightingCalculator;
import org.eclipse.xtext.ide.editor.syntaxcoloring.IHighlightedPositionAcceptor;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.CancelIndicator;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.MergeOperation;
import org.ilmpq.dsl.ilmpq.Output;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamArgument;
import org.ilmpq.dsl.ilmpq.ParamRef;
import org.ilmpq.dsl.ilmpq.Scheme;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.ilmpq.TensorArgument;
import org.ilmpq.dsl.ilmpq.UnaryOperation;

/** Colours names by what they refer to (see {@link IlmpqHighlightingStyles}). */
public class IlmpqSemanticHighlighting extends DefaultSemanticHighlightingCalculator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Override
	protected boolean highlightElement(EObject element, IHighlightedPositionAcceptor acceptor,
			CancelIndicator cancelIndicator) {
		if (element instanceof UnaryOperation) {
			highlightFeature(acceptor, element, ILMPQ.getUnaryOperation_Input(), IlmpqHighlightingStyles.TENSOR_REFERENCE);
		} else if (element instanceof MergeOperation) {
			highlightFeature(acceptor, element, ILMPQ.getMergeOperation_Inputs(), IlmpqHighlightingStyles.TENSOR_REFERENCE);
		} else if (element instanceof TensorArgument) {
			highlightFeature(acceptor, element, ILMPQ.getTensorArgument_Tensor(), IlmpqHighlightingStyles.TENSOR_REFERENCE);
		} else if (element instanceof Output) {
			highlightFeature(acceptor, element, ILMPQ.getOutput_Tensor(), IlmpqHighlightingStyles.TENSOR_REFERENCE);
		} else if (element instanceof BlockCall) {
			highlightFeature(acceptor, element, ILMPQ.getBlockCall_Block(), IlmpqHighlightingStyles.BLOCK);
		} else if (element instanceof Block) {
			highlightFeature(acceptor, element, ILMPQ.getBlock_Name(), IlmpqHighlightingStyles.BLOCK);
		} else if (element instanceof Param) {
			highlightFeature(acceptor, element, ILMPQ.getSymbol_Name(), IlmpqHighlightingStyles.PARAMETER);
		} else if (element instanceof ParamRef) {
			highlightFeature(acceptor, element, ILMPQ.getParamRef_Param(), IlmpqHighlightingStyles.PARAMETER);
		} else if (element instanceof ParamArgument) {
			highlightFeature(acceptor, element, ILMPQ.getParamArgument_Param(), IlmpqHighlightingStyles.PARAMETER);
		} else if (element instanceof Target) {
			// one position for the whole name, not one per token of PYNQ-Z2
			for (INode node : NodeModelUtils.findNodesForFeature(element, ILMPQ.getTarget_Device())) {
				acceptor.addPosition(node.getOffset(), node.getLength(), IlmpqHighlightingStyles.DEVICE);
			}
		} else if (element instanceof Scheme) {
			ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
			if (node != null) {
				acceptor.addPosition(node.getOffset(), node.getLength(), IlmpqHighlightingStyles.SCHEME);
			}
			return true;
		}
		return false;
	}
}
