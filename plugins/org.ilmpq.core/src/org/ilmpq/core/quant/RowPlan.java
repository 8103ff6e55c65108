package org.ilmpq.core.quant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the rows of one weight layer are given their schemes, before any weight is seen: the schemes of its split
 * and their whole rows (in the split's order), which scheme takes the most sensitive rows, in which order the
 * others take rows by ascending variance, and the scheme the sensitivity is measured at. The generated PyTorch
 * script and {@link RowAssignment} follow the same plan.
 *
 * @param schemes the split's schemes, in its order
 * @param rows whole rows per scheme, same order ({@link RowAllocator})
 * @param sensitive the index of the scheme that takes the rows with the largest error at the probe scheme: the
 *            split's widest scheme (ILMPQ's few 8-bit rows; RMSMP, FILM-QNN), when it has more bits than the
 *            narrowest; a split of 4-bit schemes alone shares its rows by variance only
 * @param varianceOrder the other indices, the first taking the lowest-variance rows: power-of-two before SP2
 *            before fixed-point, since concentrated, Gaussian-like rows suit the grids dense near zero and wide,
 *            uniform-like rows the uniform grid (Mix-and-Match, HPCA 2021; Auto-ViT-Acc states the rule); at one
 *            kind, fewer bits first; then the split's order
 * @param probe the scheme a row's error is measured at: the narrowest scheme of the split, fixed-point before
 *            SP2 before power-of-two at one width (FILM-QNN ranks filters by their error at 4-bit fixed-point)
 */
public record RowPlan(List<Scheme> schemes, List<Long> rows, OptionalInt sensitive, List<Integer> varianceOrder,
		Scheme probe) {

	public RowPlan {
		schemes = List.copyOf(schemes);
		rows = List.copyOf(rows);
		varianceOrder = List.copyOf(varianceOrder);
	}

	public static RowPlan of(RowAllocation allocation) {
		List<Scheme> schemes = allocation.parts().stream().map(p -> p.share().scheme()).toList();
		List<Long> rows = allocation.parts().stream().map(RowAllocation.Part::rows).toList();
		int narrowest = schemes.stream().mapToInt(Scheme::bits).min().orElse(0);
		Optional<Scheme> widest = new Split(allocation.parts().stream().map(RowAllocation.Part::share).toList())
				.sensitiveScheme().filter(scheme -> scheme.bits() > narrowest);
		OptionalInt sensitive = widest.isPresent() ? OptionalInt.of(schemes.indexOf(widest.get()))
				: OptionalInt.empty();
		List<Integer> others = new ArrayList<>();
		for (int i = 0; i < schemes.size(); i++) {
			if (sensitive.isEmpty() || i != sensitive.getAsInt()) {
				others.add(i);
			}
		}
		others.sort(Comparator.<Integer> comparingInt(i -> schemes.get(i).kind().precisionRank())
				.thenComparingInt(i -> schemes.get(i).bits()));
		Scheme probe = schemes.stream()
				.min(Comparator.comparingInt(Scheme::bits).thenComparingInt(s -> -s.kind().precisionRank()))
				.orElseThrow(() -> new IllegalArgumentException("a split has at least one scheme"));
		return new RowPlan(schemes, rows, sensitive, others, probe);
	}

	public long totalRows() {
		return rows.stream().mapToLong(Long::longValue).sum();
	}
}
