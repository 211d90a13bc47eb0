#!/usr/bin/env bash
# How analysis time and memory grow with the operations of one migration (docs/benchmarking.md):
# for each N, a throw-away repository whose second migration holds N operations (AddField,
# AlterField, RemoveField, AddIndex and a RunSQL now and then, over 20 models, half of them on one
# model), analysed as a reviewer would (`analyze HEAD~1...HEAD --format json`, empty cache).
# Prints N, wall seconds, CPU seconds, peak memory, and seconds per 10,000 operations: the last
# column stays flat when the cost is linear.
#
#   bench/large-migration.sh [N...]          (default: 10000 20000 40000 80000)
#
# Needs bash, git, python3 and GNU time (/usr/bin/time); CMD defaults to this checkout's bin/migsafe.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cmd=${MIGSAFE:-$here/bin/migsafe}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 20000 40000 80000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%8s %8s %8s %10s %12s\n' operations wall_s cpu_s peak_MB s_per_10k
for n in "${sizes[@]}"; do
    repo=$work/r$n
    mkdir -p "$repo/shop/migrations"
    python3 - "$repo/shop/migrations" "$n" <<'PY'
import sys
folder, n = sys.argv[1], int(sys.argv[2])
models = [f"model{m}" for m in range(20)]
with open(f"{folder}/0001_initial.py", "w") as f:
    f.write("from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
            "    initial = True\n    dependencies = []\n    operations = [\n")
    for m in models:
        f.write(f"        migrations.CreateModel(\"{m}\", [(\"id\", models.AutoField(primary_key=True)),"
                f" (\"name\", models.CharField(max_length=100))]),\n")
    f.write("    ]\n")
with open(f"{folder}/0002_many.py", "w") as f:
    f.write("from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
            "    dependencies = [(\"shop\", \"0001_initial\")]\n    operations = [\n")
    for i in range(n):
        m = models[0] if i % 2 == 0 else models[i % 20]
        kind = i % 10
        if kind < 6:
            f.write(f"        migrations.AddField(\"{m}\", \"f{i}\", models.IntegerField(default=0)),\n")
        elif kind == 6:
            f.write(f"        migrations.AlterField(\"{m}\", \"f{i - 2}\", models.BigIntegerField(default=0)),\n")
        elif kind == 7:
            f.write(f"        migrations.AddIndex(\"{m}\", models.Index(fields=[\"f{i - 3}\"], name=\"i{i}\")),\n")
        elif kind == 8:
            f.write(f"        migrations.RemoveField(\"{m}\", \"f{i - 4}\"),\n")
        else:
            f.write(f"        migrations.RunSQL(\"UPDATE shop_{m} SET name = ''\", migrations.RunSQL.noop),\n" if i % 100 == 9
                    else f"        migrations.AlterModelOptions(\"{m}\", {{\"ordering\": [\"id\"]}}),\n")
    f.write("    ]\n")
PY
    : > "$repo/shop/migrations/__init__.py"
    git -C "$repo" init -q
    git -C "$repo" add shop/migrations/0001_initial.py shop/migrations/__init__.py
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm base
    git -C "$repo" add shop/migrations/0002_many.py
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm many
    out=$( { cd "$repo" && /usr/bin/time -f '%e %U %S %M' "$cmd" analyze HEAD~1...HEAD --format json --fail-on never > /dev/null; } 2>&1 | tail -1)
    read -r wall user sys kb <<< "$out"
    awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v kb="$kb" \
        'BEGIN { printf "%8d %8.2f %8.2f %10.0f %12.2f\n", n, w, u + s, kb / 1024, w / n * 10000 }'
    rm -rf "$repo"
done
