package org.ilmpq.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.ilmpq.core.model.Operation;
import org.ilmpq.core.model.Operation.Grouping;
import org.ilmpq.core.model.Size2d;
import org.ilmpq.dsl.ilmpq.BooleanLiteral;
import org.ilmpq.dsl.ilmpq.Conv;
import org.ilmpq.dsl.ilmpq.Dims;
import org.ilmpq.dsl.ilmpq.Expr;
import org.ilmpq.dsl.ilmpq.Linear;
import org.ilmpq.dsl.ilmpq.MergeOperation;
import org.ilmpq.dsl.ilmpq.Pool;
import org.ilmpq.dsl.ilmpq.PoolKind;
import org.ilmpq.dsl.ilmpq.SingleInputOperation;

/**
 * Lowers one built-in operation to its core {@link Operation}, with PyTorch's defaults for what the spec leaves
 * out: stride 1 (pooling: the kernel), padding 0, dilation 1, one group, a bias. An operation missing what it
 * cannot do without (a kernel, a channel count), or with an argument that does not evaluate, lowers to
 * {@link Operation.Unresolved}: validation has said why, and the analysis says nothing more about it.
 */
final class OperationLowering {

	private final IntExpressions expressions;

	OperationLowering(IntExpressions expressions) {
		this.expressions = expressions;
	}

	Operation lower(org.ilmpq.dsl.ilmpq.Operation op) {
		if (op instanceof Conv conv) {
			return conv(conv);
		} else if (op instanceof Linear linear) {
			OptionalLong out = value(linear.getOut());
			return out.isPresent() ? new Operation.Linear(out.getAsLong(), bias(linear.getBias()))
					: unresolved("linear without out");
		} else if (op instanceof Pool pool) {
			return pool(pool);
		} else if (op instanceof SingleInputOperation single && single.getKind() != null) {
			// a switch expression over the enum: a literal added to the grammar fails compilation here
			return switch (single.getKind()) {
			case BATCHNORM -> new Operation.BatchNorm();
			case RELU -> new Operation.Activation(Operation.Activation.Function.RELU);
			case RELU6 -> new Operation.Activation(Operation.Activation.Function.RELU6);
			case GLOBAL_AVG_POOL -> new Operation.GlobalAvgPool();
			case FLATTEN -> new Operation.Flatten();
			};
		} else if (op instanceof MergeOperation merge && merge.getKind() != null) {
			if (merge.getInputs().size() < 2) {
				// reported on the layer itself by validation
				return unresolved(merge.getKind().getLiteral() + " with one input");
			}
			return switch (merge.getKind()) {
			case ADD -> new Operation.Add();
			case CONCAT -> new Operation.Concat();
			};
		}
		return unresolved("no operation");
	}

	private Operation conv(Conv conv) {
		Optional<Size2d> kernel = size(conv.getKernel(), null);
		Optional<Size2d> stride = size(conv.getStride(), Size2d.square(1));
		Optional<Size2d> padding = size(conv.getPadding(), Size2d.square(0));
		Optional<Size2d> dilation = size(conv.getDilation(), Size2d.square(1));
		OptionalLong out = value(conv.getOut());
		Grouping grouping = Grouping.NONE;
		if (conv.isDepthwise()) {
			grouping = Grouping.DEPTHWISE;
		} else if (conv.getGroups() != null) {
			OptionalLong groups = value(conv.getGroups());
			if (groups.isEmpty()) {
				return unresolved("groups");
			}
			grouping = Grouping.of(groups.getAsLong());
		}
		if (kernel.isEmpty() || stride.isEmpty() || padding.isEmpty() || dilation.isEmpty()
				|| (out.isEmpty() && !conv.isDepthwise())) {
			return unresolved("conv arguments");
		}
		return new Operation.Conv2d(out, kernel.get(), stride.get(), padding.get(), dilation.get(), grouping,
				bias(conv.getBias()));
	}

	private Operation pool(Pool pool) {
		Optional<Size2d> kernel = size(pool.getKernel(), null);
		if (kernel.isEmpty()) {
			return unresolved("pool kernel");
		}
		Optional<Size2d> stride = size(pool.getStride(), kernel.get());
		Optional<Size2d> padding = size(pool.getPadding(), Size2d.square(0));
		if (stride.isEmpty() || padding.isEmpty()) {
			return unresolved("pool arguments");
		}
		Operation.Pool2d.Kind kind = pool.getKind() == PoolKind.AVG ? Operation.Pool2d.Kind.AVG : Operation.Pool2d.Kind.MAX;
		return new Operation.Pool2d(kind, kernel.get(), stride.get(), padding.get());
	}

	/** One size is square, two are height x width; anything else is reported by validation. */
	Optional<Size2d> size(Dims dims, Size2d absent) {
		if (dims == null) {
			return Optional.ofNullable(absent);
		}
		List<Long> values = values(dims);
		if (values == null) {
			return Optional.empty();
		}
		return switch (values.size()) {
		case 1 -> Optional.of(Size2d.square(values.get(0)));
		case 2 -> Optional.of(new Size2d(values.get(0), values.get(1)));
		default -> Optional.empty();
		};
	}

	/** The sizes of {@code 3 x 224 x 224} or {@code 3x224x224}; null if one of them does not evaluate. */
	List<Long> values(Dims dims) {
		List<Long> values = new ArrayList<>();
		if (dims.getCompact() != null) {
			for (String part : dims.getCompact().split("x")) {
				try {
					values.add(Long.parseLong(part));
				} catch (NumberFormatException tooLarge) {
					return null; // the number is beyond long: reported by validation
				}
			}
			return values;
		}
		for (Expr expr : dims.getValues()) {
			OptionalLong value = expressions.evaluate(expr);
			if (value.isEmpty()) {
				return null;
			}
			values.add(value.getAsLong());
		}
		return values;
	}

	private OptionalLong value(Expr expr) {
		return expr == null ? OptionalLong.empty() : expressions.evaluate(expr);
	}

	private static boolean bias(BooleanLiteral bias) {
		return bias == null || bias.isValue();
	}

	private static Operation unresolved(String reason) {
		return new Operation.Unresolved(reason);
	}
}
