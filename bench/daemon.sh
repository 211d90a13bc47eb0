#!/usr/bin/env bash
# Times `analyze --staged` with one new staged migration on a real project, through the resident
# process (docs/decisions/0008-resident-process.md) and without it, interleaved so that the
# machine's load falls on all alike; median of RUNS runs each.
#
#   bench/daemon.sh REPO [RUNS]
#
# REPO is any clone of the project, bare or not; it is never modified: the benchmark works in a
# throw-away `git clone --shared` of it under a temp dir, with a socket folder of its own.
# Needs bash, git, GNU date, python3.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: bench/daemon.sh REPO [RUNS]" >&2
    exit 2
fi
source_repo=$(cd "$1" && pwd)
runs=${2:-11}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
migsafe="$root/bin/migsafe"
client="$root/packaging/python/django_migsafe/daemon_client.py"
jar="$root/target/migsafe.jar"
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)

work=$(mktemp -d "${TMPDIR:-/tmp}/migsafe-bench.XXXXXX")
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
repo="$work/repo"
cleanup() {
    (cd "$repo" && "$migsafe" daemon stop > /dev/null 2>&1) || true
    rm -rf "$work"
}
trap cleanup EXIT
git clone -q --shared "$source_repo" "$repo"

. "$here/stage-migration.sh"
stage_bench_migration "$repo"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:int((a[NR/2]+a[NR/2+1])/2); printf "%d ms (min %d, max %d, n=%d)", m, a[1], a[NR], NR}'; }

# One timed run of a command in the clone; prints milliseconds.
timed() {
    local start end
    start=$(now_ms)
    (cd "$repo" && "$@" > /dev/null 2>&1) || true
    end=$(now_ms)
    echo $((end - start))
}

echo "project: $1 at $(git -C "$repo" rev-parse --short HEAD); new: $new"
echo "machine: $(nproc) cores; java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1); python: $python"
# Warm: the class-data archive and the parse cache are written by the first direct runs.
MIGSAFE_DAEMON=off timed "$migsafe" analyze --staged > /dev/null
MIGSAFE_DAEMON=off timed "$migsafe" analyze --staged > /dev/null
(cd "$repo" && "$migsafe" daemon start > /dev/null)
if ! cmp -s <(cd "$repo" && "$python" -S "$client" "$jar" analyze --staged 2>&1) \
        <(cd "$repo" && MIGSAFE_DAEMON=off "$migsafe" analyze --staged 2>&1); then
    echo "the resident process's answer differs from a direct run's" >&2
    exit 1
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
launcher=() client_only=() direct=()
for _ in $(seq "$runs"); do
    launcher+=("$(timed "$migsafe" analyze --staged)")
    client_only+=("$(timed "$python" -S "$client" "$jar" analyze --staged)")
    direct+=("$(MIGSAFE_DAEMON=off timed "$migsafe" analyze --staged)")
done
echo "analyze --staged, bin/migsafe with the resident process: $(printf '%s\n' "${launcher[@]}" | median)"
echo "analyze --staged, python3 -S daemon_client.py:          $(printf '%s\n' "${client_only[@]}" | median)"
echo "analyze --staged, bin/migsafe without it (a JVM a run):  $(printf '%s\n' "${direct[@]}" | median)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
(cd "$repo" && "$migsafe" daemon status) | sed 's/^/  /'
