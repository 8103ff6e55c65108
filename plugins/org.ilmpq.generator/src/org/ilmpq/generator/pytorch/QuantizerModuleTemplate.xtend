package org.ilmpq.generator.pytorch

/**
 * {@code quant/ilmpq_quant.py}: the quantizers, the quantized layers, the row assignment, BatchNorm folding and
 * the export; the same for every spec. Its arithmetic is that of {@link org.ilmpq.core.quant.WeightQuantizer},
 * {@link org.ilmpq.core.quant.RowQuantizer} and {@link org.ilmpq.core.quant.RowAssignment}, which a test checks
 * code for code.
 */
final class QuantizerModuleTemplate {

	private new() {
	}

	def static String render(String header) '''
		«header»
		"""ILMPQ intra-layer mixed-precision quantization for PyTorch.

		ILMPQ (arXiv 2111.00155) splits the rows (output channels) of every weight layer between quantization schemes:
		power-of-two rows computed with shifts on LUTs, fixed-point rows on DSP slices, and a few wider fixed-point
		rows, chosen by sensitivity, for accuracy. This module holds what does not depend on a spec: the quantizers,
		the straight-through estimator, the quantized layers, the row assignment, BatchNorm folding and the export.
		ilmpq_train.py holds the training and the command line, the network file beside them the spec.

		Runs on torch 1.13 and 2.x, CPU or CUDA; nothing newer than torch 1.13 is used.
		"""

		import math
		import os
		import tempfile

		import torch
		import torch.nn as nn
		import torch.nn.functional as F

		# The version of the export format of docs/export-format.md; a reader refuses a version it does not know.
		EXPORT_FORMAT_VERSION = 1


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
		    """m-bit fixed-point activations: unsigned after a ReLU, symmetric signed otherwise. The clipping scale
		    follows the batch maximum (exponential moving average) while training; calibrate() and eval() freeze it."""

		    def __init__(self, bits, signed, momentum=0.9):
		        super().__init__()
		        self.bits = bits
		        self.signed = signed
		        self.momentum = momentum
		        self.levels = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
		        self.register_buffer("scale", torch.zeros(()))

		    def observe(self, x):
		        peak = x.detach().abs().max() if self.signed else x.detach().clamp(min=0).max()
		        if self.scale.item() == 0:
		            self.scale.fill_(peak.item())
		        else:
		            self.scale.mul_(self.momentum).add_((1 - self.momentum) * peak)

		    def codes(self, x):
		        step = self.scale / self.levels
		        low = -self.levels if self.signed else 0
		        return torch.clamp(torch.round(x / step), low, self.levels)

		    def forward(self, x):
		        if self.training:
		            self.observe(x)
		        if self.scale.item() == 0:
		            return x
		        step = self.scale / self.levels
		        low = -self.scale if self.signed else torch.zeros_like(self.scale)
		        inside = ((x >= low) & (x <= self.scale)).to(x.dtype)
		        return StraightThrough.apply(x, self.codes(x) * step, inside)


		class RowQuantized:
		    """What ILMPQConv2d and ILMPQLinear share: the schemes of the layer's split, the rows each takes, the
		    row assignment (a buffer, so it is saved in state_dict) and the activation quantizer of the input."""

		    def setup_quantization(self, spec):
		        self.spec_name = spec["name"]
		        self.schemes = [Scheme(kind, bits) for kind, bits, _ in spec["split"]]
		        self.rows_per_scheme = [rows for _, _, rows in spec["split"]]
		        self.sensitive = spec["sensitive"]
		        self.variance_order = spec["variance_order"]
		        self.probe = Scheme(*spec["probe"])
		        self.input_quantizer = ActivationQuantizer(spec["input_bits"], spec["input_signed"])
		        # the initial assignment: each scheme its rows in order, until assign_rows() sees the weights
		        initial = []
		        for index, rows in enumerate(self.rows_per_scheme):
		            initial += [index] * rows
		        self.register_buffer("row_scheme", torch.tensor(initial, dtype=torch.long))
		        # (scale, shift after it) per row, float64, of a BatchNorm fold_batchnorm() folded into this layer, else None
		        self.folded = None
		        self.last_input_codes = None

		    def quantized_forward(self, x):
		        """The layer's forward pass: as the accelerator computes it inside reference_run(), else quantized input
		        times quantized weights, then the bias or the folded BatchNorm."""
		        if _ReferenceMode.active:
		            return self.reference_forward(x)
		        x, weight = self.input_quantizer(x), self.quantized_weight()
		        if self.folded is None:
		            return self.linear_map(x, weight, self.bias)
		        out = self.linear_map(x, weight)
		        scale, shift = (t.to(out.dtype).reshape(_per_row(out)) for t in self.folded)
		        return out * scale + shift

		    def quantized_weight(self):
		        _, _, values = quantize_rows(self.weight, self.schemes, self.row_scheme)
		        return StraightThrough.apply(self.weight, values, torch.ones_like(self.weight))

		    def assign_rows(self, calibration_input=None, measure="output-error"):
		        """Give each row its scheme: the sensitive share to the rows with the largest error at the probe
		        scheme (FILM-QNN), then the others in ascending variance of w / alpha (Mix-and-Match: concentrated,
		        Gaussian-like rows suit power-of-two). Ties go to the lower row index."""
		        sensitivity = row_sensitivity(self, calibration_input if measure == "output-error" else None)
		        normalized = (self.weight.detach() / row_alpha(self.weight)).reshape(self.weight.shape[0], -1).double()
		        variance = row_variance(normalized)
		        assignment = assign_schemes(sensitivity, variance, self.rows_per_scheme, self.sensitive,
		                                    self.variance_order)
		        self.row_scheme.copy_(torch.tensor(assignment, dtype=torch.long, device=self.row_scheme.device))

		    def export_rows(self):
		        """What the accelerator stores, in float64: codes (rows x fan-in), the step of each row (weight =
		        magnitude(code) * step) and the bias of each row, with a folded BatchNorm's scale and shift in the step
		        and bias; a negative BatchNorm scale negates the row's codes, so steps stay positive."""
		        codes, steps, _ = quantize_rows(self.weight, self.schemes, self.row_scheme)
		        codes = codes.double().reshape(self.weight.shape[0], -1)
		        steps = steps.double().reshape(-1)
		        bias = self.bias.detach().double() if self.bias is not None else torch.zeros_like(steps)
		        if self.folded is not None:
		            # the BatchNorm's scale per row, and the bias after it (the layer's own included)
		            scale, bias = self.folded
		            codes = codes * torch.where(scale < 0, -torch.ones_like(scale), torch.ones_like(scale))[:, None]
		            steps = steps * scale.abs()
		        return codes, steps, bias

		    def integer_weights(self, codes):
		        """sign(code) * magnitude(code) of every weight, under its row's scheme (float64, exact)."""
		        values = torch.zeros_like(codes)
		        for index, scheme in enumerate(self.schemes):
		            rows = (self.row_scheme == index)[:, None]
		            # other rows' codes may lie outside this scheme's range: clamped, since where() evaluates every row
		            values = torch.where(rows, scheme.values(torch.clamp(codes, -scheme.max_code, scheme.max_code)), values)
		        return values

		    def reference_forward(self, x):
		        """The layer as the accelerator computes it: integer input codes times integer weights, accumulated
		        exactly (float64 holds every sum below 2^53), then acc * (weight step * input step) + bias per row."""
		        quantizer = self.input_quantizer
		        input_step = quantizer.scale.double() / quantizer.levels
		        low = -quantizer.levels if quantizer.signed else 0
		        input_codes = torch.clamp(torch.round(x.double() / input_step), low, quantizer.levels)
		        self.last_input_codes = input_codes
		        codes, steps, bias = self.reference_rows
		        weights = self.integer_weights(codes).reshape(self.weight.shape)
		        acc = self.linear_map(input_codes, weights)
		        return acc * (steps * input_step).reshape(_per_row(acc)) + bias.reshape(_per_row(acc))


		def _per_row(out):
		    """The shape that broadcasts one value per row (dimension 1) over a layer's output."""
		    return (1, -1) + (1,) * (out.dim() - 2)


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


		class ILMPQLinear(nn.Linear, RowQuantized):
		    """A Linear whose output features are split between quantization schemes."""

		    def __init__(self, spec, *args, **kwargs):
		        super().__init__(*args, **kwargs)
		        self.setup_quantization(spec)

		    def linear_map(self, x, weight, bias=None):
		        return F.linear(x, weight, bias)

		    def forward(self, x):
		        return self.quantized_forward(x)


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


		def quantize_model(model, layers, mapping=None, override=None):
		    """Replace the conv and linear modules of model that the spec's layers map to by ILMPQ modules with the
		    same weights. mapping: spec layer name -> module path (dotted, as named_modules() spells it); a layer it
		    leaves out maps to its generated module path. override: one (kind, bits) for every row of every layer, for
		    baselines. Raises ValueError naming the layer when a module is missing or its shape differs from the spec."""
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
		        spec = dict(layer)
		        if override is not None:
		            spec.update(split=[(override[0], override[1], layer["out"])], sensitive=None, variance_order=[0],
		                        probe=override)
		        if layer["kind"] == "conv":
		            replacement = ILMPQConv2d(spec, module.in_channels, module.out_channels, module.kernel_size,
		                                      module.stride, module.padding, module.dilation, module.groups,
		                                      module.bias is not None, module.padding_mode)
		        else:
		            replacement = ILMPQLinear(spec, module.in_features, module.out_features, module.bias is not None)
		        replacement.to(module.weight.device)
		        with torch.no_grad():
		            replacement.weight.copy_(module.weight)
		            if module.bias is not None:
		                replacement.bias.copy_(module.bias)
		        replacements.append((path, replacement))
		    for path, replacement in replacements:
		        _set_module(model, path, replacement)
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
		    hooks = [m.register_forward_pre_hook(
		        lambda m, args, name=name: inputs.__setitem__(name, m.input_quantizer(args[0]).detach()))
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


		# ------------------------------------------------------------------------------------------------ folding, export

		def fold_batchnorm(model, layers, mapping=None):
		    """Fold each BatchNorm that directly follows a spec layer into that layer's per-row scale and shift, and
		    replace it by an identity. The codes stay those training produced: the BatchNorm scale goes into the row's
		    step (a requantization multiplier in hardware), not into the weights before quantization."""
		    mapping = _checked_mapping(mapping, layers)
		    modules = dict(model.named_modules())
		    folds = []
		    for layer in layers:
		        if layer["batchnorm"] is None:
		            continue
		        target = modules[mapping.get(layer["name"], layer["module"])]
		        path = mapping.get(layer["batchnorm"], layer["batchnorm_module"])
		        norm = modules.get(path)
		        if not isinstance(norm, (nn.BatchNorm1d, nn.BatchNorm2d)) or norm.num_features != layer["out"]:
		            raise ValueError("spec layer '%s': module '%s' is not the BatchNorm of %d features the spec puts after "
		                             "layer '%s'" % (layer["batchnorm"], path, layer["out"], layer["name"]))
		        folds.append((target, path, norm))
		    # all checked first: a mismatch leaves the model as it was
		    for target, path, norm in folds:
		        scale = norm.weight.detach().double() / torch.sqrt(norm.running_var.double() + norm.eps)
		        shift = norm.bias.detach().double() - norm.running_mean.double() * scale
		        bias = target.bias.detach().double() if target.bias is not None else torch.zeros_like(scale)
		        target.folded = (scale, bias * scale + shift)
		        _set_module(model, path, nn.Identity())
		    return model


		class _ReferenceMode:
		    """Set while reference_run runs: the layers compute as the accelerator does."""
		    active = False


		def global_average_pool(x):
		    """adaptive_avg_pool2d(x, 1), the network modules' global pooling. In the integer reference each channel's sum
		    is correctly rounded (math.fsum), then divided by height x width once: PyTorch's own order of summation
		    depends on the CPU's vector width, a correctly rounded sum on nothing, so any reader can reproduce it."""
		    if not _ReferenceMode.active:
		        return F.adaptive_avg_pool2d(x, 1)
		    count = x.shape[2] * x.shape[3]
		    sums = [[math.fsum(channel) / count for channel in sample] for sample in x.flatten(2).tolist()]
		    return torch.tensor(sums, dtype=x.dtype, device=x.device)[:, :, None, None]


		def reference_run(model, sample):
		    """Run one sample the way the accelerator computes it; returns the output (float64) and, per quantized
		    layer in the order the layers ran, its module path and input codes."""
		    layers = quantized_layers(model)
		    ran = []
		    hooks = [layer.register_forward_pre_hook(lambda m, args, name=name: ran.append(name)) for name, layer in layers]
		    for _, layer in layers:
		        # the codes of the float32 weights: taken before the model turns float64, where w / alpha could round
		        # differently
		        layer.reference_rows = layer.export_rows()
		    _ReferenceMode.active = True
		    try:
		        with torch.no_grad():
		            output = model.double()(sample.double())
		    finally:
		        _ReferenceMode.active = False
		        model.float()
		        for hook in hooks:
		            hook.remove()
		    modules = dict(layers)
		    return output, [(name, modules[name].last_input_codes) for name in ran]


		def write_export(model, spec, sample, directory, mapping=None):
		    """Write directory/weights.txt and directory/golden.txt (docs/export-format.md), each complete or not at
		    all: a file is written beside its final name and renamed over it."""
		    if spec.get("unfolded_batchnorms"):
		        raise ValueError("export format %d has no record for a BatchNorm that does not alone follow a conv or "
		                         "linear layer: %s" % (EXPORT_FORMAT_VERSION, ", ".join(spec["unfolded_batchnorms"])))
		    layers = spec["layers"]
		    mapping = _checked_mapping(mapping, layers)
		    modules = dict(model.named_modules())
		    spec_names = {mapping.get(layer["name"], layer["module"]): layer["name"] for layer in layers}
		    if not spec_names:
		        raise ValueError("the network has no quantized layer (a spec without a split quantizes nothing)")
		    for path, name in spec_names.items():
		        if float(modules[path].input_quantizer.scale) <= 0:
		            raise ValueError("layer %s has no activation scale yet: train or calibrate the model first" % name)
		    output, input_codes = reference_run(model, sample)
		    # layers in the order they ran, which a C++ reader can follow
		    names = {path: spec_names[path] for path, _ in input_codes}
		    header = ["ilmpq-export %d" % EXPORT_FORMAT_VERSION, "network %s" % spec["name"],
		              "producer %s" % spec["producer"]]
		    weights = list(header)
		    schemes = {(s.kind, s.bits): s for path in names for s in modules[path].schemes}
		    for key in sorted(schemes):
		        scheme = schemes[key]
		        weights.append("scheme %s %d denominator %d magnitudes %s"
		                       % (scheme.kind, scheme.bits, scheme.denominator, " ".join(str(m) for m in scheme.magnitudes)))
		    for path, name in names.items():
		        module = modules[path]
		        layer = next(entry for entry in layers if entry["name"] == name)
		        quantizer = module.input_quantizer
		        weights.append("layer %s %s" % (name, _layer_shape(layer)))
		        weights.append("input %s %d scale %s" % ("signed" if quantizer.signed else "unsigned", quantizer.bits,
		                                                 float(quantizer.scale).hex()))
		        codes, steps, bias = module.export_rows()
		        for row in range(codes.shape[0]):
		            scheme = module.schemes[int(module.row_scheme[row])]
		            weights.append("row %d %s %d step %s bias %s codes %s"
		                           % (row, scheme.kind, scheme.bits, float(steps[row]).hex(), float(bias[row]).hex(),
		                              " ".join(str(int(c)) for c in codes[row].tolist())))
		        weights.append("end")
		    golden = list(header)
		    golden.append("sample %s %s" % (_dims(sample.shape[1:]),
		                                    " ".join(float(v).hex() for v in sample.double().flatten().tolist())))
		    for path, codes in input_codes:
		        name = names[path]
		        golden.append("input-codes %s %s %s" % (name, _dims(codes.shape[1:]),
		                                                " ".join(str(int(c)) for c in codes.flatten().tolist())))
		    golden.append("output %s %s" % (_dims(output.shape[1:]),
		                                    " ".join(float(v).hex() for v in output.flatten().tolist())))
		    os.makedirs(directory, exist_ok=True)
		    for file_name, lines in (("weights.txt", weights), ("golden.txt", golden)):
		        write_atomically(os.path.join(directory, file_name), "\n".join(lines) + "\n")
		    return output


		def _layer_shape(layer):
		    if layer["kind"] == "linear":
		        return "linear in %d out %d" % (layer["in"], layer["out"])
		    return ("conv in %d out %d kernel %s stride %s padding %s dilation %s groups %d"
		            % (layer["in"], layer["out"], _pair(layer["kernel"]), _pair(layer["stride"]), _pair(layer["padding"]),
		               _pair(layer["dilation"]), layer["groups"]))


		def _pair(value):
		    return "%d %d" % tuple(value)


		def _dims(shape):
		    return "x".join(str(d) for d in shape)


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
	'''
}
