#!/usr/bin/env bash
# Benchmarks (mains, not tests): parse + validate (ParseValidateBenchmark), then the hardware model's search and
# reports (HardwareBenchmark), then specs at scale through the command line (ScaleBenchmark). Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/bench.sh [--runs N] [--warmup N] [--layers N]   (options of the first)
# The heap is capped at 1 GiB, the target for a 10,000-layer spec: a run that needs more fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/releng/org.ilmpq.benchmarks/target/ilmpq-benchmarks.jar"
cli="$root/releng/org.ilmpq.cli.standalone/target/ilmpq.jar"
if [ ! -f "$bench" ] || [ ! -f "$cli" ]; then
    echo "bench: building the benchmark and the command-line jar..." >&2
    log="$(mktemp)"
    (cd "$root" && ./mvnw -B -DskipTests -pl releng/org.ilmpq.benchmarks -am install) >"$log" 2>&1 \
        || { echo "bench: the build failed; its log is $log" >&2; exit 2; }
    rm -f "$log"
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -Xmx1g -cp "$bench:$cli" org.ilmpq.benchmarks.ParseValidateBenchmark --repository "$root" "$@"
"$java" -Xmx1g -cp "$bench:$cli" org.ilmpq.benchmarks.HardwareBenchmark --repository "$root"
"$java" -Xmx1g -cp "$bench:$cli" org.ilmpq.benchmarks.ScaleBenchmark
