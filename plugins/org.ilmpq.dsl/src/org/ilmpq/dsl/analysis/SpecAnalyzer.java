package org.ilmpq.dsl.analysis;

import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.lowering.LoweredSpec;
import org.ilmpq.dsl.lowering.SpecLowering;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * Lowers and analyses a spec once per state of its file: validation, hover, reports and generators all ask
 * here, and all see the same numbers. The result is dropped as soon as the file changes.
 */
@Singleton
public class SpecAnalyzer {

	@Inject
	private IResourceScopeCache cache;

	@Inject
	private SpecLowering lowering;

	public SpecAnalysis analyze(Spec spec) {
		if (spec.eResource() == null) {
			return compute(spec);
		}
		return cache.get(SpecAnalyzer.class, spec.eResource(), () -> compute(spec));
	}

	private SpecAnalysis compute(Spec spec) {
		LoweredSpec lowered = lowering.lower(spec);
		return new SpecAnalysis(lowered,
				NetworkAnalysis.of(lowered.spec().network(), lowered.spec().quantization()));
	}
}
