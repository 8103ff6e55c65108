#!/usr/bin/env python3
"""Calibrates the hardware model's unit costs by synthesis (docs/hardware-model.md, "Calibration").

Every unit of rtl/ (an engine row on LUTs, packed fixed-point rows on DSP slices, a requantizer, a buffer) is
first simulated against the generated firmware's own C++ (sim/unit_vectors.cpp includes ilmpq_engines.h and
ilmpq_tiles.h from the generator's runtime directory) on random vectors with Icarus Verilog, then synthesized by
Yosys for Xilinx 7-series (synth_xilinx -family xc7) at the lane counts and widths the design search uses. The
counts are fitted to per-lane, per-accumulator-bit and per-row costs, and written with every measurement to the
cost table the hardware model reads (plugins/org.ilmpq.core/.../hardware/xc7-unit-costs.properties).

    calibrate.sh                 simulate, synthesize and fit everything; rewrite the table
    calibrate.sh --refit         fit the table's own measurements again (after a change to the fit or derating)
    calibrate.sh --check NAME..  simulate and synthesize the named configurations only, and compare their counts
                                 with the table's measurements: exit status 1 where one differs
    calibrate.sh --list          the configurations' names

Deterministic: the same Yosys and the same sources give the same table, byte for byte.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.normpath(os.path.join(HERE, "..", ".."))
RUNTIME = os.path.join(REPOSITORY, "plugins", "org.ilmpq.generator", "src", "org", "ilmpq", "generator", "hls",
                       "runtime")
TABLE = os.path.join(REPOSITORY, "plugins", "org.ilmpq.core", "src", "org", "ilmpq", "core", "hardware",
                     "xc7-unit-costs.properties")
RTL = ["ilmpq_adder_tree.v", "ilmpq_weighted_lane.v", "ilmpq_engine_row.v", "ilmpq_packed_rows.v",
       "ilmpq_requantizer.v", "ilmpq_depthwise_lane.v", "ilmpq_buffer.v"]
# What each unit's synthesis reads: its own modules only. ABC's mapping depends on the order of the netlist's
# nodes, so a module read but not used would still move the counts by a few LUTs.
SOURCES = {
    "ilmpq_engine_row": ["ilmpq_adder_tree.v", "ilmpq_weighted_lane.v", "ilmpq_engine_row.v"],
    "ilmpq_packed_rows": ["ilmpq_adder_tree.v", "ilmpq_packed_rows.v"],
    "ilmpq_requantizer": ["ilmpq_requantizer.v"],
    "ilmpq_depthwise_lane": ["ilmpq_adder_tree.v", "ilmpq_depthwise_lane.v"],
    "ilmpq_buffer": ["ilmpq_buffer.v"],
}

# What the design search uses (AcceleratorConfig): lanes 4 to 64, activations of 4 or 8 bits, the schemes of the
# examples' splits; sp2 4 for the SP2 engine.
LANES = (4, 8, 16, 32, 64)
ACTIVATIONS = (4, 8)
ROW_SCHEMES = (("pot", 4), ("sp2", 4), ("fixed", 4), ("fixed", 8))
# packed: the fixed-point schemes the examples split into; one product a slice: fixed 8 (Yosys leaves a fixed 4
# product, 9 bits, to the LUTs; DspPacking packs fixed 4 and fixed 8 on every device, so one product a slice is
# the datapath of wider codes, which the model scales from fixed 8's)
PACKED_SCHEMES = (("fixed", 4), ("fixed", 8))
PRODUCTS_SCHEMES = (("fixed", 8),)
# the accumulator's cost per bit: each row configuration at 16 lanes again with an accumulator this much wider
ACCUMULATOR_MARGIN = 4
ACCUMULATOR_STEP = 8
FIT_LANES = 16
REQUANTIZER_ACCUMULATORS = (12, 16, 20, 24, 28, 32)
DEPTHWISE_TAPS = 9
# the tile and weight buffers of the examples' designs (width x depth), from distributed to block RAM
BUFFERS = ((5, 64), (5, 324), (9, 64), (9, 256), (20, 256), (6, 1024), (48, 256), (304, 256), (80, 784))
# DSP48E1 (UG479): a 25-bit A port, a 48-bit P
DSP_A_BITS = 25
DSP_P_BITS = 48
# random cycles a unit is simulated for: 500, fewer for the wide ones (each cycle checks every lane; Icarus takes
# 30 ms a cycle of 64 packed lanes)
SIMULATED_LANE_CYCLES = 6400
SIMULATED_CYCLES = (100, 500)


def simulated_cycles(config):
    lanes = config.parameters.get("LANES", 1)
    return max(SIMULATED_CYCLES[0], min(SIMULATED_CYCLES[1], SIMULATED_LANE_CYCLES // lanes))

# Vivado's LUTs per Yosys LUT: the geometric mean over the 14 designs that fpga-tool-perf synthesizes with both
# (chipsalliance/fpga-tool-perf, results of 2021-08/09 in antmicro/fpga-tool-perf-results, Yosys 0.10
# synth_xilinx and Vivado synthesis, both placed by Vivado): 0.87, from 0.77 (picorv32) to 0.96 (vexriscv).
# Flip-flops within about 5 % either way: 1.00. An assumption beyond those designs: none of them is an arithmetic
# datapath like these units.
DERATING_LUT = "0.87"
DERATING_FF = "1.00"


def signed_bits(magnitude):
    return magnitude.bit_length() + 1


def largest_weight(kind, bits):
    """The largest magnitude a code of the scheme weighs (WeightQuantizer.largestMagnitude)."""
    if kind == "fixed":
        return (1 << (bits - 1)) - 1
    if kind == "pot":
        return 1 << ((1 << (bits - 1)) - 2)
    m1 = bits // 2
    m2 = bits - 1 - m1
    top = (1 << m1) - 1

    def level(i):
        return 0 if i == 0 else 1 << (top - i)

    return max(level(c >> m2) + level(c & ((1 << m2) - 1)) for c in range(1 << (bits - 1)))


def kind_code(kind):
    return {"fixed": 0, "pot": 1, "sp2": 2}[kind]


def shift_bits(activation):
    """shift_t of a design whose widest inputs are 8-bit codes (HlsNetwork.shiftBits)."""
    slices = -(-8 // activation)
    return max(1, ((slices - 1) * activation).bit_length())


def packing(weight_bits, activation):
    """DspPacking.of on a DSP48E1: rows whose products lie side by side in the A port and in P."""
    field = weight_bits + activation + 1
    return max(1, min(1 + max(0, DSP_A_BITS - weight_bits) // field, DSP_P_BITS // field)), field


class Config:
    """One configuration of one unit: its name, its Verilog top, its parameters, Yosys's options."""

    def __init__(self, name, unit, top, parameters, options="", simulate=None):
        self.name = name
        self.unit = unit
        self.top = top
        self.parameters = parameters
        self.options = options
        self.simulate = simulate  # the C++ harness's -D definitions, or None for a unit without C++ counterpart


