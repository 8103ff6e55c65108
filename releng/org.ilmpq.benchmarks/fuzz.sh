#!/usr/bin/env bash
# The long run of the spec fuzzer (tests/org.ilmpq.dsl.tests SpecFuzzTest, which CI runs with 10,000 mutants):
# a million mutants of every example by default, each checked as a file and as an editor's document. Usage, from
# the repository root, after an install of the plug-ins (./mvnw -B install -DskipTests):
#   releng/org.ilmpq.benchmarks/fuzz.sh [MUTANTS] [SEED]
# A failure names the seed and the mutant's index and prints the mutant; the count and the time are printed as
# "fuzz: ..." lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mutants="${1:-1000000}"
seed="${2:-20261206}"
log="$(mktemp)"
cd "$root"
status=0
./mvnw -B -o verify -pl tests/org.ilmpq.dsl.tests -Dtest=SpecFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dilmpq.fuzz.mutants="$mutants" -Dilmpq.fuzz.seed="$seed" >"$log" 2>&1 || status=$?
grep -E '^fuzz' "$log" || true
grep -m1 -A40 -E '^mutant [0-9]+ of' "$log" || true
[ "$status" -eq 0 ] && echo "fuzz: no failure (log: $log)" || echo "fuzz: FAILED (log: $log)"
exit "$status"
