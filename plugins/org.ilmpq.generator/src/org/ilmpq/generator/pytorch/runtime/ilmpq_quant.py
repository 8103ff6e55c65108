"""ILMPQ intra-layer mixed-precision quantization for PyTorch.

ILMPQ (arXiv 2111.00155) splits the rows (output channels) of every weight layer between quantization schemes:
power-of-two rows computed with shifts on LUTs, fixed-point rows on DSP slices, and a few wider fixed-point
rows, chosen by sensitivity, for accuracy. This module holds what does not depend on a spec: the quantizers,
the straight-through estimator, the quantized layers, the row assignment, the activation quantizers of the
tensors the accelerator stores, and the export, which derives the accelerator's integers and runs its integer
pipeline (docs/quantization.md). ilmpq_train.py holds the training and the command line, the network file
beside them the spec.

Runs on torch 1.13 and 2.x, CPU or CUDA; nothing newer than torch 1.13 is used.
"""

import math
import os
import tempfile

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

# The version of the export format of docs/export-format.md; a reader refuses a version it does not know.
EXPORT_FORMAT_VERSION = 2

# The integer requantization (docs/quantization.md; org.ilmpq.core.integer.IntegerArithmetic): sums z in output
# codes with FRACTION_BITS fraction bits; a row's multiplier M < 2^MULTIPLIER_BITS with a shift MIN_SHIFT..MAX_SHIFT,
# its bias in BIAS_BITS signed bits; an operand's multiplier < 2^OPERAND_MULTIPLIER_BITS.
FRACTION_BITS = 16
MULTIPLIER_BITS = 17
MAX_SHIFT = 31
MIN_SHIFT = -8
BIAS_BITS = 26
OPERAND_MULTIPLIER_BITS = 24


# ------------------------------------------------------------------------------------------------ schemes

class Scheme:
    """A weight quantization scheme: 'fixed', 'pot' or 'sp2' at a bit width.

    Every scheme is a table of integer magnitudes indexed by the magnitude of a signed code, over a
    denominator: a weight is sign(code) * magnitudes[|code|] / denominator * alpha, alpha the row's max |w|.
    Codes are m-bit signed integers in [-(2^(m-1) - 1), 2^(m-1) - 1].
    """

    def __init__(self, kind, bits):
        if kind not in ("fixed", "pot", "sp2"):
            raise ValueError("unknown scheme kind '%s'" % kind)
        self.kind = kind
        self.bits = bits
        self.max_code = 2 ** (bits - 1) - 1
        if kind == "fixed":
            # FILM-QNN Eq. 1-3 with the symmetric grid alpha * {0, +-1/n, ..., +-1}, n = 2^(m-1) - 1, so that
            # the code is the signed integer a DSP multiplies and a zero weight stays zero.
            self.magnitudes = list(range(self.max_code + 1))
            self.denominator = self.max_code
        elif kind == "pot":
            # Mix-and-Match (HPCA 2021): one sign bit, the rest an exponent: alpha * {0, +-2^-(n-1), ..., +-1}.
            # Code c > 0 stands for 2^(c - n); as an integer over 2^(n-1) that is 2^(c - 1), a shift by c - 1.
            self.magnitudes = [0] + [2 ** (c - 1) for c in range(1, self.max_code + 1)]
            self.denominator = 2 ** (self.max_code - 1)
        else:
            # Mix-and-Match SP2: alpha * (q1 + q2), q1 in {0, 2^-1, ..., 2^-(2^m1 - 1)}, q2 in {0, 2^-1, ...,
            # 2^-(2^m2 - 1)}, m1 + m2 = m - 1, m1 >= m2. The code is i1 * 2^m2 + i2, i = 0 meaning q = 0.
            m1 = (bits - 1 + 1) // 2
            m2 = bits - 1 - m1
            top = 2 ** m1 - 1
            self.denominator = 2 ** top
            self.magnitudes = []
            for code in range(self.max_code + 1):
                i1, i2 = code >> m2, code & ((1 << m2) - 1)
                q1 = 0 if i1 == 0 else 2 ** (top - i1)
                q2 = 0 if i2 == 0 else 2 ** (top - i2)
                self.magnitudes.append(q1 + q2)
        # Power-of-two grids are quantized to the nearest level by midpoints between the distinct magnitudes;
        # the midpoints are dyadic, so comparing against them is exact in float32. A value on a midpoint takes
        # the larger level; of several codes with one magnitude the smallest stands for it.
        levels = sorted(set(self.magnitudes))
        self.level_codes = [self.magnitudes.index(level) for level in levels]
        self.thresholds = [(a + b) / (2.0 * self.denominator) for a, b in zip(levels, levels[1:])]

    def __repr__(self):
        return "%s %d" % (self.kind, self.bits)

    def codes(self, t):
        """The codes of t, the weights divided by their row's alpha (float32, in [-1, 1])."""
        t = torch.clamp(t, -1.0, 1.0)
        if self.kind == "fixed":
            return torch.round(t * self.max_code)
        thresholds = torch.tensor(self.thresholds, dtype=t.dtype, device=t.device)
        level = torch.bucketize(t.abs(), thresholds, right=True)
        codes = torch.tensor(self.level_codes, dtype=t.dtype, device=t.device)[level]
        return torch.where(t < 0, -codes, codes)

    def values(self, codes):
        """The integer weights of codes: sign(code) * magnitudes[|code|]."""
        table = torch.tensor(self.magnitudes, dtype=codes.dtype, device=codes.device)
        magnitude = table[codes.abs().long()]
        return torch.where(codes < 0, -magnitude, magnitude)