def engine_widths(kind, bits, activation, lanes):
    product = (1 << activation) * largest_weight(kind, bits)
    return signed_bits(product), signed_bits(product * lanes)


def row_config(datapath, kind, bits, activation, lanes, accumulator=None):
    product, total = engine_widths(kind, bits, activation, lanes)
    base = engine_widths(kind, bits, activation, FIT_LANES)[1] + ACCUMULATOR_MARGIN
    accumulator = accumulator or base
    key = "%s-%s-%d-a%d" % (datapath, kind, bits, activation)
    name = "%s-l%d-c%d" % (key, lanes, accumulator)
    common = {"LANES": lanes, "ACTIVATION_BITS": activation, "WEIGHT_BITS": bits, "PRODUCT_BITS": product,
              "SUM_BITS": total, "ACC_BITS": accumulator, "SHIFT_BITS": shift_bits(activation)}
    if datapath == "packed":
        rows, field = packing(bits, activation)
        packed = (rows - 1) * field + bits
        parameters = dict(common, PACKING=rows, FIELD_BITS=field, PACKED_BITS=packed,
                          PACKED_PRODUCT_BITS=packed + activation + 1)
        return Config(name, "packed", "ilmpq_packed_rows", parameters, simulate=dict(parameters, KIND=0))
    parameters = dict(common, KIND=kind_code(kind))
    # a fixed-point row on LUTs is the engine without DSP slices; on them, one product a slice
    options = "-nodsp" if datapath == "lut" else ""
    return Config(name, "row", "ilmpq_engine_row", parameters, options, simulate=parameters)


