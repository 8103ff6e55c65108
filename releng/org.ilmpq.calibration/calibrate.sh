#!/usr/bin/env bash
# Calibrates the hardware model's unit costs by synthesis: simulates the datapath units of rtl/ against the
# generated firmware's C++ (Icarus Verilog), synthesizes them with Yosys for Xilinx 7-series and writes the fitted
# cost table the model reads (docs/hardware-model.md, "Calibration"). Options: calibration.py --help.
# Needs Debian's yosys, iverilog, g++ and python3.
set -euo pipefail
for tool in yosys iverilog vvp g++ python3; do
    command -v "$tool" > /dev/null || { echo "calibrate: $tool is missing (apt-get install yosys iverilog g++ python3)" >&2; exit 2; }
done
exec python3 -u "$(dirname "$0")/calibration.py" "$@"
