package org.ilmpq.dsl.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockMember;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;
import org.ilmpq.dsl.ilmpq.Symbol;

/**
 * One name, one thing: in the network body (inputs and layers), in each block (parameters and layers), and among
 * the blocks of a file. The second definition is the one reported; references resolve to the first.
 */
public class NameValidator extends ComposedValidator {

	@Check
	public void networkNamesAreUnique(Spec spec) {
		List<Symbol> symbols = new ArrayList<>();
		List<Block> blocks = new ArrayList<>();
		for (SpecElement element : spec.getElements()) {
			if (element instanceof Input || element instanceof Layer) {
				symbols.add((Symbol) element);
			} else if (element instanceof Block block) {
				blocks.add(block);
			}
		}
		reportDuplicates(symbols, "network " + spec.getName());
		Map<String, Block> seen = new HashMap<>();
		for (Block block : blocks) {
			Block first = block.getName() == null ? null : seen.putIfAbsent(block.getName(), block);
			if (first != null) {
				error("block '" + block.getName() + "' is already defined on line " + lineOf(first), block,
						IlmpqPackage.Literals.BLOCK__NAME, IssueCodes.DUPLICATE_NAME);
			}
		}
	}

	@Check
	public void blockNamesAreUnique(Block block) {
		List<Symbol> symbols = new ArrayList<>(block.getParams());
		for (BlockMember member : block.getMembers()) {
			if (member instanceof Layer layer) {
				symbols.add(layer);
			}
		}
		reportDuplicates(symbols, "block " + block.getName());
	}

	private void reportDuplicates(List<Symbol> symbols, String where) {
		Map<String, Symbol> seen = new HashMap<>();
		for (Symbol symbol : symbols) {
			if (symbol.getName() == null) {
				continue;
			}
			Symbol first = seen.putIfAbsent(symbol.getName(), symbol);
			if (first != null) {
				error("'" + symbol.getName() + "' is already defined in " + where + " on line " + lineOf(first) + " ("
						+ describe(first) + ")", symbol, IlmpqPackage.Literals.SYMBOL__NAME, IssueCodes.DUPLICATE_NAME);
			}
		}
	}

	private static String describe(EObject symbol) {
		if (symbol instanceof Input) {
			return "an input";
		}
		if (symbol instanceof Param) {
			return "a parameter";
		}
		return "a layer";
	}
}
