package org.ilmpq.dsl.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.BlockMember;
import org.ilmpq.dsl.ilmpq.Conv;
import org.ilmpq.dsl.ilmpq.Dims;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Linear;
import org.ilmpq.dsl.ilmpq.MergeOperation;
import org.ilmpq.dsl.ilmpq.Output;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamKind;
import org.ilmpq.dsl.ilmpq.ParamRef;
import org.ilmpq.dsl.ilmpq.Pool;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;
import org.ilmpq.dsl.ilmpq.Symbol;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.ilmpq.TensorArgument;

/**
 * The shape of the text itself, before anything is computed: a network has inputs and one output, a block has
 * one output, every operation has the arguments it cannot do without, sizes have the right number of
 * dimensions, and nothing in a block is written for nothing.
 */
public class StructureValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Check
	public void networkHasInputsAndOneOutput(Spec spec) {
		if (spec.isLibrary()) {
			return; // its blocks only: ImportValidator says so of anything else
		}
		List<Output> outputs = EcoreUtil2.typeSelect(spec.getElements(), Output.class);
		if (EcoreUtil2.typeSelect(spec.getElements(), Input.class).isEmpty()) {
			error("network " + spec.getName() + " has no input: declare one, e.g. 'input image: 3 x 224 x 224'", spec,
					ILMPQ.getSpec_Name(), IssueCodes.MISSING_INPUT);
		}
		if (outputs.isEmpty()) {
			error("network " + spec.getName() + " has no output: name the layer whose result it is, e.g. 'output fc'",
					spec, ILMPQ.getSpec_Name(), IssueCodes.MISSING_OUTPUT);
		}
		for (Output extra : outputs.subList(Math.min(1, outputs.size()), outputs.size())) {
			error("a network has one output, and it is already given on line " + lineOf(outputs.get(0)), extra, null,
					IssueCodes.EXTRA_OUTPUT);
		}
		reportRepeated(EcoreUtil2.typeSelect(spec.getElements(), Target.class), "target");
		reportRepeated(EcoreUtil2.typeSelect(spec.getElements(), Quantization.class), "quantization section");
	}

	private void reportRepeated(List<? extends SpecElement> sections, String what) {
		for (SpecElement extra : sections.subList(Math.min(1, sections.size()), sections.size())) {
			error("a spec has one " + what + ", and it is already given on line " + lineOf(sections.get(0)), extra, null,
					IssueCodes.DUPLICATE_SECTION);
		}
	}

	@Check
	public void blockHasOneOutput(Block block) {
		List<Output> outputs = EcoreUtil2.typeSelect(block.getMembers(), Output.class);
		if (outputs.isEmpty()) {
			error("block " + block.getName() + " has no output: end its body with 'output <layer>'", block,
					ILMPQ.getBlock_Name(), IssueCodes.MISSING_OUTPUT);
		}
		for (Output extra : outputs.subList(Math.min(1, outputs.size()), outputs.size())) {
			error("a block has one output, and it is already given on line " + lineOf(outputs.get(0)), extra, null,
					IssueCodes.EXTRA_OUTPUT);
		}
	}

	/** Layers and parameters of a block that do not reach its output, found from the output backwards. */
	@Check
	public void everythingInABlockReachesItsOutput(Block block) {
		List<Output> outputs = EcoreUtil2.typeSelect(block.getMembers(), Output.class);
		if (outputs.isEmpty() || outputs.get(0).getTensor() == null || outputs.get(0).getTensor().eIsProxy()) {
			return;
		}
		Set<EObject> reached = new HashSet<>();
		Deque<Symbol> work = new ArrayDeque<>();
		work.push(outputs.get(0).getTensor());
		while (!work.isEmpty()) {
			Symbol symbol = work.pop();
			if (!reached.add(symbol) || !(symbol instanceof Layer layer) || layer.getOperation() == null) {
				continue;
			}
			for (EObject referenced : layer.getOperation().eCrossReferences()) {
				if (referenced instanceof Symbol input && !input.eIsProxy()) {
					work.push(input);
				}
			}
			for (TensorArgument argument : EcoreUtil2.getAllContentsOfType(layer.getOperation(), TensorArgument.class)) {
				if (argument.getTensor() != null && !argument.getTensor().eIsProxy()) {
					work.push(argument.getTensor());
				}
			}
		}
		for (BlockMember member : block.getMembers()) {
			if (member instanceof Layer layer && layer.getName() != null && !reached.contains(layer)) {
				warning("layer '" + layer.getName() + "' of block " + block.getName()
						+ " does not reach the block's output '" + outputs.get(0).getTensor().getName() + "'", layer,
						ILMPQ.getSymbol_Name(), IssueCodes.UNUSED_BLOCK_LAYER);
			}
		}
		Set<Param> usedInts = new HashSet<>();
		for (ParamRef ref : EcoreUtil2.getAllContentsOfType(block, ParamRef.class)) {
			usedInts.add(ref.getParam());
		}
		for (Param param : block.getParams()) {
			boolean used = param.getKind() == ParamKind.TENSOR ? reached.contains(param) : usedInts.contains(param);
			if (param.getName() != null && !used) {
				warning("parameter '" + param.getName() + "' of block " + block.getName() + " is never used", param,
						ILMPQ.getSymbol_Name(), IssueCodes.UNUSED_PARAMETER);
			}
		}
	}

	@Check
	public void blockIsUsed(Block block) {
		Spec spec = EcoreUtil2.getContainerOfType(block, Spec.class);
		if (spec == null || spec.isLibrary() || block.getName() == null) {
			return; // a library's blocks are for the networks that import it
		}
		for (BlockCall call : EcoreUtil2.getAllContentsOfType(spec, BlockCall.class)) {
			if (call.getBlock() == block) {
				return;
			}
		}
		warning("block " + block.getName() + " is never instantiated", block, ILMPQ.getBlock_Name(),
				IssueCodes.UNUSED_BLOCK);
	}

	@Check
	public void inputHasChannelsHeightAndWidth(Input input) {
		int count = dimensionCount(input.getShape());
		if (count != 1 && count != 3 && count != 0) {
			error("an input's shape is channels x height x width (3 x 224 x 224), or a number of features; "
					+ input.getName() + " has " + count + " sizes", input, ILMPQ.getInput_Shape(), IssueCodes.DIMENSION_COUNT);
		}
	}

	@Check
	public void convHasWhatItNeeds(Conv conv) {
		if (conv.getKernel() == null) {
			error("conv needs a kernel size: kernel=3 (or kernel=1x7)", conv, null, IssueCodes.MISSING_ARGUMENT);
		}
		if (conv.getOut() == null && !conv.isDepthwise()) {
			error("conv needs its number of output channels: out=64 (only a depthwise conv may leave it out)", conv,
					null, IssueCodes.MISSING_ARGUMENT);
		}
		checkSize(conv, ILMPQ.getConv_Kernel(), "kernel");
		checkSize(conv, ILMPQ.getConv_Stride(), "stride");
		checkSize(conv, ILMPQ.getConv_Padding(), "padding");
		checkSize(conv, ILMPQ.getConv_Dilation(), "dilation");
	}

	@Check
	public void linearHasOut(Linear linear) {
		if (linear.getOut() == null) {
			error("linear needs its number of output features: out=1000", linear, null, IssueCodes.MISSING_ARGUMENT);
		}
	}

	@Check
	public void poolHasWhatItNeeds(Pool pool) {
		if (pool.getKernel() == null) {
			error(pool.getKind().getLiteral() + " needs a kernel size: kernel=2", pool, null, IssueCodes.MISSING_ARGUMENT);
		}
		checkSize(pool, ILMPQ.getPool_Kernel(), "kernel");
		checkSize(pool, ILMPQ.getPool_Stride(), "stride");
		checkSize(pool, ILMPQ.getPool_Padding(), "padding");
	}

	@Check
	public void mergeHasTwoInputs(MergeOperation merge) {
		if (merge.getInputs().size() == 1) {
			error(merge.getKind().getLiteral() + " needs at least two inputs", merge, ILMPQ.getMergeOperation_Inputs(),
					IssueCodes.TOO_FEW_INPUTS);
		}
	}

	@Check
	public void splitIsOnALayerWithWeights(Layer layer) {
		if (layer.getSplit() != null && layer.getOperation() != null && !(layer.getOperation() instanceof Conv)
				&& !(layer.getOperation() instanceof Linear) && !(layer.getOperation() instanceof BlockCall)) {
			warning("'" + layer.getName() + "' has no weights, so its split has no effect", layer,
					ILMPQ.getLayer_Split(), IssueCodes.SPLIT_WITHOUT_WEIGHTS);
		}
	}

	private void checkSize(EObject op, EStructuralFeature feature, String name) {
		int count = dimensionCount((Dims) op.eGet(feature));
		if (count > 2) {
			error(name + " takes one size (3) or height x width (1x7), not " + count + " sizes", op, feature,
					IssueCodes.DIMENSION_COUNT);
		}
	}

	private static int dimensionCount(Dims dims) {
		if (dims == null) {
			return 0;
		}
		if (dims.getCompact() != null) {
			return dims.getCompact().split("x").length;
		}
		return dims.getValues().size();
	}
}
