package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OldCodeUses;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;

/** C116: AlterField removing db_default from a NOT NULL column old code's INSERTs rely on. */
public final class DropDbDefault extends OperationRule {

    public DropDbDefault() {
        super(RuleInfo.classifying("C116", "drop-db-default", DeployClass.TWO_PHASE)
                .summary("AlterField that removes db_default from a NOT NULL column.")
                .why("""
                        When a field with db_default gets no value, Django's INSERT asks the database for its
                        default. Old code still running during the rollout keeps doing that; once the
                        database default is dropped, those INSERTs put NULL into a NOT NULL column and fail.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="status",
                            field=models.CharField(max_length=10),  # was db_default="new"
                        )""")
                .instead("""
                        Two releases. (1) Make the code send the value itself: add default="new" next to
                        db_default (a Python-side change, no DDL), so every INSERT names the column. (2) Remove
                        db_default (a post-deploy migration, if your deploys run those after the rollout).""")
                .others("""
                        django-migration-linter only looks for a NOT NULL column whose default ends up dropped in
                        the SQL of one migration; strong_migrations has no matching check (Rails always sends every
                        column). migsafe reads db_default from the replayed field: dropping it is only a problem
                        when the column stays NOT NULL, and changing it to another value is compatible.
                        When the deployed model (the range's base side) gives the field a Python default and no
                        db_default, old code's INSERTs always send a value: the drop is satisfied (info)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Field[] sides = ColumnFacts.alteredColumn(ctx);
        if (sides == null) {
            return;
        }
        Field before = sides[0];
        Field after = sides[1];
        if (!before.hasDbDefault() || after.hasDbDefault() || before.kw("db_default") instanceof Value.None) {
            return;
        }
        Boolean nullable = after.nullable();
        if (Boolean.TRUE.equals(nullable)) {
            return; // old code's INSERTs now write NULL, which the column accepts
        }
        String target = ColumnFacts.target(ctx, after.name());
        String value = Py.source(before.kw("db_default"));
        if (nullable == null) {
            ctx.reportUnknown(this, "AlterField " + target + " drops db_default=" + value + " and null="
                    + Py.source(after.kw("null")) + " is not a literal, so whether old code's INSERTs still work cannot be told",
                    fix(after, before.kw("db_default")));
            return;
        }
        OldCodeUses.defaultSent(ctx, this, ctx.targetModel() == null ? null : ctx.targetModel().name(), ctx.table(),
                after.name(), after.column(), "AlterField " + target + " drops db_default=" + value
                        + " from NOT NULL column " + ctx.table() + "." + after.column() + ": old code's INSERTs that "
                        + "give no value rely on the database to fill it and fail during the rollout",
                fix(after, before.kw("db_default")));
    }

    private static String fix(Field f, Value dbDefault) {
        String pyDefault = Py.isConstant(dbDefault) ? Py.source(dbDefault) : "<value>";
        return "release 1: keep db_default and add default=" + pyDefault + " to " + f.name()
                + " so that new code always sends the value; release 2: remove db_default";
    }
}
