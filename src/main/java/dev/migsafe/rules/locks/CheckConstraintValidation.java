package dev.migsafe.rules.locks;

import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;

/**
 * L205: AddConstraint(CheckConstraint) on an existing table checks every row under ACCESS
 * EXCLUSIVE (PostgreSQL), copies the table (MySQL) or rebuilds it (SQLite).
 * AddConstraintNotValid is the PostgreSQL way out and is not flagged.
 */
public final class CheckConstraintValidation extends OperationRule {

    public CheckConstraintValidation() {
        super(RuleInfo.of("L205", "check-validation", Severity.WARNING)
                .summary("AddConstraint(CheckConstraint) on an existing table scans it under ACCESS EXCLUSIVE.")
                .why("""
                        ALTER TABLE ... ADD CONSTRAINT ... CHECK makes PostgreSQL verify every existing row before
                        it commits, and it holds ACCESS EXCLUSIVE on the table the whole time: no reads, no writes.
                        Added NOT VALID, the constraint applies to new writes at once and the scan moves to
                        VALIDATE CONSTRAINT, which only takes SHARE UPDATE EXCLUSIVE. (MySQL copies the table to add
                        a CHECK; SQLite rebuilds it.)""")
                .example("""
                        migrations.AddConstraint(
                            model_name="order",
                            constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0"),
                        )""")
                .instead("""
                        from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint

                        # this migration
                        AddConstraintNotValid(
                            model_name="order",
                            constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0"),
                        )
                        # a later migration, once violating rows are fixed
                        ValidateConstraint(model_name="order", name="order_total_gte_0")""")
                .others("""
                        strong_migrations flags add_check_constraint on PostgreSQL and suggests validate: false plus
                        validate_check_constraint; django-migration-linter does not look at check constraints. The
                        compatibility side (old code writing violating rows) is C110."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AddConstraint".equals(ctx.type())) {
            return;
        }
        Value constraint = ctx.op().arg(1, "constraint");
        if (Ddl.constraintKind(constraint) != Ddl.ConstraintKind.CHECK) {
            return;
        }
        String name = Ddl.nameOf(constraint);
        String what = "AddConstraint " + (name == null ? "" : name + " ") + "adds a CHECK constraint to " + ctx.table()
                + " (" + ctx.modelLabel() + "): ";
        switch (ctx.database()) {
            case MYSQL -> ctx.report(this, what + "MySQL adds a CHECK by copying " + ctx.table()
                            + " (ALGORITHM=COPY), and writes wait for the whole copy",
                    "on a big table, run it in a quiet window (MySQL has no NOT VALID), or enforce the rule in code");
            case SQLITE -> ctx.report(this, what + "SQLite cannot add a constraint to a table, so Django rebuilds "
                            + ctx.table() + " (copy of every row) holding the database's write lock",
                    "expect the rebuild: run it when nothing writes to the database");
            default -> ctx.report(this, what + "PostgreSQL checks every row while holding ACCESS EXCLUSIVE on "
                    + ctx.table() + ", so reads and writes wait for the scan", fix(ctx, constraint, name));
        }
    }

    private static String fix(OperationContext ctx, Value constraint, String name) {
        String fix = "AddConstraintNotValid(model_name=" + Ddl.modelArg(ctx) + ", constraint=" + Py.source(constraint)
                + ") here, then ValidateConstraint(model_name=" + Ddl.modelArg(ctx) + ", name=\""
                + (name == null ? "<name>" : name) + "\") in a later migration, once no row violates it (both from "
                + "django.contrib.postgres.operations; VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes continue)";
        if (Boolean.FALSE.equals(ctx.settings().djangoAtLeast(4, 0))) {
            fix += "; these operations need Django >= 4.0: before that, RunSQL 'ALTER TABLE \"" + ctx.table()
                    + "\" ADD CONSTRAINT ... CHECK (...) NOT VALID' and 'VALIDATE CONSTRAINT' in the same two steps";
        }
        return fix;
    }
}
