package dev.migsafe.rules.locks;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;

/**
 * L207: AlterField null=True -> False on an existing column: SET NOT NULL scans the table under
 * ACCESS EXCLUSIVE. PostgreSQL only: MySQL rebuilds the table in place with writes going on, and
 * SQLite's rebuild is L206.
 */
public final class SetNotNullScan extends OperationRule {

    public SetNotNullScan() {
        super(RuleInfo.of("L207", "set-not-null-scan", Severity.WARNING)
                .summary("SET NOT NULL on an existing column scans the table under ACCESS EXCLUSIVE.")
                .why("""
                        ALTER COLUMN ... SET NOT NULL makes PostgreSQL read every row to prove there is no NULL, and
                        it holds ACCESS EXCLUSIVE while it reads: no queries on the table at all. From PostgreSQL 12
                        on, a valid CHECK (column IS NOT NULL) constraint is accepted as that proof and the scan is
                        skipped; the CHECK can be added NOT VALID and validated without blocking.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="note",
                            field=models.TextField(),  # was TextField(null=True)
                        )""")
                .instead("""
                        PostgreSQL >= 12, over three migrations:
                            AddConstraintNotValid("order", models.CheckConstraint(
                                condition=models.Q(note__isnull=False), name="order_note_not_null"))
                            ValidateConstraint("order", "order_note_not_null")   # reads and writes continue
                            AlterField("order", "note", models.TextField())     # no scan: the CHECK proves it
                            RemoveConstraint("order", "order_note_not_null")""")
                .others("""
                        strong_migrations flags change_column_null on PostgreSQL with the same CHECK-constraint recipe;
                        django-migration-linter flags NOT NULL as backward incompatible (NOT_NULL) but says nothing
                        of the scan. The compatibility side (old code writing NULL) is C105."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.database() != Database.POSTGRESQL || !"AlterField".equals(ctx.type())) {
            return;
        }
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null || c.before == null || !c.dbChange()) {
            return;
        }
        Boolean set = c.setNotNull();
        if (set == null) {
            ctx.reportUnknown(this, "AlterField " + c.target() + ": `null` is not a literal, so whether it sets NOT NULL "
                    + "(a scan of " + ctx.table() + " under ACCESS EXCLUSIVE) cannot be told", fix(ctx, c));
        } else if (set) {
            ctx.report(this, "AlterField " + c.target() + " sets NOT NULL on " + ctx.table() + "." + c.after.column()
                    + ": PostgreSQL scans every row for NULLs while holding ACCESS EXCLUSIVE, so reads and writes wait",
                    fix(ctx, c));
        }
    }

    private static String fix(OperationContext ctx, FieldChange c) {
        String field = c.after.name();
        String name = (ctx.modelName() + "_" + field + "_not_null").toLowerCase(java.util.Locale.ROOT);
        Boolean newKeyword = ctx.settings().djangoAtLeast(5, 1);
        String kw = Boolean.FALSE.equals(newKeyword) ? "check" : "condition";
        String m = Ddl.modelArg(ctx);
        if (!ctx.settings().postgresql().atLeast(12)) {
            // Before 12 SET NOT NULL scans whatever CHECK exists: only a short window helps.
            return "on " + ctx.settings().postgresql().describe() + " SET NOT NULL always scans the table: run it when "
                    + ctx.table() + " is quiet, with a lock_timeout; from PostgreSQL 12 a validated CHECK (" + field
                    + " IS NOT NULL) lets it skip the scan";
        }
        return "on PostgreSQL >= 12, prove it first without blocking: (1) AddConstraintNotValid(" + m
                + ", models.CheckConstraint(" + kw + "=models.Q(" + field + "__isnull=False), name=\"" + name + "\")); "
                + "(2) in a later migration ValidateConstraint(" + m + ", \"" + name + "\"); (3) then this AlterField "
                + "(PostgreSQL skips the scan) and RemoveConstraint(" + m + ", \"" + name + "\")"
                + (newKeyword == null ? " (CheckConstraint takes check= before Django 5.1)" : "");
    }
}
