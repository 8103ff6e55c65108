package org.ilmpq.dsl.tests;

import java.util.Optional;

import org.ilmpq.dsl.IlmpqRuntimeModule;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.ilmpq.Spec;

/** The language with a bug planted in the hardware check: its analysis throws. */
public class ThrowingCheckInjectorProvider extends IlmpqInjectorProvider {

	/** A hardware analysis that fails as a bug would. */
	public static class ThrowingHardwareAnalyzer extends HardwareAnalyzer {
		@Override
		public Optional<HardwareAnalysis> analyze(Spec spec) {
			throw new IllegalStateException("a planted bug");
		}
	}

	@Override
	protected IlmpqRuntimeModule createRuntimeModule() {
		return new IlmpqRuntimeModule() {
			@Override
			public ClassLoader bindClassLoaderToInstance() {
				return ThrowingCheckInjectorProvider.class.getClassLoader();
			}

			@SuppressWarnings("unused") // a Guice binding, found by its name
			public Class<? extends HardwareAnalyzer> bindHardwareAnalyzer() {
				return ThrowingHardwareAnalyzer.class;
			}
		};
	}
}
