package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;

/** C111: an ExclusionConstraint added to an existing table: no online way to add it. */
public final class AddExclusionConstraint extends OperationRule {

    public AddExclusionConstraint() {
        super(RuleInfo.classifying("C111", "add-exclusion-constraint", DeployClass.DOWNTIME)
                .summary("AddConstraint(ExclusionConstraint) on an existing table.")
                .why("""
                        PostgreSQL builds the exclusion constraint's index and checks every existing row while
                        it holds an ACCESS EXCLUSIVE lock on the table: no reads, no writes until it is done.
                        Unlike CHECK and foreign key constraints it cannot be added NOT VALID, and unlike a
                        unique constraint it cannot be attached to an index built concurrently. Old code may
                        also write conflicting rows, which then fail (and existing conflicts fail the
                        migration).""")
                .example("""
                        from django.contrib.postgres.constraints import ExclusionConstraint
                        from django.contrib.postgres.fields import RangeOperators

                        migrations.AddConstraint(
                            model_name="booking",
                            constraint=ExclusionConstraint(
                                name="exclude_overlapping_bookings",
                                expressions=[("room", RangeOperators.EQUAL), ("span", RangeOperators.OVERLAPS)],
                            ),
                        )""")
                .instead("""
                        Plan a short write stop: release 1 makes the code avoid conflicting rows and cleans up
                        existing ones; then add the constraint when the table can be locked for the whole
                        build (a maintenance window, with `SET lock_timeout` so it gives up instead of queueing
                        every query behind it). For a large table, consider enforcing the rule in the
                        application (select_for_update on the parent row) instead.""")
                .others("""
                        strong_migrations flags adding an exclusion constraint and knows no safe alternative.
                        django-migration-linter has no check for it. migsafe calls it downtime on any existing
                        table, and leaves tables created in the analysed range alone."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AddConstraint".equals(ctx.type()) && !"AddConstraintNotValid".equals(ctx.type())) {
            return;
        }
        if (!(ctx.op().arg(1, "constraint") instanceof Value.Call c) || !c.simpleName().equals("ExclusionConstraint")) {
            return;
        }
        String name = c.arg(-1, "name") instanceof Value.Str s ? s.value() : null;
        ctx.report(this, "AddConstraint adds exclusion constraint " + (name == null ? "" : name + " ") + "to "
                + ctx.table() + " (" + ctx.modelLabel() + "): PostgreSQL builds its index and checks every row under "
                + "an ACCESS EXCLUSIVE lock, with no NOT VALID or concurrent form, and old code may write "
                + "conflicting rows", "release 1: make the code avoid conflicting rows and clean up existing ones; "
                + "then add the constraint in a maintenance window with SET lock_timeout, or enforce the rule in "
                + "the application instead");
    }
}