def configurations():
    configs = []
    for activation in ACTIVATIONS:
        for kind, bits in ROW_SCHEMES:
            datapath = "lut"
            for lanes in LANES:
                configs.append(row_config(datapath, kind, bits, activation, lanes))
            base = engine_widths(kind, bits, activation, FIT_LANES)[1] + ACCUMULATOR_MARGIN
            configs.append(row_config(datapath, kind, bits, activation, FIT_LANES, base + ACCUMULATOR_STEP))
        for datapath, schemes in (("products", PRODUCTS_SCHEMES), ("packed", PACKED_SCHEMES)):
            for kind, bits in schemes:
                for lanes in LANES:
                    configs.append(row_config(datapath, kind, bits, activation, lanes))
                base = engine_widths(kind, bits, activation, FIT_LANES)[1] + ACCUMULATOR_MARGIN
                configs.append(row_config(datapath, kind, bits, activation, FIT_LANES, base + ACCUMULATOR_STEP))
    for residual in (0, 1):
        for accumulator in REQUANTIZER_ACCUMULATORS:
            scaled = accumulator + 17 + 1 + 8
            # the design's sum_t (HlsNetwork.sumBits) for 8-bit codes
            z = max(scaled, 26, 24 + 1 + 9 + 1) + 2
            parameters = {"ACC_BITS": accumulator, "SCALED_BITS": scaled, "Z_BITS": z, "CODE_BITS": 9,
                          "RESIDUAL": residual}
            configs.append(Config("requantizer-r%d-c%d" % (residual, accumulator), "requantizer",
                                  "ilmpq_requantizer", parameters, simulate=parameters))
    for activation in ACTIVATIONS:
        # a depthwise lane at its widest weights, fixed 8's 127 (DepthwiseUnit: 8-bit weights whatever the scheme),
        # on LUT multipliers as the C++ binds them
        largest = largest_weight("fixed", 8)
        product = signed_bits((1 << activation) * largest)
        total = signed_bits((1 << activation) * largest * DEPTHWISE_TAPS)
        parameters = {"TAPS": DEPTHWISE_TAPS, "ACTIVATION_BITS": activation, "WEIGHT_BITS": 8,
                      "PRODUCT_BITS": product, "SUM_BITS": total}
        configs.append(Config("depthwise-a%d" % activation, "depthwise", "ilmpq_depthwise_lane", parameters,
                              "-nodsp", simulate=dict(parameters, LARGEST_WEIGHT=largest, SHIFT_BITS=1)))
    for width, depth in BUFFERS:
        configs.append(Config("buffer-w%d-d%d" % (width, depth), "buffer", "ilmpq_buffer",
                              {"WIDTH": width, "DEPTH": depth}))
    return configs


# --- simulation: the Verilog against the firmware's C++ ---------------------------------------------------------

def simulate(config, work):
    """Builds the C++ harness and the test bench for one configuration and runs them; returns an error or None."""
    directory = os.path.join(work, config.name)
    os.makedirs(directory, exist_ok=True)
    unit = {"row": "UNIT_ROW", "packed": "UNIT_PACKED", "requantizer": "UNIT_REQUANT",
            "depthwise": "UNIT_DEPTHWISE"}[config.unit]
    definitions = ["-D" + unit, "-DCAL_SEED=%d" % (sum(map(ord, config.name)))]
    definitions += ["-DCAL_%s=%d" % (key, value) for key, value in sorted(config.simulate.items())]
    harness = os.path.join(directory, "vectors")
    run(["g++", "-std=c++14", "-O2", "-Wall", "-Wextra", "-Werror", "-I", RUNTIME] + definitions
        + [os.path.join(HERE, "sim", "unit_vectors.cpp"), "-o", harness])
    vectors = os.path.join(directory, "vectors.txt")
    with open(vectors, "w") as out:
        subprocess.run([harness, str(simulated_cycles(config))], stdout=out, check=True)
    bench = os.path.join(directory, "bench")
    unit_index = {"row": 0, "packed": 1, "requantizer": 2, "depthwise": 3}[config.unit]
    parameters = ["-P", "tb_units.UNIT=%d" % unit_index]
    for key, value in sorted(config.parameters.items()):
        parameters += ["-P", "tb_units.%s=%d" % (key, value)]
    run(["iverilog", "-g2005", "-o", bench] + parameters + [os.path.join(HERE, "sim", "tb_units.v")]
        + [os.path.join(HERE, "rtl", f) for f in RTL])
    result = run(["vvp", "-n", bench, "+vectors=" + vectors])
    last = result.strip().splitlines()[-1] if result.strip() else "no output"
    return None if last == "PASS %d" % simulated_cycles(config) else last