def row_alpha(weight):
    """Per-row scale: the largest |w| of each row (FILM-QNN's alpha, per row); 1 for an all-zero row."""
    alpha = weight.detach().abs().reshape(weight.shape[0], -1).amax(dim=1)
    alpha = torch.where(alpha > 0, alpha, torch.ones_like(alpha))
    return alpha.reshape((-1,) + (1,) * (weight.dim() - 1))


def step_of(alpha, scheme):
    """alpha / denominator, divided as IEEE divides: CUDA turns a division by a Python number into a
    multiplication by its reciprocal, which can be one bit off; a division by a tensor it does not."""
    return alpha / torch.full_like(alpha, float(scheme.denominator))


def quantize_rows(weight, schemes, row_scheme):
    """Codes and dequantized weights of every row under its own scheme (row_scheme: an index into schemes)."""
    alpha = row_alpha(weight)
    t = weight.detach() / alpha
    codes = torch.zeros_like(t)
    steps = torch.zeros_like(alpha)
    values = torch.zeros_like(t)
    for index, scheme in enumerate(schemes):
        rows = (row_scheme == index).reshape(alpha.shape)
        scheme_codes = scheme.codes(t)
        codes = torch.where(rows, scheme_codes, codes)
        step = step_of(alpha, scheme)
        steps = torch.where(rows, step, steps)
        values = torch.where(rows, scheme.values(scheme_codes) * step, values)
    return codes, steps, values


class StraightThrough(torch.autograd.Function):
    """Forward: the quantized tensor; backward: the gradient passes unchanged (Bengio et al. 2013), where the
    input lies inside the quantizer's range."""

    @staticmethod
    def forward(ctx, x, quantized, inside):
        ctx.save_for_backward(inside)
        return quantized

    @staticmethod
    def backward(ctx, grad):
        inside, = ctx.saved_tensors
        return grad * inside, None, None


class ActivationQuantizer(nn.Module):
    """m-bit fixed-point codes of one quantization group of stored tensors: unsigned after a ReLU, symmetric signed
    otherwise. The clipping scale follows the batch maximum (exponential moving average) while training, the
    largest value seen while calibrating, and is frozen in evaluation. In a distributed run the maximum is that
    of the global batch, over all ranks, as one process would see it: the ranks' scales stay identical."""

    def __init__(self, bits, signed, momentum=0.9):
        super().__init__()
        self.bits = bits
        self.signed = signed
        self.momentum = momentum
        self.levels = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
        self.calibrating = False
        self.register_buffer("scale", torch.zeros(()))

    def observe(self, x):
        peak = x.detach().abs().max() if self.signed else x.detach().clamp(min=0).max()
        if dist.is_available() and dist.is_initialized():
            dist.all_reduce(peak, op=dist.ReduceOp.MAX)
        if self.calibrating:
            self.scale.copy_(torch.maximum(self.scale, peak))
        elif self.scale.item() == 0:
            self.scale.fill_(peak.item())
        else:
            self.scale.mul_(self.momentum).add_((1 - self.momentum) * peak)

    def step(self):
        """The value of one code, float64: scale / L."""
        return float(self.scale) / self.levels

    def codes(self, x):
        step = self.scale / self.levels
        low = -self.levels if self.signed else 0
        return torch.clamp(torch.round(x / step), low, self.levels)

    def forward(self, x, observe=True):
        if observe and (self.training or self.calibrating):
            self.observe(x)
        if self.scale.item() == 0:
            return x
        step = self.scale / self.levels
        low = -self.scale if self.signed else torch.zeros_like(self.scale)
        inside = ((x >= low) & (x <= self.scale)).to(x.dtype)
        return StraightThrough.apply(x, self.codes(x) * step, inside)

    def mean(self, x, count):
        """x, the average of `count` codes of this group (a pooling window, padding counted as zeros), back on the
        group's grid as the accelerator takes it: the window's sum of codes times its fixed-point reciprocal,
        rounded half up (_mean; docs/quantization.md), not x / step rounded half to even, which takes a tie such
        as 2.5 to 2 where the accelerator takes it to 3. Not observed; the gradient passes unchanged."""
        if self.scale.item() == 0:
            return x
        step = self.scale.double() / self.levels
        # the sum is an integer up to float32's rounding of the average, far below one half
        sums = torch.round(x.detach().double() / step * count).long()
        tensor = {"lowest": -self.levels if self.signed else 0, "levels": self.levels}
        codes = _mean(sums, count, tensor)
        return StraightThrough.apply(x, (codes.double() * step).to(x.dtype), torch.ones_like(x))


