#!/usr/bin/env bash
# Benchmark: training throughput of the generated PyTorch script on the CPU, in one process and in two
# (train --nproc 2: torch.distributed with gloo, one thread each, as torchrun would set OMP_NUM_THREADS), for the
# digits CNN (examples/digits-cnn.ilmpq: 5 epochs of 1,437 images) and the Fashion-MNIST CNN
# (examples/fashion-cnn.ilmpq: 1 epoch of 20,000 images); global batch 128, seed 0, the spec's split.
# Images per second are those of the run's "images_per_second" (training images over the time of the epochs,
# checkpoints included, data loading and the final test left out); medians of --runs runs, runs interleaved.
# Needs Debian's python3-torch, python3-sklearn and dataset-fashion-mnist.
# Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/training-throughput.sh [--runs N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
    esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/ilmpq" generate "$root/examples/digits-cnn.ilmpq" "$root/examples/fashion-cnn.ilmpq" -o "$work" \
    >/dev/null 2>&1 || { echo "training-throughput: ilmpq generate failed" >&2; exit 2; }
echo "$(nproc) cores; torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); $runs runs each"
for run in $(seq 1 "$runs"); do
    for network in digits_cnn fashion_cnn; do
        case "$network" in
            digits_cnn) data=digits.py; options=(--epochs 5) ;;
            fashion_cnn) data=fashion_mnist.py; options=(--epochs 1 --train-subset 20000) ;;
        esac
        for processes in 1 2; do
            (cd "$work/quant"
             /usr/bin/python3 "$network.py" train --data "$root/examples/data/$data:datasets" --device cpu \
                 --batch-size 128 --seed 0 --nproc "$processes" --log-every 1000 "${options[@]}" \
                 --checkpoint "$work/$network-$processes.pt" \
                 --result "$work/$network-$processes-$run.json" >/dev/null)
        done
    done
done
/usr/bin/python3 - "$work" "$runs" <<'PYTHON'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
print("%-12s %9s %12s %12s %10s" % ("network", "processes", "images/s", "accuracy %", "vs one"))
for network in ("digits_cnn", "fashion_cnn"):
    one = None
    for processes in (1, 2):
        results = [json.load(open("%s/%s-%d-%d.json" % (work, network, processes, run))) for run in range(1, runs + 1)]
        speed = statistics.median(r["images_per_second"] for r in results)
        accuracy = statistics.median(r["accuracy"] for r in results)
        one = one or speed
        print("%-12s %9d %12.0f %12.2f %9.2fx" % (network, processes, speed, accuracy, speed / one))
PYTHON
