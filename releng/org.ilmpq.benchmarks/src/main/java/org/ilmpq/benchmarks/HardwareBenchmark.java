package org.ilmpq.benchmarks;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.Workload;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.dsl.IlmpqStandaloneSetup;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.generator.report.ReportCsv;
import org.ilmpq.generator.report.ReportHtml;
import org.ilmpq.generator.report.ReportJson;

import com.google.inject.Injector;

/**
 * Times the hardware side on examples/resnet50-xc7z045.ilmpq, warm (after warm-up runs), medians of repeated runs:
 * <ul>
 * <li>the split optimiser on one device (target: 2 s);</li>
 * <li>a whole device study (the design for the spec's split, four baselines, the optimiser) per device;</li>
 * <li>rendering the HTML, JSON and CSV reports of two devices from their studies;</li>
 * <li>the whole report of two devices: both studies, one after the other on one thread, and the rendering (target:
 * 200 ms); {@code ilmpq report} runs the studies in parallel.</li>
 * </ul>
 */
public final class HardwareBenchmark {

	public static void main(String[] args) throws IOException {
		Path repository = Path.of(args.length > 1 && args[0].equals("--repository") ? args[1] : ".");
		Injector injector = new IlmpqStandaloneSetup().createInjectorAndDoEMFRegistration();
		XtextResourceSet resourceSet = injector.getInstance(XtextResourceSet.class);
		Path file = repository.resolve("examples/resnet50-xc7z045.ilmpq");
		Resource resource = resourceSet.createResource(URI.createFileURI(file.toAbsolutePath().toString()));
		resource.load(Files.newInputStream(file), Map.of());
		SpecAnalysis analysis = injector.getInstance(SpecAnalyzer.class).analyze((Spec) resource.getContents().get(0));
		Workload workload = Workload.of(analysis.network(), analysis.lowered().spec().quantization().activations());
		Target zc706 = target("ZC706", 200);
		Target pynq = target("PYNQ-Z2", 100);

		System.out.printf("java %s, %d processors; ResNet-50, %d weight layers%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), workload.layers().size());
		time("split optimiser, ResNet-50 on ZC706", 5, 10, () -> SplitOptimiser.optimise(workload,
				Workload.defaultSplitLayers(analysis.network()),
				analysis.lowered().spec().quantization().defaultSplit().get(), zc706,
				SplitOptimiser.Mode.HOLD_SENSITIVE_SHARE));
		time("device study (design, baselines, optimiser), ResNet-50 on ZC706", 5, 10,
				() -> DeviceStudy.of(analysis.lowered().spec(), analysis.network(), zc706));
		List<DeviceStudy> studies = List.of(DeviceStudy.of(analysis.lowered().spec(), analysis.network(), zc706),
				DeviceStudy.of(analysis.lowered().spec(), analysis.network(), pynq));
		time("rendering HTML, JSON and CSV for ZC706 and PYNQ-Z2", 20, 20, () -> render(studies));
		time("whole report (two device studies, one thread, and rendering), ResNet-50 on ZC706 and PYNQ-Z2", 5, 10,
				() -> render(List.of(DeviceStudy.of(analysis.lowered().spec(), analysis.network(), zc706),
						DeviceStudy.of(analysis.lowered().spec(), analysis.network(), pynq))));
	}

	/** The three files of each study, as {@code ilmpq report} writes them; returns their length. */
	private static int render(List<DeviceStudy> studies) {
		StringBuilder all = new StringBuilder();
		for (DeviceStudy study : studies) {
			all.append(ReportHtml.render("resnet50.ilmpq", study, studies));
			all.append(ReportJson.render("resnet50.ilmpq", study));
			all.append(ReportCsv.render("resnet50.ilmpq", study));
		}
		return all.length();
	}

	private static Target target(String board, int clockMhz) {
		return new Target(DeviceLibrary.builtIn().resolve(board).orElseThrow(), BigDecimal.valueOf(clockMhz), Map.of());
	}

	private static void time(String what, int warmup, int runs, Supplier<?> work) {
		for (int i = 0; i < warmup; i++) {
			work.get();
		}
		List<Double> millis = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			work.get();
			millis.add((System.nanoTime() - start) / 1e6);
		}
		Collections.sort(millis);
		int n = millis.size();
		double median = n % 2 == 1 ? millis.get(n / 2) : (millis.get(n / 2 - 1) + millis.get(n / 2)) / 2;
		System.out.printf("%s: median %.1f ms, min %.1f ms, max %.1f ms over %d runs (%d warm-up)%n", what, median,
				millis.get(0), millis.get(n - 1), n, warmup);
	}
}
