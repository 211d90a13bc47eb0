# Sourced by the bench scripts: stage_bench_migration REPO clones nothing; it adds and stages one
# new migration in REPO, a new leaf in the app with the most migrations (a RunSQL that depends on
# that app's latest), as a developer would commit it, and sets $new to its path.
stage_bench_migration() {
    local repo=$1 folder leaf number app
    folder=$(git -C "$repo" ls-files -- '*/migrations/[0-9]*.py' | sed 's#/[^/]*$##' | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
    leaf=$(git -C "$repo" ls-files -- "$folder/[0-9]*.py" | sed 's#.*/##; s#\.py$##' | sort | tail -1)
    number=$(printf '%04d' $((10#${leaf%%_*} + 1)))
    app=$(basename "$(dirname "$folder")")
    new="$folder/${number}_migsafe_bench.py"
    cat > "$repo/$new" <<PY
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("$app", "$leaf"),
    ]

    operations = [
        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
    ]
PY
    git -C "$repo" add "$new"
}
