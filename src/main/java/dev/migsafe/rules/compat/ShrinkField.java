package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;

/** C113: max_length, max_digits or decimal_places lowered on an existing column. */
public final class ShrinkField extends OperationRule {

    public ShrinkField() {
        super(RuleInfo.classifying("C113", "shrink-field", DeployClass.TWO_PHASE)
                .summary("AlterField that lowers max_length or precision: old code writes values that no longer fit.")
                .why("""
                        Old code still running during the rollout validates against the old, larger limit and
                        keeps writing values the new column rejects ("value too long"). The migration itself
                        fails if an existing row holds a longer value, and PostgreSQL checks every row under an
                        ACCESS EXCLUSIVE lock while it runs.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="reference",
                            field=models.CharField(max_length=20),  # was max_length=100
                        )""")
                .instead("""
                        Two releases. (1) Make the code respect the new limit without changing the column: a
                        validator is Python-only, e.g. validators=[MaxLengthValidator(20)] with max_length=100
                        kept; shorten the existing values that are too long. (2) Lower max_length.""")
                .others("""
                        django-migration-linter reports the change as an ALTER COLUMN ... TYPE (ALTER_COLUMN),
                        like any other type change; strong_migrations treats it as an unsafe change_column.
                        migsafe separates it from a type change (C104): the column keeps its type, so two
                        releases make it safe, and no expand-and-contract through a new column is needed. A column
                        added earlier in the analysed range is not flagged: old code writes nothing into it."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Field[] sides = ColumnFacts.alteredColumn(ctx);
        if (sides == null) {
            return;
        }
        Field before = sides[0];
        Field after = sides[1];
        if (before.isRelation() || after.isRelation() || before.primaryKey() || after.primaryKey()) {
            return; // a to-one column follows its target's key (C118); primary keys: C114
        }
        if (ctx.isNewColumn(before.name())) {
            return; // added in the analysed range: old code writes nothing into it
        }
        ColumnType from = ctx.columnType(before);
        ColumnType to = ctx.columnType(after);
        if (from == null || to == null || !from.shrinksTo(to)) {
            return; // unknown types: C104 asks for the review
        }
        String target = ColumnFacts.target(ctx, after.name());
        ctx.report(this, "AlterField " + target + " shrinks " + ctx.table() + "." + after.column() + " from "
                + from.sql() + " to " + to.sql() + ": old code still writes values that fit " + from.sql()
                + " but not " + to.sql() + ", and the migration fails if an existing row holds one",
                "release 1: keep the column as " + from.sql() + ", enforce the new limit in Python ("
                        + limit(after, to) + ") and shorten existing values that do not fit; release 2: AlterField "
                        + after.name() + " to " + arguments(to));
    }

    private static String arguments(ColumnType to) {
        if (to.length() != null) {
            return "max_length=" + to.length();
        }
        if (to.precision() != null) {
            return "max_digits=" + to.precision() + (to.scale() == null ? "" : ", decimal_places=" + to.scale());
        }
        return to.sql();
    }

    private static String limit(Field f, ColumnType to) {
        if (to.length() != null) {
            return "validators=[MaxLengthValidator(" + to.length() + ")]";
        }
        if (to.precision() != null) {
            return "validators=[DecimalValidator(" + to.precision() + ", " + (to.scale() == null ? 0 : to.scale()) + ")]";
        }
        return "a validator on " + f.name();
    }
}
