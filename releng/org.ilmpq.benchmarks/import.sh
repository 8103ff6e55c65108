#!/usr/bin/env bash
# Benchmark (not a test): `ilmpq import` of torchvision's ResNet-50, whole process, cold (a new JVM each run), and
# with --weights (the float checkpoint too). Exports the model first with Debian's torch (random weights; nothing is
# downloaded). Prints each run's wall time and the median. Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/import.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-7}"
jar="$root/releng/org.ilmpq.cli.standalone/target/ilmpq.jar"
[ -f "$jar" ] || "$root/ilmpq" --version >/dev/null   # ./ilmpq builds the jar on first use
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" <<'PY' 2>/dev/null
import sys, torch, torchvision
torch.manual_seed(0)
torch.onnx.export(torchvision.models.resnet50().eval(), torch.randn(1, 3, 224, 224), sys.argv[1] + "/resnet50.onnx",
                  opset_version=13, training=torch.onnx.TrainingMode.PRESERVE)
PY
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
measure() {
    local label="$1"; shift
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N)
        "$java" -jar "$jar" import "$work/resnet50.onnx" -o "$work/resnet50.ilmpq" "$@" 2>/dev/null
        end=$(date +%s.%N)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '{ t[NR] = $1 } END {
        printf "%s: median %.2f s of %d runs (min %.2f, max %.2f)\n", label, t[int((NR + 1) / 2)], NR, t[1], t[NR] }'
}
measure "import resnet50.onnx (102 MB)"
measure "import resnet50.onnx --weights" --weights "$work/weights"