class TensorQuantizers(nn.Module):
    """The activation quantizers of the tensors the accelerator stores as codes, one per quantization group
    (SPEC["tensors"]): a network module calls it where each stored tensor is computed. The identity until
    quantize_model() sets it up, so that the same module trains in float."""

    def __init__(self):
        super().__init__()
        self.groups = nn.ModuleDict()

    def setup(self, tensors):
        for tensor in tensors:
            if self.key(tensor["group_id"]) not in self.groups:
                self.groups[self.key(tensor["group_id"])] = ActivationQuantizer(tensor["bits"], tensor["signed"])

    @staticmethod
    def key(group):
        """A group's key: its identifier after "q_", which no attribute of nn.ModuleDict starts with."""
        return "q_" + group

    def quantizer(self, group):
        return self.groups[self.key(group)]

    def forward(self, group, x):
        """A tensor computed from integers (a layer's output, an add, an activation, a network input): observed and
        quantized."""
        key = self.key(group)
        return self.groups[key](x) if key in self.groups else x

    def mean(self, group, x, count):
        """An average of `count` of its group's codes (pooling): back on the group's grid as the accelerator
        rounds it, not observed."""
        key = self.key(group)
        return self.groups[key].mean(x, count) if key in self.groups else x

    def calibrating(self, on):
        for quantizer in self.groups.values():
            quantizer.calibrating = on
            if on:
                quantizer.scale.zero_()


class RowQuantized:
    """What ILMPQConv2d and ILMPQLinear share: the schemes of the layer's split, the rows each takes, the row
    assignment and the figures it was made from (buffers, so they are saved in state_dict). The layer's input
    arrives quantized: the tensor that holds it was quantized where it was computed (TensorQuantizers)."""

    # what the last assign_rows() measured per row, float64, NaN before it ran: the sensitivity (the error at the
    # probe scheme, by the measure assign_rows was given) and the variance of w / alpha; export writes them to
    # rows.txt (docs/export-format.md)
    FIGURES = ("assigned_sensitivity", "assigned_variance")

    def setup_quantization(self, spec):
        self.spec_name = spec["name"]
        self.schemes = [Scheme(kind, bits) for kind, bits, _ in spec["split"]]
        self.rows_per_scheme = [rows for _, _, rows in spec["split"]]
        self.sensitive = spec["sensitive"]
        self.variance_order = spec["variance_order"]
        self.probe = Scheme(*spec["probe"])
        # the initial assignment: each scheme its rows in order, until assign_rows() sees the weights
        initial = []
        for index, rows in enumerate(self.rows_per_scheme):
            initial += [index] * rows
        self.register_buffer("row_scheme", torch.tensor(initial, dtype=torch.long))
        for name in self.FIGURES:
            self.register_buffer(name, torch.full((len(initial),), math.nan, dtype=torch.float64))

    def fill_unmeasured(self, state_dict, prefix):
        """A checkpoint saved before the assignment's figures were kept has row_scheme but not them: they load
        as unknown (NaN), so that it still loads strictly and exports."""
        if prefix + "row_scheme" in state_dict:
            for name in self.FIGURES:
                if prefix + name not in state_dict:
                    state_dict[prefix + name] = torch.full_like(getattr(self, name), math.nan)

    def assignment_figures(self):
        """Per row, the sensitivity and the variance the last assignment measured, as Python floats (NaN where
        unknown: no assignment ran since the layer was made, or a model pickled without them)."""
        unknown = [math.nan] * self.weight.shape[0]
        return tuple(getattr(self, name).tolist() if hasattr(self, name) else unknown for name in self.FIGURES)

    def quantized_forward(self, x):
        """Quantized input times quantized weights, then the layer's bias."""
        return self.linear_map(x, self.quantized_weight(), self.bias)

    def quantized_weight(self):
        _, _, values = quantize_rows(self.weight, self.schemes, self.row_scheme)
        return StraightThrough.apply(self.weight, values, torch.ones_like(self.weight))

    def assign_rows(self, calibration_input=None, measure="output-error"):
        """Give each row its scheme: the sensitive share to the rows with the largest error at the probe
        scheme (FILM-QNN), then the others in ascending variance of w / alpha (Mix-and-Match: concentrated,
        Gaussian-like rows suit power-of-two). Ties go to the lower row index. Keeps each row's sensitivity and
        variance (assigned_sensitivity, assigned_variance) for the export's rows.txt."""
        sensitivity = row_sensitivity(self, calibration_input if measure == "output-error" else None)
        normalized = (self.weight.detach() / row_alpha(self.weight)).reshape(self.weight.shape[0], -1).double()
        variance = row_variance(normalized)
        assignment = assign_schemes(sensitivity, variance, self.rows_per_scheme, self.sensitive,
                                    self.variance_order)
        self.row_scheme.copy_(torch.tensor(assignment, dtype=torch.long, device=self.row_scheme.device))
        self.assigned_sensitivity.copy_(torch.as_tensor(sensitivity, dtype=torch.float64))
        self.assigned_variance.copy_(torch.tensor(variance, dtype=torch.float64))

    def row_errors(self):
        """The squared weight error of each row under its own scheme, ||W_k - Q(W_k)||^2, float64: the
        differences in float32 as the forward computes them, their squares exact in float64, summed once
        (math.fsum), as row_sensitivity's weight error is, so a row of the probe scheme has its weight-error
        sensitivity as long as its weights have not changed since."""
        _, _, values = quantize_rows(self.weight, self.schemes, self.row_scheme)
        error = (self.weight.detach() - values).double().reshape(self.weight.shape[0], -1)
        return [math.fsum(e * e for e in row) for row in error.tolist()]

    def export_rows(self, batchnorm=None):
        """What the accelerator stores, in float64: codes (rows x fan-in), the step of each row (weight =
        magnitude(code) * step) and the bias of each row. A BatchNorm after the layer is folded in: its scale
        gamma / sqrt(var + eps) multiplies the step, its shift joins the bias; a negative scale negates the row's
        codes, so steps stay positive. The codes are the ones training produced (FILM-QNN: BatchNorm is folded
        into the requantization, not into the weights before quantization)."""
        codes, steps, _ = quantize_rows(self.weight, self.schemes, self.row_scheme)
        codes = codes.double().reshape(self.weight.shape[0], -1)
        steps = steps.double().reshape(-1)
        bias = self.bias.detach().double() if self.bias is not None else torch.zeros_like(steps)
        if batchnorm is not None:
            scale = batchnorm.weight.detach().double() / torch.sqrt(batchnorm.running_var.double() + batchnorm.eps)
            shift = batchnorm.bias.detach().double() - batchnorm.running_mean.double() * scale
            codes = codes * torch.where(scale < 0, -torch.ones_like(scale), torch.ones_like(scale))[:, None]
            steps = steps * scale.abs()
            bias = bias * scale + shift
        return codes, steps, bias

    def integer_weights(self, codes):
        """sign(code) * magnitude(code) of every weight, under its row's scheme (int64)."""
        codes = codes.long()
        values = torch.zeros_like(codes)
        for index, scheme in enumerate(self.schemes):
            rows = (self.row_scheme == index)[:, None]
            # other rows' codes may lie outside this scheme's range: clamped, since where() evaluates every row
            values = torch.where(rows, scheme.values(torch.clamp(codes, -scheme.max_code, scheme.max_code)), values)
        return values


