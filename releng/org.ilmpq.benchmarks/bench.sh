#!/usr/bin/env bash
# Parse + validate benchmark (see ParseValidateBenchmark). Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/bench.sh [--runs N] [--warmup N] [--layers N]
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
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g -cp "$bench:$cli" org.ilmpq.benchmarks.ParseValidateBenchmark --repository "$root" "$@"
