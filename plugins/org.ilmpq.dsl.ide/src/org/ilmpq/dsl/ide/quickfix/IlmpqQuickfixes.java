package org.ilmpq.dsl.ide.quickfix;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolution;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolutionAcceptor;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.ilmpq.core.device.Device;
import org.ilmpq.core.device.DeviceLibrary;
import org.ilmpq.dsl.ilmpq.IlmpqPackage;
import org.ilmpq.dsl.ilmpq.Share;
import org.ilmpq.dsl.ilmpq.Split;
import org.ilmpq.dsl.ilmpq.SplitStatement;
import org.ilmpq.dsl.ilmpq.Target;
import org.ilmpq.dsl.validation.IssueCodes;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Quick fixes of .ilmpq diagnostics, for every front end (the workbench editor and the language server's code
 * actions). Each one edits text only, so that what it changes is exactly what the user sees.
 * <p>
 * Not Xtext's declarative provider: its fix methods see only the acceptor, and how many fixes to offer here
 * depends on the diagnostic (one per part number of a device, none without a better split).
 */
public class IlmpqQuickfixes implements IQuickFixProvider {

	private static final IlmpqPackage ILMPQ = IlmpqPackage.eINSTANCE;
	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private final Map<String, BiConsumer<Diagnostic, DiagnosticResolutionAcceptor>> fixes = Map.of(
			IssueCodes.SPLIT_SUM, this::normaliseSplit,
			IssueCodes.UNKNOWN_DEVICE, this::closestKnownDevice,
			IssueCodes.IDLE_ENGINE, this::applyOptimisedSplit);

	@Inject
	private DeviceLibrary devices;

	@Inject
	private Provider<DiagnosticResolutionAcceptor> acceptors;

	@Override
	public boolean handlesDiagnostic(Diagnostic diagnostic) {
		return diagnostic.getCode() != null && fixes.containsKey(diagnostic.getCode().getLeft());
	}

	@Override
	public List<DiagnosticResolution> getResolutions(ICodeActionService2.Options options, Diagnostic diagnostic) {
		if (!handlesDiagnostic(diagnostic)) {
			return List.of();
		}
		DiagnosticResolutionAcceptor acceptor = acceptors.get();
		fixes.get(diagnostic.getCode().getLeft()).accept(diagnostic, acceptor);
		return acceptor.getDiagnosticResolutions(options, diagnostic);
	}

	/** Scales the shares to 100 % in whole percents, keeping their proportions (largest remainder). */
	private void normaliseSplit(Diagnostic diagnostic, DiagnosticResolutionAcceptor acceptor) {
		Optional<String> total = IssueData.first(diagnostic);
		if (total.isPresent() && new BigDecimal(total.get()).signum() <= 0) {
			return; // nothing above 0 to scale
		}
		acceptor.accept("Scale the shares to add up to 100 %", (Diagnostic d, EObject element, Document document) -> {
			Split split = EcoreUtil2.getContainerOfType(element, Split.class);
			if (split == null) {
				return List.of();
			}
			List<BigDecimal> percents = split.getShares().stream().map(Share::getPercent).toList();
			if (percents.contains(null) || percents.stream().reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(HUNDRED) == 0) {
				return List.of(); // fixed meanwhile (the diagnostic is a marker of the last save)
			}
			List<BigDecimal> scaled = normalised(percents);
			List<TextEdit> edits = new ArrayList<>();
			for (int i = 0; i < scaled.size(); i++) {
				if (scaled.get(i).compareTo(percents.get(i)) != 0) {
					replace(document, split.getShares().get(i), ILMPQ.getShare_Percent(), scaled.get(i).toPlainString())
							.ifPresent(edits::add);
				}
			}
			return edits;
		});
	}