def row_variance(normalized):
    """Population variance of each row, (sum t^2 - (sum t)^2 / n) / n. The sums are correctly rounded
    (math.fsum) and their terms exact (t is float32), so the value does not depend on the order of the terms:
    rows that are permutations of one another tie exactly, and the Java reference agrees bit for bit."""
    count = normalized.shape[1]
    variances = []
    for row in normalized.tolist():
        total = math.fsum(row)
        squares = math.fsum(t * t for t in row)
        variances.append((squares - total * total / count) / count)
    return variances


def row_sensitivity(layer, calibration_input):
    """Squared error of each row at the probe scheme: ||W_k A - Q(W_k) A||^2 on the calibration batch A
    (FILM-QNN, output error), or ||W_k - Q(W_k)||^2 without one (weight error). float64."""
    weight = layer.weight.detach()
    alpha = row_alpha(weight)
    t = weight / alpha
    probe = layer.probe
    quantized = probe.values(probe.codes(t)) * step_of(alpha, probe)
    error = (weight - quantized).double()
    if calibration_input is None:
        # squares of float32 differences are exact in float64; fsum rounds their sum once, whatever the order
        return [math.fsum(e * e for e in row) for row in error.reshape(weight.shape[0], -1).tolist()]
    out = layer.linear_map(calibration_input.double(), error)
    dims = [d for d in range(out.dim()) if d != 1]
    return (out * out).sum(dim=dims)


def assign_schemes(sensitivity, variance, rows_per_scheme, sensitive, variance_order):
    """The scheme index of every row. sensitive: the index of the scheme that takes the most sensitive rows,
    or None; variance_order: the other scheme indices, the first taking the lowest-variance rows."""
    count = len(variance)
    assignment = [0] * count
    remaining = list(range(count))
    if sensitive is not None:
        ranked = sorted(remaining, key=lambda r: (-float(sensitivity[r]), r))
        chosen = set(ranked[:rows_per_scheme[sensitive]])
        for r in chosen:
            assignment[r] = sensitive
        remaining = [r for r in remaining if r not in chosen]
    ranked = sorted(remaining, key=lambda r: (float(variance[r]), r))
    start = 0
    for index in variance_order:
        for r in ranked[start:start + rows_per_scheme[index]]:
            assignment[r] = index
        start += rows_per_scheme[index]
    return assignment


