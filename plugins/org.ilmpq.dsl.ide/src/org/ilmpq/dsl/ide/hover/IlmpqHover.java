package org.ilmpq.dsl.ide.hover;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.Range;
import org.eclipse.xtext.ide.server.hover.HoverContext;
import org.eclipse.xtext.ide.server.hover.HoverService;
import org.eclipse.xtext.resource.ILocationInFileProvider;
import org.eclipse.xtext.util.ITextRegion;
import org.ilmpq.core.analysis.LayerFacts;
import org.ilmpq.core.analysis.NetworkAnalysis;
import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.core.device.Part;
import org.ilmpq.core.hardware.DesignEstimate;
import org.ilmpq.core.hardware.Resources;
import org.ilmpq.core.quant.RowAllocation;
import org.ilmpq.dsl.analysis.HardwareAnalyzer;
import org.ilmpq.dsl.analysis.SpecAnalysis;
import org.ilmpq.dsl.analysis.SpecAnalyzer;
import org.ilmpq.dsl.ilmpq.Block;
import org.ilmpq.dsl.ilmpq.BlockCall;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Layer;
import org.ilmpq.dsl.ilmpq.Spec;
import org.ilmpq.dsl.ilmpq.Target;

import com.google.inject.Inject;

/**
 * Hover texts (Markdown) with the figures a reader of a spec would otherwise compute: for a layer its inferred
 * output shape, MACs, parameters and rows per scheme, from the same analysis that validation and the reports use;
 * for the target its device's resources and, when the spec fits, the design the hardware model picks.
 */
public class IlmpqHover extends HoverService {

	@Inject
	private SpecAnalyzer specs;

	@Inject
	private HardwareAnalyzer hardware;

	@Inject
	private DeviceLibrary devices;

	@Inject
	private ILocationInFileProvider locations;

	/** The device name, for a hover over it: Xtext's default region of an element without a name is elsewhere. */
	@Override
	protected Range getRange(HoverContext context) {
		if (context.getElement() instanceof Target target) {
			ITextRegion device = locations.getSignificantTextRegion(target, IlmpqPackage.Literals.TARGET__DEVICE, 0);
			if (device != null && device.getLength() > 0 && device.getOffset() <= context.getOffset()
					&& context.getOffset() <= device.getOffset() + device.getLength()) {
				return new Range(context.getDocument().getPosition(device.getOffset()),
						context.getDocument().getPosition(device.getOffset() + device.getLength()));
			}
		}
		return super.getRange(context);
	}

	/** No hover rather than a failing one where there is nothing to say (an unknown device, a layer in error). */
	@Override
	protected MarkupContent getMarkupContent(HoverContext context) {
		return getContents(context.getElement()) == null ? null : super.getMarkupContent(context);
	}

	@Override
	public String getContents(EObject element) {
		if (element instanceof Layer layer) {
			return layer(layer);
		}
		if (element instanceof Target target) {
			return target(target);
		}
		return super.getContents(element);
	}

	private String layer(Layer layer) {
		Spec spec = EcoreUtil2.getContainerOfType(layer, Spec.class);
		Block block = EcoreUtil2.getContainerOfType(layer, Block.class);
		if (spec == null || layer.getName() == null) {
			return null;
		}
		if (block != null) {
			return "**" + layer.getName() + "**, a layer of block `" + block.getName()
					+ "`: its shape and rows depend on the instance; hover an instance of the block for its figures";
		}
		SpecAnalysis analysis = specs.analyze(spec);
		NetworkAnalysis network = analysis.network();
		if (layer.getOperation() instanceof BlockCall call) {
			Optional<LayerFacts> result = analysis.lowered().resultOf(layer).flatMap(network::facts);
			List<LayerFacts> members = network.layers().stream()
					.filter(facts -> facts.name().startsWith(layer.getName() + ".")).toList();
			if (result.isEmpty()) {
				return "**" + layer.getName() + "**: no shape (see the problems of this spec)";
			}
			return "**" + layer.getName() + "**: instance of block `" + call.getBlock().getName() + "`, "
					+ members.size() + " layers\n\n" + "output " + result.get().output() + "  \n"
					+ number(members.stream().mapToLong(LayerFacts::macs).sum()) + " MACs, "
					+ number(members.stream().mapToLong(LayerFacts::parameters).sum()) + " parameters";
		}
		Optional<LayerFacts> facts = network.facts(layer.getName());
		if (facts.isEmpty()) {
			return "**" + layer.getName() + "**: no shape (see the problems of this spec)";
		}
		StringBuilder text = new StringBuilder("**").append(layer.getName()).append("**: output ")
				.append(facts.get().output()).append("\n\n");
		text.append(number(facts.get().macs())).append(" MACs, ").append(number(facts.get().parameters()))
				.append(" parameters");
		facts.get().allocation().ifPresent(allocation -> text.append("  \n").append(rows(allocation)));
		return text.toString();
	}

	private static String rows(RowAllocation allocation) {
		return allocation.rows() + " rows: " + allocation.parts().stream()
				.map(part -> part.rows() + " " + part.share().scheme()).collect(Collectors.joining(", "));
	}

	private String target(Target target) {
		if (target.getDevice() == null) {
			return null;
		}
		Optional<Part> part = devices.resolve(target.getDevice());
		if (part.isEmpty()) {
			return null;
		}
		Device device = part.get().device();
		StringBuilder text = new StringBuilder("**").append(part.get().board().map(b -> b + ": ").orElse(""))
				.append(part.get().number()).append("** (").append(device.name()).append(", ").append(device.family())
				.append(", speed grade ").append(part.get().speedGrade()).append(")\n\n");
		text.append(String.format(Locale.ROOT, "%s DSP slices (%s), %s LUTs, %s flip-flops, %s BRAM36 (%s BRAM18)",
				number(device.dspSlices()), device.dspType(), number(device.luts()), number(device.flipFlops()),
				number(device.bram36()), number(device.bram18())));
		Spec spec = EcoreUtil2.getContainerOfType(target, Spec.class);
		Optional<DesignEstimate> design = spec == null ? Optional.empty()
				: hardware.analyze(spec).flatMap(HardwareAnalyzer.HardwareAnalysis::design);
		design.ifPresent(estimate -> {
			Resources used = estimate.used();
			text.append(String.format(Locale.ROOT,
					"  \nthis spec's design: %s DSP, %s LUT, %s FF, %s BRAM18; %.2f ms per image at %.0f MHz",
					number(used.dsp()), number(used.lut()), number(used.ff()), number(used.bram18()),
					estimate.latencyMs(), estimate.clockMhz()));
		});
		return text.toString();
	}

	private static String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}
}
