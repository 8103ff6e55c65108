package org.ilmpq.dsl.scoping;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;
import org.eclipse.xtext.scoping.impl.MapBasedScope;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.BlockMember;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Input;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Param;
import org.ilmpq.dsl.ilmpq.ParamKind;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.SpecElement;

import com.google.common.base.Function;
import com.google.common.collect.Lists;
import com.google.inject.Inject;

/**
 * Names are local to one file and one body:
 * <ul>
 * <li>a tensor reference (a layer's input, a block argument, an {@code output}) sees the inputs and layers of the
 * network body, or the tensor parameters and layers of the enclosing block; order does not matter, so a layer may
 * read one written below it (cycles are found by validation);</li>
 * <li>a parameter reference in an expression sees the int parameters of the enclosing block; in a parameter's
 * default, only those declared before it;</li>
 * <li>a named argument {@code channels=64} sees the int parameters of the called block;</li>
 * <li>a block call sees the blocks of the file, then those of the libraries it imports
 * ({@link LibraryGlobalScopeProvider}): a block of the file hides an imported one of its name.</li>
 * </ul>
 * Scopes are maps, built once per body and file state, so linking stays linear in the size of the spec.
 */
public class IlmpqScopeProvider extends AbstractIlmpqScopeProvider {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;

	@Inject
	private IResourceScopeCache cache;

	@Override
	public IScope getScope(EObject context, EReference reference) {
		if (reference.getEReferenceType() == ILMPQ.getSymbol()) {
			return symbols(context);
		}
		if (reference == ILMPQ.getParamRef_Param()) {
			return intParameters(context);
		}
		if (reference == ILMPQ.getParamArgument_Param()) {
			BlockCall call = EcoreUtil2.getContainerOfType(context, BlockCall.class);
			return call == null || call.getBlock() == null || call.getBlock().eIsProxy() ? IScope.NULLSCOPE
					: scope(intParams(call.getBlock().getParams(), null));
		}
		if (reference == ILMPQ.getBlockCall_Block()) {
			Spec spec = EcoreUtil2.getContainerOfType(context, Spec.class);
			if (spec == null) {
				return IScope.NULLSCOPE;
			}
			// the imported blocks come through the delegate's global scope, which records the names the file uses
			// from them: the index then knows to check this file again when a library changes
			List<IEObjectDescription> local = cached(spec, "blocks",
					() -> Lists.newArrayList(Scopes.scopedElementsFor(EcoreUtil2.typeSelect(spec.getElements(), Block.class), NAME)));
			return MapBasedScope.createScope(super.getScope(context, reference), local);
		}
		return super.getScope(context, reference);
	}

	private IScope symbols(EObject context) {
		Block block = EcoreUtil2.getContainerOfType(context, Block.class);
		if (block != null) {
			return cached(block, "symbols", () -> {
				List<EObject> symbols = new ArrayList<>();
				block.getParams().stream().filter(p -> p.getKind() == ParamKind.TENSOR).forEach(symbols::add);
				for (BlockMember member : block.getMembers()) {
					if (member instanceof Layer) {
						symbols.add(member);
					}
				}
				return scope(symbols);
			});
		}
		Spec spec = EcoreUtil2.getContainerOfType(context, Spec.class);
		if (spec == null) {
			return IScope.NULLSCOPE;
		}
		return cached(spec, "symbols", () -> {
			List<EObject> symbols = new ArrayList<>();
			for (SpecElement element : spec.getElements()) {
				if (element instanceof Input || element instanceof Layer) {
					symbols.add(element);
				}
			}
			return scope(symbols);
		});
	}

	private IScope intParameters(EObject context) {
		Block block = EcoreUtil2.getContainerOfType(context, Block.class);
		if (block == null) {
			return IScope.NULLSCOPE;
		}
		Param inDefaultOf = EcoreUtil2.getContainerOfType(context, Param.class);
		if (inDefaultOf != null) {
			return scope(intParams(block.getParams(), inDefaultOf));
		}
		return cached(block, "ints", () -> scope(intParams(block.getParams(), null)));
	}

	/** The int parameters, up to (not including) {@code before} when it is given. */
	private static List<Param> intParams(List<Param> params, Param before) {
		List<Param> ints = new ArrayList<>();
		for (Param param : params) {
			if (param == before) {
				break;
			}
			if (param.getKind() == ParamKind.INTEGER) {
				ints.add(param);
			}
		}
		return ints;
	}

	private <T> T cached(EObject body, String what, com.google.inject.Provider<T> value) {
		if (body.eResource() == null) {
			return value.get();
		}
		return cache.get(Tuples.create(body, what), body.eResource(), value);
	}

	/** An element's own name, unqualified. */
	private static final Function<EObject, QualifiedName> NAME = e -> {
		Object name = e.eGet(e.eClass().getEStructuralFeature("name"));
		return name == null ? null : QualifiedName.create((String) name);
	};

	/** A map-based scope; of two elements with one name the first wins (validation reports the second). */
	private static IScope scope(Iterable<? extends EObject> elements) {
		return MapBasedScope.createScope(IScope.NULLSCOPE, Scopes.scopedElementsFor(elements, NAME));
	}
}