class ILMPQConv2d(nn.Conv2d, RowQuantized):
    """A Conv2d whose output channels are split between quantization schemes."""

    def __init__(self, spec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_quantization(spec)

    def linear_map(self, x, weight, bias=None):
        return self._conv_forward(x, weight, bias)

    def forward(self, x):
        return self.quantized_forward(x)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        self.fill_unmeasured(state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


class ILMPQLinear(nn.Linear, RowQuantized):
    """A Linear whose output features are split between quantization schemes."""

    def __init__(self, spec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_quantization(spec)

    def linear_map(self, x, weight, bias=None):
        return F.linear(x, weight, bias)

    def forward(self, x):
        return self.quantized_forward(x)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        self.fill_unmeasured(state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


# ------------------------------------------------------------------------------------------------ attaching

def layer_signature(module):
    """The shape-defining attributes of a conv or linear module, as the spec writes them."""
    if isinstance(module, nn.Conv2d):
        return {"kind": "conv", "in": module.in_channels, "out": module.out_channels,
                "kernel": tuple(module.kernel_size), "stride": tuple(module.stride),
                "padding": tuple(module.padding), "dilation": tuple(module.dilation),
                "groups": module.groups, "bias": module.bias is not None}
    if isinstance(module, nn.Linear):
        return {"kind": "linear", "in": module.in_features, "out": module.out_features,
                "bias": module.bias is not None}
    return {"kind": type(module).__name__}


def quantize_model(model, spec, mapping=None, override=None):
    """Quantize model as SPEC (the network module's table) says: replace the conv and linear modules that the spec's
    layers map to by ILMPQ modules with the same weights, and set up the model's activation quantizers (its
    TensorQuantizers, where it has them: the generated network module does). mapping: spec layer name -> module
    path (dotted, as named_modules() spells it); a layer it leaves out maps to its generated module path.
    override: one (kind, bits) for every row of every layer, for baselines. Raises ValueError naming the layer when
    a module is missing or its shape differs from the spec, before anything is replaced."""
    layers = spec["layers"]
    mapping = _checked_mapping(mapping, layers)
    modules = dict(model.named_modules())
    # every layer is checked before any module is replaced: a mismatch leaves the model as it was
    replacements = []
    for layer in layers:
        path = mapping.get(layer["name"], layer["module"])
        module = modules.get(path)
        if module is None:
            raise ValueError("spec layer '%s': the model has no module '%s'" % (layer["name"], path))
        expected = {key: layer[key] for key in layer_signature(module) if key in layer}
        found = layer_signature(module)
        if found["kind"] != layer["kind"]:
            raise ValueError("spec layer '%s' is a %s layer, but module '%s' is %s"
                             % (layer["name"], layer["kind"], path, type(module).__name__))
        differences = ["%s %s in the spec, %s in the model" % (key, _shown(expected[key]), _shown(found[key]))
                       for key in expected if expected[key] != found[key]]
        if differences:
            raise ValueError("spec layer '%s' does not match module '%s': %s"
                             % (layer["name"], path, "; ".join(differences)))
        layer_spec = dict(layer)
        if override is not None:
            layer_spec.update(split=[(override[0], override[1], layer["out"])], sensitive=None, variance_order=[0],
                              probe=override)
        if layer["kind"] == "conv":
            replacement = ILMPQConv2d(layer_spec, module.in_channels, module.out_channels, module.kernel_size,
                                      module.stride, module.padding, module.dilation, module.groups,
                                      module.bias is not None, module.padding_mode)
        else:
            replacement = ILMPQLinear(layer_spec, module.in_features, module.out_features, module.bias is not None)
        replacement.to(module.weight.device)
        with torch.no_grad():
            replacement.weight.copy_(module.weight)
            if module.bias is not None:
                replacement.bias.copy_(module.bias)
        replacements.append((path, replacement))
    for path, replacement in replacements:
        _set_module(model, path, replacement)
    activations = getattr(model, "activations", None)
    if isinstance(activations, TensorQuantizers):
        activations.setup(spec["tensors"])
        activations.to(next(model.parameters()).device)
    return model


def _checked_mapping(mapping, layers):
    """The mapping may name the spec's quantized layers and the BatchNorms export folds into them."""
    mapping = dict(mapping or {})
    names = {layer["name"] for layer in layers} | {layer["batchnorm"] for layer in layers if layer["batchnorm"]}
    unknown = sorted(set(mapping) - names)
    if unknown:
        raise ValueError("the mapping names layers the spec does not have: %s" % ", ".join(unknown))
    return mapping


def _shown(value):
    return "x".join(str(v) for v in value) if isinstance(value, tuple) else str(value)


def _set_module(model, path, module):
    parent_path, _, name = path.rpartition(".")
    parent = model.get_submodule(parent_path) if parent_path else model
    setattr(parent, name, module)


def quantized_layers(model):
    return [(name, m) for name, m in model.named_modules() if isinstance(m, RowQuantized)]


def assign_rows(model, batch, measure):
    """Recompute every layer's row assignment; the layer inputs of one batch are the calibration data."""
    layers = quantized_layers(model)
    inputs = {}
    hooks = [m.register_forward_pre_hook(lambda m, args, name=name: inputs.__setitem__(name, args[0].detach()))
             for name, m in layers]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(batch)
            for name, layer in layers:
                layer.assign_rows(inputs.get(name), measure)
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)


# ------------------------------------------------------------------------------------------------ integers

def multiplier(factor):
    """A real factor as M / 2^s, M < 2^MULTIPLIER_BITS: the largest shift s in MIN_SHIFT..MAX_SHIFT at which
    round(factor * 2^s) still fits (round: half to even, as Java's Math.rint); IntegerArithmetic.Multiplier.of."""
    if not factor >= 0 or math.isinf(factor):
        raise ValueError("a multiplier of %r is not a non-negative number" % factor)
    for shift in range(MAX_SHIFT, MIN_SHIFT - 1, -1):
        mantissa = round(math.ldexp(factor, shift))
        if mantissa < 1 << MULTIPLIER_BITS:
            return mantissa, shift
    raise ValueError("a multiplier of %r output steps per accumulator step does not fit %d bits: the output's "
                     "scale is too fine" % (math.ldexp(factor, -FRACTION_BITS), MULTIPLIER_BITS))


def row_multiplier(weight_step, input_step, output_step):
    """((weight step * input step) / output step) * 2^F, in that order, as M / 2^s."""
    return multiplier(math.ldexp(weight_step * input_step / output_step, FRACTION_BITS))


def bias_of(bias, output_step):
    """A bias in z units, round((bias / output step) * 2^F), saturated to BIAS_BITS; and whether it saturated."""
    z = round(math.ldexp(bias / output_step, FRACTION_BITS))
    limit = 1 << (BIAS_BITS - 1)
    return max(-limit, min(limit - 1, z)), abs(z) >= limit


def operand_multiplier(operand_step, output_step):
    """round((operand step / output step) * 2^F): what takes an operand's codes to z."""
    ratio = operand_step / output_step
    value = round(math.ldexp(ratio, FRACTION_BITS))
    if value >= 1 << OPERAND_MULTIPLIER_BITS:
        raise ValueError("an operand step %r times the output's does not fit %d bits" % (ratio,
                                                                                      OPERAND_MULTIPLIER_BITS))
    return value


def reciprocal(count):
    """A window's fixed-point reciprocal P / 2^k: k = 15 + ceil(log2 count), P = 2^k / count rounded half up, in
    integers (IntegerArithmetic.Reciprocal)."""
    shift = 15 + (count - 1).bit_length()
    return ((1 << (shift + 1)) + count) // (2 * count), shift


def to_codes(z, lowest, highest):
    """The code of z: clamp(floor((z + 2^(F-1)) / 2^F)), rounding half up; int64 throughout."""
    return torch.clamp((z + (1 << (FRACTION_BITS - 1))) >> FRACTION_BITS, lowest, highest)


def clamp_of(tensor, activation, step):
    """The codes an output may take: its format's, from 0 after a ReLU, to the code of 6 after a ReLU6."""
    lowest = 0 if activation else tensor["lowest"]
    highest = min(tensor["levels"], round(6 / step)) if activation == "relu6" else tensor["levels"]
    return lowest, highest


def _tensor_format(tensor):
    levels = 2 ** (tensor["bits"] - 1) - 1 if tensor["signed"] else 2 ** tensor["bits"] - 1
    return dict(tensor, levels=levels, lowest=-levels if tensor["signed"] else 0)


class IntegerNetwork:
    """The integers of a trained model, as the accelerator runs it (org.ilmpq.core.integer.IntegerNetwork): the step
    of every stored tensor, and per step its integers: a weight layer's integer weights, row multipliers,
    shifts and biases, clamp and residual multiplier; an add's or activation's operand multipliers and clamp.
    run() computes the codes of every stored tensor from the network input's codes with int64 tensors only."""

    def __init__(self, model, spec, mapping=None):
        if spec["limitations"]:
            raise ValueError(spec["limitations"][0])
        activations = getattr(model, "activations", None)
        if not isinstance(activations, TensorQuantizers) or not activations.groups:
            raise ValueError("the model has no activation quantizers: build it from the network module the spec "
                             "generated (quantize_model sets them up)")
        mapping = _checked_mapping(mapping, spec["layers"])
        modules = dict(model.named_modules())
        self.spec = spec
        self.tensors = {t["name"]: _tensor_format(t) for t in spec["tensors"]}
        self.scales = {}
        for tensor in spec["tensors"]:
            scale = float(activations.quantizer(tensor["group_id"]).scale)
            if scale <= 0:
                raise ValueError("tensor %s has no activation scale yet: train or calibrate the model first"
                                 % tensor["name"])
            self.scales[tensor["name"]] = scale
        self.steps = {name: self.scales[name] / t["levels"] for name, t in self.tensors.items()}
        layers = {layer["name"]: layer for layer in spec["layers"]}
        self.layers = {}
        self.rescales = {}
        self.warnings = []
        for step in spec["program"]:
            if step["step"] == "weight":
                layer = layers[step["name"]]
                module = modules[mapping.get(layer["name"], layer["module"])]
                norm = None
                if layer["batchnorm"] is not None:
                    norm = modules[mapping.get(layer["batchnorm"], layer["batchnorm_module"])]
                    if not isinstance(norm, (nn.BatchNorm1d, nn.BatchNorm2d)) or norm.num_features != layer["out"]:
                        raise ValueError("spec layer '%s': the module is not the BatchNorm of %d features the spec "
                                         "puts after layer '%s'" % (layer["batchnorm"], layer["out"], layer["name"]))
                self.layers[step["name"]] = self._weight_layer(step, layer, module, norm)
            elif step["step"] in ("add", "relu", "relu6"):
                self.rescales[step["name"]] = self._rescale(step)

    def _weight_layer(self, step, layer, module, norm):
        codes, steps, bias = module.export_rows(norm)
        input_step = self.steps[step["input"]]
        output = self.tensors[step["output"]]
        output_step = self.steps[step["output"]]
        rows = []
        for r in range(codes.shape[0]):
            mantissa, shift = row_multiplier(float(steps[r]), input_step, output_step)
            b, saturated = bias_of(float(bias[r]), output_step)
            if saturated:
                self.warnings.append("layer %s row %d: a bias of %.3g output steps saturates at %d bits"
                                     % (layer["name"], r, float(bias[r]) / output_step, BIAS_BITS))
            scheme = module.schemes[int(module.row_scheme[r])]
            rows.append((scheme, mantissa, shift, b, [int(c) for c in codes[r].tolist()]))
        residual = None
        if step["residual"] is not None:
            residual = (step["residual"], operand_multiplier(self.steps[step["residual"]], output_step))
        lowest, highest = clamp_of(output, step["activation"], output_step)
        weights = module.integer_weights(codes).reshape(module.weight.shape).cpu()
        sensitivity, variance = module.assignment_figures()
        assignment = {"schemes": module.schemes, "probe": module.probe,
                      "sensitive": None if module.sensitive is None else module.schemes[module.sensitive],
                      "sensitivity": sensitivity, "variance": variance, "errors": module.row_errors()}
        return {"layer": layer, "step": step, "rows": rows, "residual": residual, "clamp": (lowest, highest),
                "weights": weights, "assignment": assignment,
                "multipliers": torch.tensor([row[1] for row in rows], dtype=torch.long),
                "shifts": torch.tensor([row[2] for row in rows], dtype=torch.long),
                "biases": torch.tensor([row[3] for row in rows], dtype=torch.long)}

    def _rescale(self, step):
        operands = step["operands"] if step["step"] == "add" else [step["input"]]
        output_step = self.steps[step["output"]]
        activation = None if step["step"] == "add" else step["step"]
        return {"step": step, "operands": [(o, operand_multiplier(self.steps[o], output_step)) for o in operands],
                "clamp": clamp_of(self.tensors[step["output"]], activation, output_step)}

    def input_codes(self, x):
        """The network input's codes: clamp(round(x / step)), ties to even (the host's part, in float)."""
        name = self.spec["tensors"][0]["name"]
        tensor = self.tensors[name]
        codes = torch.clamp(torch.round(x.double() / self.steps[name]), tensor["lowest"], tensor["levels"]).long()
        return codes.reshape((x.shape[0],) + tuple(tensor["shape"]))

    def run(self, input_codes):
        """The codes of every stored tensor (int64, batch x channels x height x width), in the order written."""
        codes = {self.spec["tensors"][0]["name"]: input_codes}
        for step in self.spec["program"]:
            kind = step["step"]
            if kind == "weight":
                out = self._run_weight(self.layers[step["name"]], codes)
            elif kind in ("maxpool", "avgpool"):
                out = _pool(codes[step["input"]], step, self.tensors[step["output"]])
            elif kind == "globalpool":
                x = codes[step["input"]]
                count = x.shape[2] * x.shape[3]
                out = _mean(x.sum(dim=(2, 3), keepdim=True), count, self.tensors[step["output"]])
            elif kind == "concat":
                out = torch.cat([codes[o] for o in step["operands"]], 1)
            else:
                rescale = self.rescales[step["name"]]
                z = sum(codes[o] * m for o, m in rescale["operands"])
                out = to_codes(z, *rescale["clamp"])
            codes[step["output"]] = out
        return codes

    @staticmethod
    def _run_weight(table, codes):
        layer, step = table["layer"], table["step"]
        x = codes[step["input"]]
        if layer["kind"] == "linear":
            acc = F.linear(x.flatten(1), table["weights"])[:, :, None, None]
        else:
            acc = F.conv2d(x, table["weights"], None, layer["stride"], layer["padding"], layer["dilation"],
                           layer["groups"])
        # floor(acc * M / 2^s) as the hardware computes it: shifted left by -MIN_SHIFT, right by s - MIN_SHIFT
        shifted = (acc * table["multipliers"][:, None, None]) << -MIN_SHIFT
        z = (shifted >> (table["shifts"][:, None, None] - MIN_SHIFT)) + table["biases"][:, None, None]
        if table["residual"] is not None:
            z = z + codes[table["residual"][0]] * table["residual"][1]
        return to_codes(z, *table["clamp"])

    def output_values(self, codes):
        """The network's output codes times their step: what the host reads (float64)."""
        return codes[self.spec["output"]].double() * self.steps[self.spec["output"]]


def _pool(x, step, tensor):
    """Max pooling compares codes inside the map (padding never wins); average pooling sums them (padding counts
    as zeros) and takes the mean with the window's fixed-point reciprocal."""
    (kh, kw), (sh, sw), (ph, pw) = step["kernel"], step["stride"], step["padding"]
    if step["step"] == "maxpool":
        padded = F.pad(x, (pw, pw, ph, ph), value=-(1 << 40))
        return padded.unfold(2, kh, sh).unfold(3, kw, sw).amax(dim=(4, 5))
    n, c, h, w = x.shape
    ones = torch.ones((1, 1, kh, kw), dtype=torch.long)
    sums = F.conv2d(x.reshape(n * c, 1, h, w), ones, None, (sh, sw), (ph, pw))
    return _mean(sums.reshape(n, c, sums.shape[2], sums.shape[3]), kh * kw, tensor)


def _mean(sums, count, tensor):
    mantissa, shift = reciprocal(count)
    return torch.clamp((sums * mantissa + (1 << (shift - 1))) >> shift, tensor["lowest"], tensor["levels"])


# ------------------------------------------------------------------------------------------------ export

def write_export(model, spec, sample, directory, mapping=None):
    """Write directory/weights.txt, directory/golden.txt and directory/rows.txt (docs/export-format.md), each
    complete or not at all: a file is written beside its final name and renamed over it. The golden data is what
    the integer pipeline computes for the sample: every stored tensor's codes; rows.txt the figures of the row
    assignment and each row's weight error. Returns the IntegerNetwork and those codes."""
    network = IntegerNetwork(model, spec, mapping)
    codes = network.run(network.input_codes(sample.cpu()))
    header = ["ilmpq-export %d" % EXPORT_FORMAT_VERSION, "network %s" % spec["name"],
              "producer %s" % spec["producer"]]
    weights = header + ["fraction-bits %d" % FRACTION_BITS]
    schemes = {(s.kind, s.bits): s for table in network.layers.values() for s, _, _, _, _ in table["rows"]}
    for key in sorted(schemes):
        scheme = schemes[key]
        weights.append("scheme %s %d denominator %d magnitudes %s"
                       % (scheme.kind, scheme.bits, scheme.denominator, " ".join(str(m) for m in scheme.magnitudes)))
    for tensor in spec["tensors"]:
        weights.append("tensor %s %s %s %d scale %s" % (tensor["name"], _dims(tensor["shape"]),
                                                        "signed" if tensor["signed"] else "unsigned", tensor["bits"],
                                                        float(network.scales[tensor["name"]]).hex()))
    for step in spec["program"]:
        if step["name"] in network.layers:
            weights += _layer_records(network.layers[step["name"]])
        elif step["name"] in network.rescales:
            rescale = network.rescales[step["name"]]
            weights.append("rescale %s %s output %s clamp %d %d operands %s"
                           % (step["name"], step["step"], step["output"], rescale["clamp"][0], rescale["clamp"][1],
                              " ".join("%s %d" % operand for operand in rescale["operands"])))
    golden = list(header)
    for tensor in spec["tensors"]:
        values = codes[tensor["name"]][0]
        golden.append("codes %s %s %s" % (tensor["name"], _dims(tensor["shape"]),
                                          " ".join(str(int(c)) for c in values.flatten().tolist())))
    golden.append("output %s" % spec["output"])
    rows = header + ["measure %s" % spec["sensitivity"]]
    for step in spec["program"]:
        if step["name"] in network.layers:
            rows += _assignment_records(network.layers[step["name"]])
    os.makedirs(directory, exist_ok=True)
    for file_name, lines in (("weights.txt", weights), ("golden.txt", golden), ("rows.txt", rows)):
        write_atomically(os.path.join(directory, file_name), "\n".join(lines) + "\n")
    return network, codes


def _layer_records(table):
    layer = table["layer"]
    records = ["layer %s %s" % (layer["name"], _layer_shape(layer)), "input %s" % table["step"]["input"],
               "output %s clamp %d %d" % ((table["step"]["output"],) + table["clamp"])]
    if table["residual"] is not None:
        records.append("residual %s multiplier %d" % table["residual"])
    for r, (scheme, mantissa, shift, bias, codes) in enumerate(table["rows"]):
        records.append("row %d %s %d multiplier %d shift %d bias %d codes %s"
                       % (r, scheme.kind, scheme.bits, mantissa, shift, bias, " ".join(str(c) for c in codes)))
    records.append("end")
    return records


def _assignment_records(table):
    """A layer of rows.txt: its split's schemes, the probe scheme and the sensitive one; per row its scheme, the
    sensitivity and variance the assignment measured, and its squared weight error under its scheme now."""
    figures = table["assignment"]
    sensitive = figures["sensitive"]
    records = ["layer %s rows %d probe %s sensitive %s schemes %s"
               % (table["layer"]["name"], len(table["rows"]), _scheme(figures["probe"]),
                  "none" if sensitive is None else _scheme(sensitive),
                  " ".join(_scheme(s) for s in figures["schemes"]))]
    for r, row in enumerate(table["rows"]):
        records.append("row %d %s sensitivity %s variance %s error %s"
                       % (r, _scheme(row[0]), _figure(figures["sensitivity"][r]), _figure(figures["variance"][r]),
                          _figure(figures["errors"][r])))
    records.append("end")
    return records


def _scheme(scheme):
    return "%s %d" % (scheme.kind, scheme.bits)


def _figure(value):
    """A float64 as an exact hexadecimal float; '-' where it is unknown (NaN) or not finite."""
    return float(value).hex() if math.isfinite(value) else "-"


def _layer_shape(layer):
    if layer["kind"] == "linear":
        return "linear in %d out %d" % (layer["in"], layer["out"])
    return ("conv in %d out %d kernel %s stride %s padding %s dilation %s groups %d"
            % (layer["in"], layer["out"], _pair(layer["kernel"]), _pair(layer["stride"]), _pair(layer["padding"]),
               _pair(layer["dilation"]), layer["groups"]))


def _pair(value):
    return "%d %d" % tuple(value)


def _dims(shape):
    return "x".join(str(d) for d in shape) if len(shape) == 3 and shape[1:] != (1, 1) else str(shape[0])


def write_atomically(path, content):
    """Write text or bytes to path, complete or not at all: beside it first, then renamed over it."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".ilmpq-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
        # mkstemp creates the file for its owner only; give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
