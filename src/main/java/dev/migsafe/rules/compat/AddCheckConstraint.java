package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import java.util.Set;

/**
 * C110: a CHECK constraint added to a table old code writes to (AddConstraint, or contrib.postgres'
 * AddConstraintNotValid, which skips existing rows but checks every new write at once). Also the
 * rule that says "review" for AddConstraint of a constraint it cannot read.
 */
public final class AddCheckConstraint extends OperationRule {

    /** Constraint classes other rules judge (C106 unique, C111 exclusion). */
    private static final Set<String> OTHER_KINDS = Set.of("UniqueConstraint", "ExclusionConstraint");

    public AddCheckConstraint() {
        super(RuleInfo.classifying("C110", "add-check-constraint", DeployClass.TWO_PHASE)
                .summary("AddConstraint(CheckConstraint) or AddConstraintNotValid on an existing table.")
                .why("""
                        The constraint applies to every INSERT and UPDATE from the moment the migration commits.
                        Old code, still running during the rollout, was written without it and may write rows
                        that violate it: those writes now fail. And unless it is added NOT VALID, existing rows
                        that violate it make the migration itself fail. Rolling the code back does not remove
                        the constraint.""")
                .example("""
                        migrations.AddConstraint(
                            model_name="order",
                            constraint=models.CheckConstraint(
                                condition=models.Q(total__gte=0), name="order_total_gte_0"),
                        )""")
                .instead("""
                        Two releases:
                        (1) make the code comply (validate in forms/save, stop writing violating values) and fix
                            the existing rows (a RunPython/UPDATE backfill);
                        (2) add the constraint. On PostgreSQL, to avoid scanning the table under lock (L205):
                            from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint
                            AddConstraintNotValid("order", models.CheckConstraint(...))  # release 2
                            ValidateConstraint("order", "order_total_gte_0")             # a later migration""")
                .others("""
                        django-migration-linter does not check CHECK constraints (only unique ones).
                        strong_migrations flags add_check_constraint for its lock and suggests
                        `validate: false` plus a later validation. migsafe judges the lock separately (L205) and
                        flags what breaks old code: NOT VALID spares existing rows, but new writes are checked
                        at once, so it is two-phase either way.
                        Left out: a CHECK that only restates the field's choices (`Q(status__in=[...])`, alone
                        or ORed with `status__isnull=True` or `status=...`, whose values include every choice
                        the field had for old code, in this migration's state and before any AlterField of it
                        in the same migration). Old code was written against those choices: Django's forms,
                        the admin, full_clean() and DRF's ModelSerializer reject other values, so old code has
                        no supported path to write a row the CHECK rejects. The ORM does not enforce choices on
                        save(), update() or bulk_create(), so code that computes a value outside them could
                        still fail; but such a value is one the model itself declares invalid, a bug in old
                        code rather than a contract the migration changes, and a tool that calls every
                        choices-restating CHECK two-phase is ignored. NULL needs no isnull term: a CHECK whose
                        expression is NULL passes. Existing rows outside the choices still make the migration
                        fail, and the scan under ACCESS EXCLUSIVE is still reported (L205)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        String type = ctx.type();
        boolean notValid = "AddConstraintNotValid".equals(type);
        if (!"AddConstraint".equals(type) && !notValid) {
            return;
        }
        Value constraint = ctx.op().arg(1, "constraint");
        String target = ctx.modelLabel();
        if (constraint instanceof Value.Call c) {
            String kind = c.simpleName();
            if (OTHER_KINDS.contains(kind)) {
                return;
            }
            if (!kind.equals("CheckConstraint") && !notValid) {
                ctx.reportUnknown(this, "AddConstraint on " + target + " adds a " + kind + ", a constraint class "
                        + "migsafe does not know: whether old code's writes still pass it cannot be told",
                        "check what the constraint enforces; if old code may violate it, release 1 makes the code "
                                + "comply and fixes the rows, release 2 adds it");
                return;
            }
            String name = c.arg(-1, "name") instanceof Value.Str s ? s.value() : null;
            Value condition = c.kwargs().containsKey("condition") ? c.kwargs().get("condition") : c.kwargs().get("check");
            if (ChoicesCheck.restatesChoices(ctx, condition)) {
                return; // old code writes only the field's choices (or NULL), which the CHECK allows: L205 still warns of the scan
            }
            String what = (name == null ? "a CHECK constraint" : "CHECK constraint " + name)
                    + (condition == null ? "" : " (" + Py.source(condition) + ")");
            String rows = notValid ? "NOT VALID spares the existing rows, but every new write is checked at once"
                    : "the migration also fails if existing rows violate it";
            ctx.report(this, (notValid ? "AddConstraintNotValid" : "AddConstraint") + " adds " + what + " to "
                    + ctx.table() + ": old code, still running during the rollout, may write rows that violate it "
                    + "and its writes fail; " + rows, fix(ctx, name, notValid));
            return;
        }
        if (notValid) {
            // AddConstraintNotValid only takes check constraints.
            ctx.report(this, "AddConstraintNotValid adds a CHECK constraint to " + ctx.table() + ": old code may "
                    + "write rows that violate it; NOT VALID spares existing rows, not new writes", fix(ctx, null, true));
            return;
        }
        ctx.reportUnknown(this, "AddConstraint on " + target + ": the constraint (" + (constraint == null ? "missing"
                : Py.source(constraint)) + ") is not a literal call, so what it enforces cannot be told",
                "write the constraint inline (models.CheckConstraint(...), models.UniqueConstraint(...))");
    }

    private static String fix(OperationContext ctx, String name, boolean notValid) {
        String model = ctx.modelName() == null ? "<model>" : ctx.modelName();
        String n = name == null ? "<name>" : name;
        return "release 1: make the code write only rows that satisfy it (validation in the model/forms) and fix the "
                + "existing rows of " + ctx.table() + "; release 2: add it"
                + (notValid ? "" : ", on PostgreSQL as AddConstraintNotValid(\"" + model + "\", ...)")
                + " and ValidateConstraint(\"" + model + "\", \"" + n + "\") in a later migration";
    }
}
