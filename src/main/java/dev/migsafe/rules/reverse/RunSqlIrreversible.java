package dev.migsafe.rules.reverse;

import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;

/**
 * R302: a RunSQL without reverse_sql (or with {@code reverse_sql=None}): Django refuses to unapply
 * it. An empty string, an empty list and {@code RunSQL.noop} (which is "") are a no-op reverse:
 * Django accepts them, so they are reversible.
 */
public final class RunSqlIrreversible extends OperationRule {

    public RunSqlIrreversible() {
        super(RuleInfo.of("R302", "runsql-irreversible", Severity.WARNING)
                .reversibility(Reversibility.NO)
                .summary("RunSQL without `reverse_sql`: the migration cannot be unapplied.")
                .why("""
                        Django only unapplies a RunSQL that says how: without reverse_sql it raises
                        IrreversibleError, so `manage.py migrate app <previous>` during a rollback stops at this
                        migration and leaves it, and everything after it, applied.""")
                .example("""
                        migrations.RunSQL("CREATE INDEX CONCURRENTLY order_created_idx ON shop_order (created)")""")
                .instead("""
                        Write the inverse statement:
                            migrations.RunSQL(
                                "CREATE INDEX CONCURRENTLY order_created_idx ON shop_order (created)",
                                reverse_sql="DROP INDEX CONCURRENTLY order_created_idx",
                            )
                        or, when there is nothing to undo, say so: reverse_sql=migrations.RunSQL.noop""")
                .others("""
                        django-migration-linter warns the same (RUNSQL_REVERSIBLE). strong_migrations asks to
                        wrap `execute` in safety_assured and leaves reversibility to Rails, which raises
                        IrreversibleMigration for an `execute` inside `change`. migsafe treats an empty
                        reverse_sql as the explicit no-op it is in Django."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RunSQL".equals(ctx.type())) {
            return;
        }
        Value reverse = ctx.op().arg(1, "reverse_sql");
        if (reverse != null && !(reverse instanceof Value.None)) {
            return; // SQL, a list of statements, "" or RunSQL.noop: Django can run it backwards
        }
        String what = reverse == null ? "has no reverse_sql" : "has reverse_sql=None";
        ctx.report(this, "RunSQL in " + ctx.app() + "." + ctx.migration().name() + " " + what
                        + ": `manage.py migrate " + ctx.app() + "` back past this migration fails with IrreversibleError",
                "add `reverse_sql=\"...\"` with the statement that undoes " + preview(ctx.op().arg(0, "sql"))
                        + ", or `reverse_sql=migrations.RunSQL.noop` if there is nothing to undo");
    }

    private static String preview(Value sql) {
        if (sql instanceof Value.Str s) {
            String one = s.value().replaceAll("\\s+", " ").trim();
            return one.isEmpty() ? "it" : "`" + (one.length() > 60 ? one.substring(0, 57) + "..." : one) + "`";
        }
        return "it";
    }
}