# --- synthesis --------------------------------------------------------------------------------------------------

# LUTs a distributed RAM primitive takes (UG474, "Distributed RAM")
LUTRAM = {"RAM32M": 4, "RAM64M": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4, "RAM32X1S": 1, "RAM64X1S": 1,
          "RAM128X1S": 2, "RAM256X1S": 4, "RAM32M16": 8, "RAM64M8": 8}


def yosys_script(config):
    sources = " ".join(os.path.join("rtl", f) for f in SOURCES[config.top])
    parameters = " ".join("-set %s %d" % (key, value) for key, value in sorted(config.parameters.items()))
    options = (" " + config.options) if config.options else ""
    return ("read_verilog %s; chparam %s %s; synth_xilinx -family xc7 -noiopad -flatten -top %s%s; "
            "tee -q -o stat.json stat -json" % (sources, parameters, config.top, config.top, options))


def synthesize(config, work):
    """Synthesizes one configuration; returns its counts: lut lutram ff carry4 dsp ramb18."""
    directory = os.path.join(work, config.name)
    os.makedirs(directory, exist_ok=True)
    shutil.copytree(os.path.join(HERE, "rtl"), os.path.join(directory, "rtl"), dirs_exist_ok=True)
    run(["yosys", "-q", "-p", yosys_script(config)], cwd=directory)
    with open(os.path.join(directory, "stat.json")) as stat:
        cells = json.load(stat)["modules"]
    (module,) = cells.values()
    counts = module.get("num_cells_by_type", {})
    # an INV is a LUT1 in Yosys's netlist; the F7 and F8 multiplexers are slice logic beside the LUTs
    lut = sum(n for cell, n in counts.items() if cell.startswith("LUT") or cell == "INV")
    lutram = sum(n * LUTRAM[cell] for cell, n in counts.items() if cell in LUTRAM)
    ff = sum(n for cell, n in counts.items() if cell.startswith("FD"))
    ramb18 = counts.get("RAMB18E1", 0) + 2 * counts.get("RAMB36E1", 0)
    known = {"BUFG", "CARRY4", "DSP48E1", "MUXF7", "MUXF8", "RAMB18E1", "RAMB36E1"}
    unknown = [cell for cell in counts if cell not in known and cell not in LUTRAM and cell != "INV"
               and not cell.startswith("LUT") and not cell.startswith("FD")]
    if unknown:
        raise RuntimeError("%s: cells the calibration does not count: %s" % (config.name, ", ".join(unknown)))
    return (lut, lutram, ff, counts.get("CARRY4", 0), counts.get("DSP48E1", 0), ramb18)


def run(command, cwd=None):
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(command), result.stdout[-4000:]))
    return result.stdout


# --- the fit ----------------------------------------------------------------------------------------------------

def decimal(value, places=3):
    """A rational as a decimal of `places` places, rounded half away from zero: deterministic text."""
    scaled = Fraction(value) * 10 ** places
    rounded = int(abs(scaled) + Fraction(1, 2)) * (1 if scaled >= 0 else -1)
    return "%s%d.%0*d" % ("-" if rounded < 0 else "", abs(rounded) // 10 ** places, places,
                          abs(rounded) % 10 ** places)


def numbers(values, places=3):
    """Counts as integers where they are whole, else as decimals."""
    return " ".join(str(int(v)) if Fraction(v).denominator == 1 else decimal(v, places) for v in values)


ROW_NAME = re.compile(r"(lut|products|packed)-(fixed|pot|sp2)-(\d+)-a(\d+)-l(\d+)-c(\d+)$")
RESOURCES = (("lut", 0), ("ff", 2))
DATAPATHS = {"lut": "a row on LUTs", "products": "a row on DSP slices, one product a slice",
             "packed": "rows on DSP slices, %d products a slice"}