	/**
	 * Offers the known names closest to an unknown device, or, where the name is a device without package and
	 * speed grade ({@code xc7z020}), each of its part numbers.
	 */
	private void closestKnownDevice(Diagnostic diagnostic, DiagnosticResolutionAcceptor acceptor) {
		String name = diagnostic.getMessage() == null ? null : quotedName(diagnostic.getMessage().getLeft());
		if (name == null) {
			return;
		}
		List<String> candidates = devices.device(name).map(Device::partNumbers)
				.orElseGet(() -> devices.suggest(name).map(List::of).orElse(List.of()));
		for (String candidate : candidates) {
			acceptor.accept("Change to '" + candidate + "'", (Diagnostic d, EObject element, Document document) -> {
				Target target = EcoreUtil2.getContainerOfType(element, Target.class);
				return target == null || target.getDevice() == null || devices.resolve(target.getDevice()).isPresent()
						? List.<TextEdit>of() // fixed meanwhile
						: replace(document, target, ILMPQ.getTarget_Device(), candidate).stream().toList();
			});
		}
	}

	/** Writes the split the optimiser found faster on the target (the warning's issue data) into the spec. */
	private void applyOptimisedSplit(Diagnostic diagnostic, DiagnosticResolutionAcceptor acceptor) {
		Optional<String> split = IssueData.first(diagnostic);
		split.ifPresent(text -> acceptor.accept("Apply the optimiser's split '" + text + "'",
				(Diagnostic d, EObject element, Document document) -> {
					SplitStatement statement = EcoreUtil2.getContainerOfType(element, SplitStatement.class);
					return statement == null ? List.<TextEdit>of()
							: replace(document, statement, ILMPQ.getSplitStatement_Split(), text).stream().toList();
				}));
	}

	/**
	 * Percentages scaled to sum to exactly 100 in whole percents, the closest whole-percent split (largest remainder:
	 * each share gets the floor of its exact value, the percents left over go to the largest remainders, ties to the
	 * earlier share); then every share that was above 0 and came out 0 takes 1 % from the largest. Negative shares
	 * count as 0. Empty where nothing can be scaled: no share above 0.
	 */
	static List<BigDecimal> normalised(List<BigDecimal> percents) {
		List<BigDecimal> shares = percents.stream().map(p -> p.signum() < 0 ? BigDecimal.ZERO : p).toList();
		BigDecimal total = shares.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		if (total.signum() <= 0) {
			return List.of();
		}
		int n = shares.size();
		long[] whole = new long[n];
		BigDecimal[] remainder = new BigDecimal[n];
		long assigned = 0;
		for (int i = 0; i < n; i++) {
			BigDecimal exact = shares.get(i).multiply(HUNDRED).divide(total, 12, RoundingMode.HALF_EVEN);
			whole[i] = exact.setScale(0, RoundingMode.FLOOR).longValueExact();
			remainder[i] = exact.subtract(BigDecimal.valueOf(whole[i]));
			assigned += whole[i];
		}
		List<Integer> byRemainder = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			byRemainder.add(i);
		}
		byRemainder.sort(Comparator.comparing((Integer i) -> remainder[i], Comparator.reverseOrder()));
		for (int k = 0; assigned < 100; k++) {
			whole[byRemainder.get(k)]++;
			assigned++;
		}
		for (int i = 0; i < n; i++) {
			if (whole[i] == 0 && shares.get(i).signum() > 0) {
				int largest = 0;
				for (int j = 1; j < n; j++) {
					largest = whole[j] > whole[largest] ? j : largest;
				}
				if (whole[largest] > 1) {
					whole[largest]--;
					whole[i] = 1;
				}
			}
		}
		List<BigDecimal> result = new ArrayList<>();
		for (long value : whole) {
			result.add(BigDecimal.valueOf(value));
		}
		return result;
	}

	private static Optional<TextEdit> replace(Document document, EObject element, EStructuralFeature feature,
			String text) {
		List<INode> nodes = NodeModelUtils.findNodesForFeature(element, feature);
		if (nodes.isEmpty()) {
			return Optional.empty();
		}
		int start = nodes.get(0).getOffset();
		int end = nodes.get(nodes.size() - 1).getEndOffset();
		return Optional.of(new TextEdit(new org.eclipse.lsp4j.Range(document.getPosition(start),
				document.getPosition(end)), text));
	}

	/** The first name in single quotes of a validation message: {@code unknown device 'xc7z02'. ...}. */
	private static String quotedName(String message) {
		if (message == null) {
			return null;
		}
		int start = message.indexOf('\'');
		int end = start < 0 ? -1 : message.indexOf('\'', start + 1);
		return end < 0 ? null : message.substring(start + 1, end);
	}
}
