package org.ilmpq.dsl.formatting2;

import java.util.HashMap;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.formatting2.AbstractJavaFormatter;
import org.eclipse.xtext.formatting2.FormatterPreferenceKeys;
import org.eclipse.xtext.formatting2.FormatterRequest;
import org.eclipse.xtext.formatting2.IFormattableDocument;
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegion;
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegionsFinder;
import org.eclipse.xtext.preferences.MapBasedPreferenceValues;
import org.ilmpq.dsl.ilmpq.ActivationPrecision;
import org.ilmpq.dsl.ilmpq.BinaryExpr;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockMember;
import org.ilmpq.dsl.ilmpq.Budget;
import org.ilmpq.dsl.ilmpq.Dims;
import org.ilmpq.dsl.ilmpq.Expr;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Import;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.LayerPolicy;
import org.ilmpq.dsl.ilmpq.Operation;
import org.ilmpq.dsl.ilmpq.Output;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamArgument;
import org.ilmpq.dsl.ilmpq.PotRowRule;
import org.ilmpq.dsl.ilmpq.Quantization;
import org.ilmpq.dsl.ilmpq.QuantizationSetting;
import org.ilmpq.dsl.ilmpq.ReassignSchedule;
import org.ilmpq.dsl.ilmpq.Scheme;
import org.ilmpq.dsl.ilmpq.SensitivityRule;
import org.ilmpq.dsl.ilmpq.Share;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;
import org.ilmpq.dsl.ilmpq.Split;
import org.ilmpq.dsl.ilmpq.SplitStatement;
import org.ilmpq.dsl.ilmpq.Target;

/**
 * The one canonical layout of a spec, in the spirit of gofmt:
 * <ul>
 * <li>the imports one per line, a blank line after the header;</li>
 * <li>one statement per line; a blank line kept between statements where the author put one (never two); the
 * target, the quantization section and every block stand apart with one blank line;</li>
 * <li>four spaces per level inside <code>{ }</code>;</li>
 * <li>{@code name = op(input, arg=value, ...)}: spaces around the layer's {@code =} and after commas, none inside
 * parentheses nor around an argument's {@code =};</li>
 * <li>{@code 3 x 224 x 224}, {@code channels * 4}, {@code 60 % pot 4}, {@code 100 MHz}: one space between
 * tokens.</li>
 * </ul>
 * Comments stay where they are.
 */
public class IlmpqFormatter extends AbstractJavaFormatter {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	/** Four spaces per level, whatever the editor prefers: the layout is canonical. */
	@Override
	protected void initialize(FormatterRequest request) {
		MapBasedPreferenceValues preferences = new MapBasedPreferenceValues(request.getPreferences(),
				new HashMap<>());
		preferences.put(FormatterPreferenceKeys.indentation, "    ");
		request.setPreferences(preferences);
		super.initialize(request);
	}

	protected void format(Spec spec, IFormattableDocument doc) {
		doc.append(regionFor(spec).keyword("network"), this::oneSpace);
		doc.append(regionFor(spec).feature(ILMPQ.getSpec_Library()), this::oneSpace);
		List<Import> imports = spec.getImports();
		for (int i = 0; i < imports.size(); i++) {
			// the imports stand together, apart from the header
			int newLines = i == 0 ? 2 : 1;
			doc.prepend(imports.get(i), f -> f.setNewLines(newLines));
			doc.append(regionFor(imports.get(i)).keyword("import"), this::oneSpace);
		}
		List<SpecElement> elements = spec.getElements();
		for (int i = 0; i < elements.size(); i++) {
			SpecElement element = elements.get(i);
			boolean apart = i == 0 || standsApart(element) || standsApart(elements.get(i - 1));
			doc.prepend(element, f -> {
				if (apart) {
					f.setNewLines(2);
				} else {
					f.setNewLines(1, 1, 2);
				}
			});
			doc.format(element);
		}
		if (!elements.isEmpty()) {
			doc.append(elements.get(elements.size() - 1), f -> f.setNewLines(1));
		} else if (!imports.isEmpty()) {
			doc.append(imports.get(imports.size() - 1), f -> f.setNewLines(1));
		} else {
			doc.append(regionFor(spec).feature(ILMPQ.getSpec_Name()), f -> f.setNewLines(1));
		}
	}