def fit(measured):
    """The table's curves from the measurements. Per engine row (datapath, scheme, activation width): its LUTs and
    flip-flops at each lane count measured, at one accumulator width, and the cost of an accumulator bit beyond it
    (the difference of two widths at 16 lanes); packed rows as a row's share of the rows a slice takes. Per
    requantizer: its LUTs, flip-flops and DSP slices at each accumulator width measured. The model interpolates
    between the lane counts (and widths) measured."""
    lines = []
    keys = []
    widenings = {resource: [] for resource, _ in RESOURCES}
    for name in measured:
        match = ROW_NAME.match(name)
        if match:
            key = "%s-%s-%s-a%s" % match.group(1, 2, 3, 4)
            if key not in keys:
                keys.append(key)
    for key in keys:
        datapath, kind, bits, activation = re.match(r"(\w+)-(\w+)-(\d+)-a(\d+)$", key).groups()
        rows = packing(int(bits), int(activation))[0] if datapath == "packed" else 1
        points = {}
        for name, counts in measured.items():
            match = ROW_NAME.match(name)
            if match and name.startswith(key + "-"):
                points.setdefault(int(match.group(6)), []).append((int(match.group(5)), counts))
        base = min(points, key=lambda c: (-len(points[c]), c))
        sweep = sorted(points[base])
        lanes = [n for n, _ in sweep]
        (other,) = [c for c in points if c != base]
        (_, wider), = points[other]
        at_fit = dict(sweep)[FIT_LANES]
        for resource, index in RESOURCES:
            widenings[resource].append(Fraction(wider[index] - at_fit[index], (other - base) * rows))
        lines.append("")
        lines.append("# %s, %s %s, %s-bit activations%s: at %s lanes and a %d-bit accumulator" % (
            DATAPATHS[datapath] % rows if "%" in DATAPATHS[datapath] else DATAPATHS[datapath], kind, bits,
            activation, ", per row" if rows > 1 else "", ", ".join(map(str, lanes)), base))
        lines.append("%s.lanes=%s" % (key, " ".join(map(str, lanes))))
        lines.append("%s.accumulator-bits=%d" % (key, base))
        for resource, index in RESOURCES:
            lines.append("%s.%s=%s" % (key, resource, numbers([Fraction(c[index], rows) for _, c in sweep])))
        lines.append("# a lane's share: %s LUT" % ", ".join(
            "%s (%d lanes)" % (decimal(Fraction(c[0], n * rows), 1), n) for n, c in sweep))
        lines.append("%s.dsp=%s" % (key, numbers([c[4] for _, c in sweep])))
    # An accumulator bit costs the same in every row, whatever feeds it: its adder's bit and its register. One
    # difference of two widths moves by a few LUTs with ABC's mapping (one came out negative), so the table takes
    # the mean over every row measured at two widths.
    lines.append("")
    lines.append("# an accumulator bit beyond a row's .accumulator-bits, in every row: the mean of the %d rows' "
                 "differences at %d lanes between two widths %d bits apart" % (
                     len(keys), FIT_LANES, ACCUMULATOR_STEP))
    for resource, _ in RESOURCES:
        values = widenings[resource]
        lines.append("accumulator-bit.%s=%s" % (resource, decimal(sum(values) / len(values))))
        lines.append("# %s: the differences range from %s to %s" % (resource, decimal(min(values)),
                                                                     decimal(max(values))))
    for residual in (0, 1):
        series = sorted((int(re.search(r"c(\d+)$", name).group(1)), counts) for name, counts in measured.items()
                        if name.startswith("requantizer-r%d-" % residual))
        if not series:
            continue
        key = "requantizer%s" % ("-residual" if residual else "")
        lines.append("")
        lines.append("# a requantizer%s, at %s-bit accumulators" % (
            " with a fused add's operand" if residual else "", ", ".join(str(c) for c, _ in series)))
        lines.append("%s.accumulator-bits=%s" % (key, " ".join(str(c) for c, _ in series)))
        for resource, index in RESOURCES + (("dsp", 4),):
            lines.append("%s.%s=%s" % (key, resource, numbers([counts[index] for _, counts in series])))
    depthwise = [(name, counts) for name, counts in measured.items() if name.startswith("depthwise-")]
    if depthwise:
        lines.append("")
        lines.append("# a lane of the depthwise unit: %d LUT multipliers of 8-bit weights and a tree adding them, its line "
                     "buffers and window registers aside" % DEPTHWISE_TAPS)
        for name, counts in depthwise:
            for resource, index in RESOURCES:
                lines.append("%s.%s=%d" % (name, resource, counts[index]))
    return lines


def version():
    return run(["yosys", "-V"]).strip()


