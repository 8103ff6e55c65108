#!/usr/bin/env bash
# Benchmark of the generated HLS projects: for each example, the time `ilmpq generate` takes (seeded weights and
# the Java reference's golden data included), the time the project's Makefile takes to compile the C simulation,
# the median wall time of the simulation of one image over RUNS runs, and the lines of generated C++.
# Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/hls-csim.sh [--runs N] [EXAMPLE...]     (default: digits-cnn resnet18-xc7z020)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=3
if [ "${1:-}" = "--runs" ]; then
    runs="$2"
    shift 2
fi
examples=("$@")
[ "${#examples[@]}" -gt 0 ] || examples=(digits-cnn resnet18-xc7z020)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-20s %12s %12s %16s %14s %16s\n' example "generate s" "compile s" "C-sim s (median)" "runs" "lines of C++"
for example in "${examples[@]}"; do
    out="$work/$example"
    start="$(seconds)"
    "$root/ilmpq" generate "$root/examples/$example.ilmpq" -o "$out" >/dev/null 2>&1
    generated="$(seconds)"
    project="$(dirname "$(ls "$out"/hls/*/Makefile)")"
    top="$(basename "$project")"
    make -s -C "$project" "build/tb_$top" >/dev/null
    built="$(seconds)"
    times=()
    for _ in $(seq "$runs"); do
        before="$(seconds)"
        (cd "$project" && "./build/tb_$top" firmware/weights >/dev/null) || { echo "hls-csim: $example FAILED" >&2; exit 1; }
        times+=("$(elapsed "$before" "$(seconds)")")
    done
    lines="$(cat "$project"/firmware/*.h "$project"/firmware/*.cpp "$project"/tb/* | wc -l)"
    printf '%-20s %12s %12s %16s %14s %16s\n' "$example" "$(elapsed "$start" "$generated")" \
        "$(elapsed "$generated" "$built")" "$(printf '%s\n' "${times[@]}" | median)" "$runs" "$lines"
done
