#!/usr/bin/env bash
# Benchmark (a main, not a test): the workbench's Design view after a keystroke in examples/resnet50-xc7z045.ilmpq,
# with the view's own classes and no display (DesignViewBenchmark): validation, the view's inputs, the design search
# (target: inputs + design under 300 ms median) and the optimiser.
# Usage, from the repository root:
#   releng/org.ilmpq.benchmarks/design-view.sh [--runs N] [--warmup N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/releng/org.ilmpq.benchmarks/target"
if [ ! -f "$target/ilmpq-benchmarks.jar" ] || [ ! -d "$target/revalidation-lib" ]; then
    echo "design-view: building the benchmark, the language server jar and the workbench plug-in..." >&2
    log="$(mktemp)"
    (cd "$root" && ./mvnw -B -DskipTests -pl releng/org.ilmpq.benchmarks -am install) >"$log" 2>&1 \
        || { echo "design-view: the build failed; its log is $log" >&2; exit 2; }
    rm -f "$log"
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -Xmx1g -cp "$target/ilmpq-benchmarks.jar:$target/revalidation-lib/*" \
    org.ilmpq.benchmarks.DesignViewBenchmark --repository "$root" "$@"
