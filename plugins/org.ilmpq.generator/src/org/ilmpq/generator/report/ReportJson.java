package org.ilmpq.generator.report;

import static org.ilmpq.generator.report.ReportNumbers.round;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.Resource;
import org.ilmpq.core.device.Target;
import org.ilmpq.core.exploration.Baselines;
import org.ilmpq.core.exploration.SplitOptimiser;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.EngineConfig;
import org.ilmpq.core.hardware.DramTraffic;
import org.ilmpq.core.hardware.LayerTiming;
import org.ilmpq.core.hardware.LayerWork;
import org.ilmpq.core.hardware.ResourceModel;
import org.ilmpq.core.hardware.Resources;
import org.ilmpq.core.quant.Scheme;
import org.ilmpq.core.report.DeviceStudy;
import org.ilmpq.generator.ToolVersion;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The JSON report of one spec on one device; its schema is docs/report-schema.md (version {@value #SCHEMA}).
 * Fields are written in a fixed order and numbers rounded, so that the same study gives the same bytes.
 */
public final class ReportJson {

	public static final String SCHEMA = "ilmpq-report/1";

	private ReportJson() {
	}

	public static String render(String specFile, DeviceStudy study) {
		JsonObject report = new JsonObject();
		report.addProperty("schema", SCHEMA);
		report.addProperty("generator", ToolVersion.generator());
		report.addProperty("spec", specFile);
		report.addProperty("network", study.network());
		report.add("summary", summary(study));
		study.design().ifPresent(design -> report.add("design", design(design)));
		report.add("baselines", baselines(study));
		study.optimised().ifPresent(result -> report.add("optimiser", optimiser(study, result)));
		JsonArray explanation = new JsonArray();
		study.explanation().forEach(explanation::add);
		report.add("explanation", explanation);
		JsonArray layers = new JsonArray();
		study.design().ifPresent(design -> design.layers().forEach(timing -> layers.add(layer(timing))));
		report.add("layers", layers);
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(report)
				+ "\n";
	}

	private static JsonObject summary(DeviceStudy study) {
		JsonObject summary = new JsonObject();
		Device device = study.target().part().device();
		summary.addProperty("device", device.name());
		summary.addProperty("part", study.target().part().number());
		summary.addProperty("board", study.target().part().board().orElse(null));
		summary.addProperty("clock_mhz", study.target().clockMhz());
		summary.addProperty("split", study.split() == null ? null : study.split().toString());
		summary.addProperty("macs", study.workload().macs());
		DesignEstimate shown = study.design().orElse(study.smallest());
		summary.addProperty("feasible", study.design().isPresent());
		JsonArray violations = new JsonArray();
		if (study.design().isEmpty()) {
			study.smallest().violations().forEach(violations::add);
		}
		summary.add("violations", violations);
		if (study.design().isPresent()) {
			DesignEstimate design = study.design().get();
			summary.addProperty("latency_ms", round(design.latencyMs(), 4));
			summary.addProperty("fps", round(design.fps(), 2));
			summary.addProperty("gops", round(design.gops(), 2));
			summary.addProperty("peak_gops", round(design.peakGops(), 2));
			summary.addProperty("bandwidth_mb_s", round(design.bandwidth().megabytesPerSecond(design.clockMhz()), 1));
			summary.addProperty("memory_bound_layers", design.memoryBoundLayers().size());
		}
		summary.add("resources", resources(shown));
		for (Baselines.Kind kind : Baselines.Kind.values()) {
			Optional<Double> speedup = study.speedupOver(kind);
			summary.addProperty("speedup_vs_" + key(kind), speedup.map(s -> round(s, 3)).orElse(null));
		}
		return summary;
	}

	/** The JSON key of a baseline: fixed4_dsp, fixed4_dsp_packed, fixed8_dsp, inter_layer. */
	public static String key(Baselines.Kind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	private static JsonObject resources(DesignEstimate design) {
		JsonObject resources = new JsonObject();
		Device device = design.target().part().device();
		Resources used = design.used();
		resources.add("dsp", resource(used.dsp(), device.dspSlices(), design, Resource.DSP));
		resources.add("lut", resource(used.lut(), device.luts(), design, Resource.LUT));
		resources.add("ff", resource(used.ff(), device.flipFlops(), design, Resource.FF));
		resources.add("bram36", resource(used.bram36(), device.bram36(), design, Resource.BRAM));
		return resources;
	}

	private static JsonObject resource(long used, long available, DesignEstimate design, Resource resource) {
		JsonObject entry = new JsonObject();
		entry.addProperty("used", used);
		entry.addProperty("available", available);
		entry.addProperty("budget", Target.budget(available, design.target().budgetPercent(resource)));
		return entry;
	}

	private static JsonObject design(DesignEstimate design) {
		JsonObject json = new JsonObject();
		json.addProperty("lanes", design.config().lanes());
		json.addProperty("tile", design.config().tile());
		json.addProperty("output_lanes", design.config().outputLanes());
		JsonArray engines = new JsonArray();
		Map<Scheme, Double> busy = design.engineBusy();
		for (EngineConfig engine : design.config().engines()) {
			JsonObject entry = new JsonObject();
			entry.addProperty("scheme", engine.scheme().toString());
			entry.addProperty("rows", engine.rows());
			entry.addProperty("on", engine.onDsp() ? "dsp" : "lut");
			entry.addProperty("products_per_dsp", engine.onDsp() ? engine.packing().productsPerDsp() : 0);
			entry.addProperty("busy", round(busy.get(engine.scheme()), 4));
			engines.add(entry);
		}
		json.add("engines", engines);
		JsonArray components = new JsonArray();
		for (ResourceModel.Item item : design.resources().items()) {
			JsonObject entry = new JsonObject();
			entry.addProperty("component", item.component());
			entry.addProperty("dsp", item.resources().dsp());
			entry.addProperty("lut", item.resources().lut());
			entry.addProperty("ff", item.resources().ff());
			entry.addProperty("bram18", item.resources().bram18());
			components.add(entry);
		}
		json.add("components", components);
		return json;
	}

	private static JsonArray baselines(DeviceStudy study) {
		JsonArray baselines = new JsonArray();
		study.baselines().forEach((kind, design) -> {
			JsonObject entry = new JsonObject();
			entry.addProperty("name", key(kind));
			entry.addProperty("label", kind.label());
			entry.addProperty("latency_ms", round(design.latencyMs(), 4));
			entry.addProperty("fps", round(design.fps(), 2));
			entry.addProperty("gops", round(design.gops(), 2));
			entry.addProperty("design", design.config().toString());
			entry.add("resources", resources(design));
			baselines.add(entry);
		});
		return baselines;
	}

	private static JsonObject optimiser(DeviceStudy study, SplitOptimiser.Result result) {
		JsonObject json = new JsonObject();
		json.addProperty("best_split", result.best().split().toString());
		json.addProperty("best_latency_ms", round(result.best().design().orElseThrow().latencyMs(), 4));
		json.addProperty("published_split", study.publishedSplit().map(Object::toString).orElse(null));
		JsonArray candidates = new JsonArray();
		for (SplitOptimiser.Candidate candidate : result.candidates()) {
			JsonObject entry = new JsonObject();
			entry.addProperty("split", candidate.split().toString());
			entry.addProperty("latency_ms", candidate.design().map(d -> round(d.latencyMs(), 4)).orElse(null));
			candidates.add(entry);
		}
		json.add("candidates", candidates);
		JsonArray pareto = new JsonArray();
		for (SplitOptimiser.Point point : result.paretoFront()) {
			JsonObject entry = new JsonObject();
			entry.addProperty("split", point.split().toString());
			entry.addProperty("latency_ms", round(point.design().latencyMs(), 4));
			entry.addProperty("lut", point.design().used().lut());
			entry.addProperty("dsp", point.design().used().dsp());
			entry.addProperty("design", point.design().config().toString());
			pareto.add(entry);
		}
		json.add("pareto", pareto);
		return json;
	}

	private static JsonObject layer(LayerTiming timing) {
		LayerWork layer = timing.layer();
		JsonObject json = new JsonObject();
		json.addProperty("name", layer.name());
		json.addProperty("shape", layer.rows() + "x" + layer.outputHeight() + "x" + layer.outputWidth());
		json.addProperty("macs", layer.macs());
		JsonObject rows = new JsonObject();
		layer.rowsPerScheme().forEach((scheme, count) -> rows.addProperty(scheme.toString(), count));
		json.add("rows", rows);
		JsonObject cycles = new JsonObject();
		timing.engineCycles().forEach((scheme, count) -> cycles.addProperty(scheme.toString(), count));
		json.add("cycles_per_engine", cycles);
		json.addProperty("compute_cycles", timing.computeCycles());
		json.addProperty("memory_cycles", timing.memoryCycles());
		json.addProperty("cycles", timing.cycles());
		json.addProperty("bytes", timing.bytes());
		DramTraffic traffic = timing.traffic();
		JsonObject words = new JsonObject();
		words.addProperty("word_bits", traffic.wordBits());
		words.addProperty("input", traffic.inputWords());
		words.addProperty("weights", traffic.weightWords());
		words.addProperty("parameters", traffic.parameterWords());
		words.addProperty("residual", traffic.residualWords());
		words.addProperty("output", traffic.outputWords());
		json.add("dram_words", words);
		json.addProperty("bound_by", timing.boundBy().name().toLowerCase(Locale.ROOT));
		return json;
	}
}
