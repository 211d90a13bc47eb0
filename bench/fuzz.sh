#!/usr/bin/env bash
# The fuzz harness's full run (docs/fuzzing.md): MUTANTS mutated fixture migrations (default
# 6000) of SEED (default 1) through `migsafe parse` and `migsafe analyze`, in one JVM. Prints the
# summary; failing mutants, with how to replay each, go to target/fuzz-failures/seed-SEED/.
#
#   bench/fuzz.sh [MUTANTS [SEED]]
#
# Extra Maven/system properties can follow (e.g. -Dfuzz.batch=20 -Dfuzz.parseSeconds=60).
# Needs Maven and the project's dependencies (it runs offline, like the other bench scripts).
set -euo pipefail

mutants=${1:-6000}
seed=${2:-1}
shift $(( $# < 2 ? $# : 2 ))
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
status=0
mvn -o -B -q test -Dtest=FuzzTest \
    -Dfuzz.mutants="$mutants" -Dfuzz.seed="$seed" "$@" || status=$?
summary="target/fuzz-failures/summary-seed-$seed.txt"
if [ -f "$summary" ]; then
    echo
    cat "$summary"
fi
exit $status
