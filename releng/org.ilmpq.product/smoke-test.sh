#!/bin/sh
# Starts the materialised ILMPQ Workbench once, as a user would (ilmpq-workbench SPEC), and checks that it works:
# the ILMPQ plug-in starts, the spec named on the command line reaches the workspace, the builder checks it and
# generates its files, and nothing is logged as an error (a green build is not enough: a bundle missing from the
# product fails only at run time). Run by the build (releng/org.ilmpq.product/pom.xml, phase integration-test)
# and by hand:
#
#   releng/org.ilmpq.product/smoke-test.sh [PRODUCT_DIR]
#
# Needs a display: $DISPLAY (the build runs under xvfb-run, see README.md). Exits 0 when the workbench passes.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
product=${1:-$here/target/products/org.ilmpq.workbench/linux/gtk/x86_64}
timeout=${ILMPQ_SMOKE_TIMEOUT:-180}

if [ ! -x "$product/ilmpq-workbench" ]; then
    echo "smoke-test: no product in $product (build it: ./mvnw -B verify)" >&2
    exit 2
fi
if [ -z "${DISPLAY:-}" ]; then
    echo "smoke-test: no display: run it under xvfb-run (Debian's xvfb)" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ilmpq-smoke.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        sleep 1
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

mkdir -p "$tmp/specs"
cp "$here/../../examples/digits-cnn.ilmpq" "$tmp/specs/smoke.ilmpq"
ILMPQ_WORKSPACE="$tmp/workspace" "$product/ilmpq-workbench" "$tmp/specs/smoke.ilmpq" >"$tmp/stdout" 2>&1 &
pid=$!

# the builder's output for the spec: ilmpq-gen/<linked folder>/smoke/quant/digits_cnn.py in the project ilmpq-specs
generated="$tmp/workspace/ilmpq-specs/ilmpq-gen/specs/smoke/quant/digits_cnn.py"
waited=0
while [ ! -f "$generated" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "smoke-test: the workbench ended early; its output:" >&2
        cat "$tmp/stdout" >&2
        exit 1
    fi
    if [ "$waited" -ge "$timeout" ]; then
        echo "smoke-test: after $timeout s the builder had not generated $generated; the workbench's output:" >&2
        cat "$tmp/stdout" >&2
        [ -f "$tmp/workspace/.metadata/.log" ] && cat "$tmp/workspace/.metadata/.log" >&2
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
sleep 3 # let the editor open (its errors would be logged)

log="$tmp/workspace/.metadata/.log"
if [ -f "$log" ] && grep -q '^!ENTRY .* 4 ' "$log"; then
    echo "smoke-test: the workbench logged errors:" >&2
    cat "$log" >&2
    exit 1
fi
echo "smoke-test: the ILMPQ Workbench started, checked and generated the spec named on its command line in $waited s, with no error logged"
