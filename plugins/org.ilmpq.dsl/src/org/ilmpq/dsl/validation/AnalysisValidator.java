package org.ilmpq.dsl.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;
import org.ilmpq.core.analysis.Focus;
import org.ilmpq.core.analysis.Problem;
import org.ilmpq.core.analysis.ProblemCode;
import org.ilmpq.core.analysis.Severity;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Conv;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.MergeOperation;
import org.ilmpq.dsl.ilmpq.Operation;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.UnaryOperation;
import org.ilmpq.dsl.lowering.LoweredSpec;
import org.ilmpq.dsl.lowering.LoweringProblem;

import com.google.inject.Inject;

/**
 * Reports what the core analysis of the lowered network finds (shapes, cycles, unused layers, rounding of
 * splits) where the user wrote it: on the argument, input or layer of the network body concerned, or, for a
 * layer expanded from a block, on the block instance in the network body, with the expanded layer's name
 * ({@code l1_0.c2}) in the message.
 */
public class AnalysisValidator extends ComposedValidator {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Inject
	private SpecAnalyzer analyzer;

	@Check
	public void networkAnalysis(Spec spec) {
		if (spec.isLibrary()) {
			return; // a block is analysed in each network that instantiates it, with that instance's arguments
		}
		SpecAnalysis analysis = analyzer.analyze(spec);
		LoweredSpec lowered = analysis.lowered();
		Set<Object> reported = new HashSet<>();
		for (LoweringProblem problem : lowered.problems()) {
			if (reported.add(List.of(problem.element(), problem.message()))) {
				error(problem.message(), problem.element(), null, problem.code());
			}
		}
		for (Problem problem : analysis.network().problems()) {
			report(spec, lowered, problem, reported);
		}
	}

	private void report(Spec spec, LoweredSpec lowered, Problem problem, Set<Object> reported) {
		String code = IssueCodes.of(problem.code());
		Optional<EObject> origin = lowered.originOf(problem.subject());
		if (origin.isEmpty()) {
			// about the network as a whole
			accept(problem.severity(), problem.message(), spec, ILMPQ.getSpec_Name(), -1, code);
			return;
		}
		EObject element = origin.get();
		if (lowered.isExpanded(problem.subject())) {
			Layer instance = (Layer) element;
			String message;
			if (problem.code() == ProblemCode.UNUSED_LAYER) {
				// dead layers inside a block are reported on the block; here only a whole unused instance
				if (!lowered.resultOf(instance).map(problem.subject()::equals).orElse(false)) {
					return;
				}
				message = problem.message().replace("'" + problem.subject() + "'", "'" + instance.getName() + "'");
			} else {
				message = "in block instance '" + instance.getName() + "': " + problem.message();
			}
			if (reported.add(List.of(instance, message))) {
				accept(problem.severity(), message, instance, ILMPQ.getSymbol_Name(), -1, code);
			}
			return;
		}
		if (element instanceof Layer layer && layer.getOperation() != null) {
			Operation op = layer.getOperation();
			Focus focus = problem.focus();
			if (focus.kind() == Focus.Kind.INPUT) {
				if (op instanceof MergeOperation) {
					accept(problem.severity(), problem.message(), op, ILMPQ.getMergeOperation_Inputs(), focus.inputIndex(), code);
					return;
				}
				if (op instanceof UnaryOperation) {
					accept(problem.severity(), problem.message(), op, ILMPQ.getUnaryOperation_Input(), -1, code);
					return;
				}
			}
			if (focus.kind() == Focus.Kind.ARGUMENT) {
				EStructuralFeature feature = argumentFeature(op, focus.argument());
				if (feature != null && op.eIsSet(feature)) {
					accept(problem.severity(), problem.message(), op, feature, -1, code);
					return;
				}
			}
		}
		accept(problem.severity(), problem.message(), element, ILMPQ.getSymbol_Name(), -1, code);
	}

	/** The feature a core argument name stands for; 'groups' of a depthwise conv is its 'depthwise' keyword. */
	private static EStructuralFeature argumentFeature(Operation op, String argument) {
		if ("groups".equals(argument) && op instanceof Conv conv && conv.isDepthwise()) {
			return ILMPQ.getConv_Depthwise();
		}
		return op.eClass().getEStructuralFeature(argument);
	}

	private void accept(Severity severity, String message, EObject element, EStructuralFeature feature, int index,
			String code) {
		if (severity == Severity.ERROR) {
			error(message, element, feature, index, code);
		} else {
			warning(message, element, feature, index, code);
		}
	}
}