	private static boolean standsApart(EObject element) {
		return element instanceof Target || element instanceof Quantization || element instanceof Block;
	}

	protected void format(Target target, IFormattableDocument doc) {
		ISemanticRegionsFinder regions = regionFor(target);
		doc.append(regions.keyword("target"), this::oneSpace);
		doc.surround(regions.keyword("clock"), this::oneSpace);
		doc.prepend(regions.keyword("MHz"), this::oneSpace);
		doc.surround(regions.keyword("budget"), this::oneSpace);
		commas(regions, doc);
		for (Budget budget : target.getBudgets()) {
			doc.append(regionFor(budget).feature(ILMPQ.getBudget_Resource()), this::oneSpace);
			doc.prepend(regionFor(budget).keyword("%"), this::oneSpace);
		}
	}

	protected void format(Quantization quantization, IFormattableDocument doc) {
		ISemanticRegion open = regionFor(quantization).keyword("{");
		ISemanticRegion close = regionFor(quantization).keyword("}");
		doc.append(regionFor(quantization).keyword("quantization"), this::oneSpace);
		doc.interior(open, close, this::indent);
		doc.prepend(close, this::newLine);
		if (quantization.getSettings().isEmpty()) {
			doc.append(open, this::newLine);
		}
		for (QuantizationSetting setting : quantization.getSettings()) {
			doc.prepend(setting, f -> f.setNewLines(1, 1, 2));
			doc.format(setting);
		}
	}

	protected void format(SplitStatement statement, IFormattableDocument doc) {
		doc.append(regionFor(statement).keyword("split"), this::oneSpace);
		doc.format(statement.getSplit());
	}

	protected void format(ActivationPrecision precision, IFormattableDocument doc) {
		doc.append(regionFor(precision).keyword("activations"), this::oneSpace);
		doc.format(precision.getScheme());
	}

	protected void format(LayerPolicy policy, IFormattableDocument doc) {
		doc.surround(regionFor(policy).keyword("layer"), this::oneSpace);
		doc.format(policy.getSplit());
	}

	protected void format(SensitivityRule rule, IFormattableDocument doc) {
		wordsApart(rule, doc);
	}

	protected void format(PotRowRule rule, IFormattableDocument doc) {
		wordsApart(rule, doc);
	}

	protected void format(ReassignSchedule schedule, IFormattableDocument doc) {
		wordsApart(schedule, doc);
	}

	protected void format(Split split, IFormattableDocument doc) {
		commas(regionFor(split), doc);
		for (Share share : split.getShares()) {
			doc.format(share);
		}
	}

	protected void format(Share share, IFormattableDocument doc) {
		ISemanticRegion percent = regionFor(share).keyword("%");
		doc.prepend(percent, this::oneSpace);
		doc.append(percent, this::oneSpace);
		doc.format(share.getScheme());
	}

	protected void format(Scheme scheme, IFormattableDocument doc) {
		doc.append(regionFor(scheme).feature(ILMPQ.getScheme_Kind()), this::oneSpace);
	}

	protected void format(Block block, IFormattableDocument doc) {
		ISemanticRegionsFinder regions = regionFor(block);
		doc.append(regions.keyword("block"), this::oneSpace);
		doc.append(regions.feature(ILMPQ.getBlock_Name()), this::noSpace);
		parentheses(regions, doc);
		commas(regions, doc);
		ISemanticRegion open = regions.keyword("{");
		ISemanticRegion close = regions.keyword("}");
		doc.prepend(open, this::oneSpace);
		doc.interior(open, close, this::indent);
		doc.prepend(close, this::newLine);
		for (Param param : block.getParams()) {
			doc.format(param);
		}
		boolean first = true;
		if (block.getSplit() != null) {
			doc.prepend(block.getSplit(), this::newLine);
			doc.format(block.getSplit());
			first = false;
		}
		for (BlockMember member : block.getMembers()) {
			boolean firstMember = first;
			doc.prepend(member, f -> {
				if (firstMember) {
					f.setNewLines(1);
				} else {
					f.setNewLines(1, 1, 2);
				}
			});
			doc.format(member);
			first = false;
		}
		if (block.getSplit() == null && block.getMembers().isEmpty()) {
			doc.append(open, this::newLine);
		}
	}

