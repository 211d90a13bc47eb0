#!/usr/bin/env bash
# Times bin/migsafe as a pre-commit hook and as an audit runs it, on a real project
# (docs/benchmarking.md): `analyze --staged` with one new staged migration and `analyze --all`,
# each with an empty parse cache (first run) and a warm one, median of RUNS runs.
#
#   bench/precommit.sh REPO [RUNS]
#
# REPO is any clone of the project, bare or not; it is never modified: the benchmark works in a
# throw-away `git clone --shared` of it under a temp dir. Needs bash, git, GNU date.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: bench/precommit.sh REPO [RUNS]" >&2
    exit 2
fi
source_repo=$(cd "$1" && pwd)
runs=${2:-7}
here=$(cd "$(dirname "$0")" && pwd)
migsafe="$here/../bin/migsafe"

work=$(mktemp -d "${TMPDIR:-/tmp}/migsafe-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
git clone -q --shared "$source_repo" "$repo"
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir)

# The app with the most migrations gets one more: a new leaf, as a developer would commit it.
folder=$(git -C "$repo" ls-files -- '*/migrations/[0-9]*.py' | sed 's#/[^/]*$##' | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
leaf=$(git -C "$repo" ls-files -- "$folder/[0-9]*.py" | sed 's#.*/##; s#\.py$##' | sort | tail -1)
number=$(printf '%04d' $((10#${leaf%%_*} + 1)))
app=$(basename "$(dirname "$folder")")
new="$folder/${number}_migsafe_bench.py"
cat > "$repo/$new" <<EOF
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("$app", "$leaf"),
    ]

    operations = [
        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
    ]
EOF
git -C "$repo" add "$new"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One timed run of `migsafe analyze ARGS` in the clone; prints milliseconds.
timed() {
    local start end
    start=$(now_ms)
    (cd "$repo" && "$migsafe" analyze "$@" > /dev/null 2>&1) || true
    end=$(now_ms)
    echo $((end - start))
}

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:int((a[NR/2]+a[NR/2+1])/2); printf "%d ms (min %d, max %d, n=%d)", m, a[1], a[NR], NR}'; }

# Runs `analyze ARGS` RUNS times, emptying the parse cache before each run when told to.
measure() {
    local cold=$1
    shift
    for _ in $(seq "$runs"); do
        if [ "$cold" = cold ]; then
            rm -rf "$git_dir/migsafe"
        fi
        timed "$@"
    done | median
}

migrations=$(git -C "$repo" ls-files -- '*/migrations/*.py' | grep -vc '/__init__\.py$' || true)
echo "project: $1 at $(git -C "$repo" rev-parse --short HEAD), $migrations migration files; new: $new"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
echo "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
# The first run of a jar and Java writes the class-data archive: not part of what is measured.
timed --staged > /dev/null
echo "analyze --staged, empty parse cache: $(measure cold --staged)"
echo "analyze --staged, warm parse cache:  $(measure warm --staged)"
echo "analyze --all,    empty parse cache: $(measure cold --all)"
echo "analyze --all,    warm parse cache:  $(measure warm --all)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
