#!/usr/bin/env bash
# Times migsafe launchers as a pre-commit hook and as an audit run them, on a real project
# (docs/benchmarking.md): `analyze --staged` with one new staged migration and `analyze --all`,
# each with an empty parse cache (first run) and a warm one; median (min-max) of RUNS runs.
#
#   bench/precommit.sh [--scenarios LIST] REPO [RUNS [CMD...]]
#
# REPO is any clone of the project, bare or not; it is never modified: every CMD works in a
# throw-away `git clone --shared` of its own under a temp dir (each build has its own cache
# fingerprint, so they must not share a parse cache). Each CMD is a migsafe launcher (default:
# this checkout's bin/migsafe); with several, runs are interleaved (A, B, A, B, ...) so that both
# meet the same machine load. Wall-clock and CPU time (user + system) are both reported. LIST is a comma-separated subset of staged-warm, staged-cold,
# all-warm, all-cold (default: all four). Needs bash 5, git.
set -euo pipefail

usage() {
    echo "usage: bench/precommit.sh [--scenarios staged-warm,staged-cold,all-warm,all-cold] REPO [RUNS [CMD...]]" >&2
    exit 2
}

scenarios=staged-warm,staged-cold,all-warm,all-cold
while [ $# -gt 0 ]; do
    case "$1" in
        --scenarios) [ $# -ge 2 ] || usage; scenarios=$2; shift 2 ;;
        --scenarios=*) scenarios=${1#--scenarios=}; shift ;;
        -h | --help) usage ;;
        -*) echo "unknown option: $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || usage
for s in ${scenarios//,/ }; do
    case "$s" in
        staged-warm | staged-cold | all-warm | all-cold) ;;
        *) echo "unknown scenario: $s" >&2; usage ;;
    esac
done
source_name=$1
source_repo=$(cd "$1" && pwd)
runs=${2:-7}
here=$(cd "$(dirname "$0")" && pwd)
shift $(($# >= 2 ? 2 : 1))
commands=()
for cmd in "$@"; do
    [ -x "$cmd" ] || { echo "not an executable launcher: $cmd" >&2; exit 2; }
    commands+=("$(cd "$(dirname "$cmd")" && pwd)/$(basename "$cmd")")
done
[ ${#commands[@]} -gt 0 ] || commands=("$here/../bin/migsafe")
labels=(A B C D E F G H)
[ ${#commands[@]} -le ${#labels[@]} ] || { echo "at most ${#labels[@]} commands" >&2; exit 2; }

# A JVM per run, never a resident process (bench/daemon.sh measures that).
export MIGSAFE_DAEMON=off

work=$(mktemp -d "${TMPDIR:-/tmp}/migsafe-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One clone per command, each with the same new migration staged: a new leaf in the app with the
# most migrations, as a developer would commit it.
. "$here/stage-migration.sh"
setup_clone() {
    git clone -q --shared "$source_repo" "$1"
    stage_bench_migration "$1"
}

repos=()
git_dirs=()
for i in "${!commands[@]}"; do
    repos[i]="$work/repo-$i"
    setup_clone "${repos[i]}"
    git_dirs[i]=$(git -C "${repos[i]}" rev-parse --absolute-git-dir)
done

# One timed run of command I with `analyze ARGS` in its clone; appends to FILE the wall-clock
# milliseconds and the CPU milliseconds (user + system, the launcher's and the JVM's: on a busy
# machine the steadier of the two), as bash's `time` measures them.
timed() {
    local i=$1 file=$2 TIMEFORMAT='%3R %3U %3S'
    shift 2
    { time (cd "${repos[i]}" && "${commands[i]}" analyze "$@" > /dev/null 2>&1 || true) ; } 2>&1 \
        | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' >> "$file"
}

# COLUMN 1: wall clock, 2: CPU.
summary() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:int((a[NR/2]+a[NR/2+1])/2); printf "%d (%d-%d)", m, a[1], a[NR]}'; }

migrations=$(git -C "${repos[0]}" ls-files -- '*/migrations/*.py' | grep -vc '/__init__\.py$' || true)
echo "project: $source_name at $(git -C "${repos[0]}" rev-parse --short HEAD), $migrations migration files; new: $new"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
echo "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
for i in "${!commands[@]}"; do
    rev=$(git -C "$(dirname "${commands[i]}")" describe --always --dirty 2>/dev/null || echo "?")
    echo "${labels[i]}: ${commands[i]} ($rev)"
    # The first run of a jar and Java writes the class-data archive (and fills the parse cache):
    # not part of what is measured.
    timed "$i" /dev/null --staged
done

# Every scenario: RUNS rounds, each running every command once, in turn.
for scenario in ${scenarios//,/ }; do
    case "$scenario" in
        staged-*) args=(--staged) ;;
        all-*) args=(--all) ;;
    esac
    for _ in $(seq "$runs"); do
        for i in "${!commands[@]}"; do
            if [ "${scenario#*-}" = cold ]; then
                rm -rf "${git_dirs[i]}/migsafe"
            fi
            timed "$i" "$work/$scenario-$i" "${args[@]}"
        done
    done
done

for column in 1 2; do
    echo
    [ "$column" = 1 ] && title="wall ms, median (min-max)" || title="CPU ms (user+sys)"
    printf '%-26s' "$title"
    for i in "${!commands[@]}"; do printf ' | %-16s' "${labels[i]}"; done
    echo
    for scenario in ${scenarios//,/ }; do
        case "$scenario" in
            staged-warm) name="--staged, warm cache" ;;
            staged-cold) name="--staged, empty cache" ;;
            all-warm) name="--all, warm cache" ;;
            all-cold) name="--all, empty cache" ;;
        esac
        printf '%-26s' "$name"
        for i in "${!commands[@]}"; do printf ' | %-16s' "$(summary "$work/$scenario-$i" "$column")"; done
        echo
    done
done
echo "runs: $runs each; load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
