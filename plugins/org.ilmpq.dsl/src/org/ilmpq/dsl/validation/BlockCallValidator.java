package org.ilmpq.dsl.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.dsl.ilmpq.Argument;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamArgument;
import org.ilmpq.dsl.ilmpq.ParamKind;
import org.ilmpq.dsl.ilmpq.TensorArgument;

/**
 * A block instance gives its block what it asks for: one tensor per tensor parameter, in order; every int
 * parameter without a default, by name, once. A block never instantiates itself, directly or through others.
 */
public class BlockCallValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Check
	public void callMatchesParameters(BlockCall call) {
		Block block = call.getBlock();
		if (block == null || block.eIsProxy()) {
			return;
		}
		List<Param> tensors = block.getParams().stream().filter(p -> p.getKind() == ParamKind.TENSOR).toList();
		List<TensorArgument> given = EcoreUtil2.typeSelect(call.getArguments(), TensorArgument.class);
		if (given.size() != tensors.size()) {
			String names = tensors.stream().map(Param::getName).collect(Collectors.joining(", "));
			error(block.getName() + " takes " + count(tensors.size(), "tensor") + (tensors.isEmpty() ? "" : " (" + names + ")")
					+ ", but " + given.size() + " " + (given.size() == 1 ? "is" : "are") + " given", call,
					ILMPQ.getBlockCall_Block(), IssueCodes.BLOCK_ARITY);
		}
		Set<Param> named = new HashSet<>();
		for (Argument argument : call.getArguments()) {
			if (argument instanceof ParamArgument byName && byName.getParam() != null && !byName.getParam().eIsProxy()
					&& !named.add(byName.getParam())) {
				error(byName.getParam().getName() + " is given twice", byName, ILMPQ.getParamArgument_Param(),
						IssueCodes.DUPLICATE_ARGUMENT);
			}
		}
		List<String> missing = new ArrayList<>();
		for (Param param : block.getParams()) {
			if (param.getKind() == ParamKind.INTEGER && param.getDefault() == null && !named.contains(param)) {
				missing.add(param.getName() + "=<int>");
			}
		}
		if (!missing.isEmpty()) {
			error(block.getName() + " needs " + String.join(", ", missing), call, ILMPQ.getBlockCall_Block(),
					IssueCodes.MISSING_ARGUMENT);
		}
	}

	@Check
	public void tensorParameterHasNoDefault(Param param) {
		if (param.getKind() == ParamKind.TENSOR && param.getDefault() != null) {
			error("tensor parameter '" + param.getName() + "' cannot have a default: only int parameters can", param,
					ILMPQ.getParam_Default(), IssueCodes.TENSOR_DEFAULT);
		}
	}

	/** Reports each call inside a block that leads back to that block. */
	@Check
	public void blockDoesNotInstantiateItself(Block block) {
		for (BlockCall call : EcoreUtil2.getAllContentsOfType(block, BlockCall.class)) {
			pathBack(call.getBlock(), block, new ArrayList<>(), new HashSet<>()).ifPresent(path -> error(
					"block " + block.getName() + " instantiates itself: " + block.getName() + " -> " + String.join(" -> ", path),
					call, ILMPQ.getBlockCall_Block(), IssueCodes.RECURSIVE_BLOCK));
		}
	}

	/** The chain of block names from {@code from} to {@code target}, following calls, if there is one. */
	private static Optional<List<String>> pathBack(Block from, Block target, List<String> path, Set<Block> visited) {
		if (from == null || from.eIsProxy() || !visited.add(from)) {
			return Optional.empty();
		}
		path.add(from.getName());
		if (from == target) {
			return Optional.of(path);
		}
		for (BlockCall call : EcoreUtil2.getAllContentsOfType(from, BlockCall.class)) {
			Optional<List<String>> found = pathBack(call.getBlock(), target, path, visited);
			if (found.isPresent()) {
				return found;
			}
		}
		path.remove(path.size() - 1);
		return Optional.empty();
	}

	private static String count(int n, String noun) {
		return n + " " + noun + (n == 1 ? "" : "s");
	}
}