	protected void format(Param param, IFormattableDocument doc) {
		doc.append(regionFor(param).feature(ILMPQ.getParam_Kind()), this::oneSpace);
		doc.surround(regionFor(param).keyword("="), this::oneSpace);
		doc.format(param.getDefault());
	}

	protected void format(Input input, IFormattableDocument doc) {
		doc.append(regionFor(input).keyword("input"), this::oneSpace);
		doc.prepend(regionFor(input).keyword(":"), this::noSpace);
		doc.append(regionFor(input).keyword(":"), this::oneSpace);
		doc.format(input.getShape());
	}

	protected void format(Output output, IFormattableDocument doc) {
		doc.append(regionFor(output).keyword("output"), this::oneSpace);
	}

	protected void format(Layer layer, IFormattableDocument doc) {
		doc.surround(regionFor(layer).keyword("="), this::oneSpace);
		doc.surround(regionFor(layer).keyword("split"), this::oneSpace);
		doc.format(layer.getOperation());
		doc.format(layer.getSplit());
	}

	/** Every operation: {@code conv(x, out=64, kernel=3)}, {@code BasicBlock(x, channels=64)}. */
	protected void format(Operation operation, IFormattableDocument doc) {
		ISemanticRegionsFinder regions = regionFor(operation);
		ISemanticRegion open = regions.keyword("(");
		doc.prepend(open, this::noSpace);
		parentheses(regions, doc);
		commas(regions, doc);
		for (ISemanticRegion equals : regions.keywords("=")) {
			doc.surround(equals, this::noSpace);
		}
		for (EObject child : operation.eContents()) {
			doc.format(child);
		}
	}

	protected void format(ParamArgument argument, IFormattableDocument doc) {
		doc.surround(regionFor(argument).keyword("="), this::noSpace);
		doc.format(argument.getValue());
	}

	protected void format(Dims dims, IFormattableDocument doc) {
		for (ISemanticRegion x : regionFor(dims).keywords("x")) {
			doc.surround(x, this::oneSpace);
		}
		for (Expr value : dims.getValues()) {
			doc.format(value);
		}
	}

	protected void format(Expr expr, IFormattableDocument doc) {
		ISemanticRegionsFinder regions = regionFor(expr);
		doc.append(regions.keyword("("), this::noSpace);
		doc.prepend(regions.keyword(")"), this::noSpace);
		if (expr instanceof BinaryExpr binary) {
			doc.surround(regions.feature(ILMPQ.getBinaryExpr_Operator()), this::oneSpace);
			doc.format(binary.getLeft());
			doc.format(binary.getRight());
		}
	}

	private void parentheses(ISemanticRegionsFinder regions, IFormattableDocument doc) {
		doc.append(regions.keyword("("), this::noSpace);
		doc.prepend(regions.keyword(")"), this::noSpace);
	}

	private void commas(ISemanticRegionsFinder regions, IFormattableDocument doc) {
		for (ISemanticRegion comma : regions.keywords(",")) {
			doc.prepend(comma, this::noSpace);
			doc.append(comma, this::oneSpace);
		}
	}

	/** One space between the words of a one-line setting: {@code reassign every 2 epochs until epoch 10}. */
	private void wordsApart(EObject setting, IFormattableDocument doc) {
		ISemanticRegion previous = null;
		for (ISemanticRegion region : semanticRegions(setting)) {
			if (previous != null) {
				doc.prepend(region, this::oneSpace);
			}
			previous = region;
		}
	}
}