def write_table(measured, path):
    header = [
        "# Unit costs of the ILMPQ accelerator on Xilinx 7-series fabric, from synthesis: every unit of",
        "# releng/org.ilmpq.calibration/rtl, simulated against the generated firmware's C++, synthesized by Yosys for",
        "# the configurations measured below and fitted (docs/hardware-model.md, \"Calibration\"). The hardware model",
        "# (UnitCostTable) reads this file. Written by releng/org.ilmpq.calibration/calibrate.sh: do not edit.",
        "yosys=%s" % version(),
        "command=yosys -p 'read_verilog <the unit's modules>; chparam <parameters> <unit>; synth_xilinx -family xc7 "
        "-noiopad -flatten -top <unit> [-nodsp]; stat -json'",
        "# LUTs count LUT1-LUT6 and INV; LUTRAM the LUTs of distributed RAM; RAMB18 a RAMB36E1 as two",
        "",
        "# Vivado's counts per Yosys count: LUTs the geometric mean of the 14 designs chipsalliance/fpga-tool-perf",
        "# synthesizes with both (Yosys 0.10 synth_xilinx and Vivado synthesis, placed by Vivado; results of",
        "# 2021-08/09 in antmicro/fpga-tool-perf-results): 0.77 (picorv32) to 0.96 (vexriscv). Flip-flops within",
        "# about 5 % either way. None of those designs is an arithmetic datapath: beyond them, an assumption.",
        "derating.lut=%s" % DERATING_LUT,
        "derating.ff=%s" % DERATING_FF,
        "",
        "# Curves, in Yosys's counts before derating: per row of an engine, its LUTs and flip-flops at each lane count",
        "# measured (.lanes) and one accumulator width (.accumulator-bits), and per accumulator bit beyond it; per",
        "# requantizer, at each accumulator width measured. The model interpolates linearly between them.",
    ]
    lines = header + fit(measured) + ["", "# Measured: configuration=LUT LUTRAM FF CARRY4 DSP48E1 RAMB18"]
    lines += ["measured.%s=%s" % (name, " ".join(str(n) for n in counts)) for name, counts in measured.items()]
    text = "\n".join(lines) + "\n"
    temporary = path + ".tmp"
    with open(temporary, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def read_measured(path):
    measured = {}
    with open(path) as table:
        for line in table:
            if line.startswith("measured."):
                name, counts = line[len("measured."):].strip().split("=")
                measured[name] = tuple(int(n) for n in counts.split())
    return measured


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refit", action="store_true")
    parser.add_argument("--check", nargs="+", metavar="NAME")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--table", default=TABLE)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    configs = configurations()
    if arguments.list:
        for config in configs:
            print(config.name)
        return 0
    if arguments.refit:
        write_table(read_measured(arguments.table), arguments.table)
        return 0
    if arguments.check:
        by_name = {c.name: c for c in configs}
        unknown = [n for n in arguments.check if n not in by_name]
        if unknown:
            print("calibrate: no configuration named %s (calibrate.sh --list)" % ", ".join(unknown), file=sys.stderr)
            return 2
        configs = [by_name[n] for n in arguments.check]
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="ilmpq-calibration-")
    try:
        with concurrent.futures.ThreadPoolExecutor(arguments.jobs) as pool:
            simulated = [c for c in configs if c.simulate is not None]
            failures = [(c.name, e) for c, e in zip(simulated, pool.map(lambda c: simulate(c, work), simulated)) if e]
            for name, error in failures:
                print("calibrate: %s: the Verilog differs from the firmware's C++: %s" % (name, error),
                      file=sys.stderr)
            if failures:
                return 1
            print("simulated %d units against the firmware's C++, %d to %d random cycles each" % (
                len(simulated), SIMULATED_CYCLES[0], SIMULATED_CYCLES[1]))
            # the largest first, so that two workers end together
            order = sorted(configs, key=lambda c: -c.parameters.get("LANES", 0))
            counts = dict(zip((c.name for c in order), pool.map(lambda c: synthesize(c, work), order)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    measured = {c.name: counts[c.name] for c in configs}
    if arguments.check:
        table = read_measured(arguments.table)
        status = 0
        for name, found in measured.items():
            if table.get(name) != found:
                print("calibrate: %s: Yosys gives %s, the table says %s" % (
                    name, " ".join(map(str, found)), " ".join(map(str, table.get(name, ())))), file=sys.stderr)
                status = 1
            else:
                print("%s: %s as in the table" % (name, " ".join(map(str, found))))
        return status
    write_table(measured, arguments.table)
    print("synthesized %d configurations in %.0f s; wrote %s" % (len(configs), time.monotonic() - started,
                                                                   os.path.relpath(arguments.table)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
