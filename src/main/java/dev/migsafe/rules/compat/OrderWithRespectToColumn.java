package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ModelState;

/**
 * C112: AlterOrderWithRespectTo that switches ordering on (adds the NOT NULL `_order` column,
 * whose default Django drops) or off (drops a column old code selects).
 */
public final class OrderWithRespectToColumn extends OperationRule {

    public OrderWithRespectToColumn() {
        super(RuleInfo.classifying("C112", "alter-order-with-respect-to", DeployClass.TWO_PHASE)
                .summary("AlterOrderWithRespectTo that adds or drops the `_order` column.")
                .why("""
                        Setting `order_with_respect_to` adds an integer `_order` column, NOT NULL: Django fills
                        existing rows with 0 and then drops the database default, so old code's INSERTs, which
                        leave `_order` out, fail during the rollout. Removing the option drops `_order`, a
                        column old code selects on every query of the model. Changing the option from one field
                        to another touches no column and is compatible.""")
                .example("""
                        migrations.AlterOrderWithRespectTo(
                            name="answer",
                            order_with_respect_to="question",
                        )""")
                .instead("""
                        Adding: keep a database default so old code's INSERTs work, and change the state only:
                            migrations.SeparateDatabaseAndState(
                                database_operations=[migrations.RunSQL(
                                    'ALTER TABLE "quiz_answer" ADD COLUMN "_order" integer DEFAULT 0 NOT NULL',
                                    reverse_sql='ALTER TABLE "quiz_answer" DROP COLUMN "_order"')],
                                state_operations=[migrations.AlterOrderWithRespectTo("answer", "question")])
                        Removing, two releases: (1) state only, with a default so new code's INSERTs work:
                            SeparateDatabaseAndState(
                                database_operations=[RunSQL('ALTER TABLE "quiz_answer" ALTER COLUMN "_order" SET DEFAULT 0')],
                                state_operations=[AlterOrderWithRespectTo("answer", None)])
                        (2) RunSQL('ALTER TABLE "quiz_answer" DROP COLUMN "_order"') in a later release.""")
                .others("""
                        Neither django-migration-linter nor strong_migrations know this option as such:
                        django-migration-linter sees the column's SQL (NOT NULL column whose default is dropped,
                        or DROP COLUMN). migsafe compares the option before and after, so moving the ordering to
                        another field, which changes no column, is compatible."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AlterOrderWithRespectTo".equals(ctx.type())) {
            return;
        }
        ModelState m = ctx.targetModel();
        Value after = ctx.op().arg(1, "order_with_respect_to");
        if (m == null) {
            ctx.reportUnknown(this, "AlterOrderWithRespectTo " + ctx.modelLabel() + ": the replayed migrations do not "
                    + "define this model, so whether the `_order` column is added or dropped cannot be told",
                    "check whether the model orders with respect to a field today");
            return;
        }
        Value before = m.options().get("order_with_respect_to");
        if (before == null && !m.complete()) {
            ctx.reportUnknown(this, "AlterOrderWithRespectTo " + m.label() + ": the model's options could not all be "
                    + "read, so whether the `_order` column is added or dropped cannot be told",
                    "check whether the model orders with respect to a field today");
            return;
        }
        Boolean had = isSet(before);
        Boolean has = after == null ? null : isSet(after);
        if (had == null || has == null) {
            Value unknown = had == null ? before : after;
            ctx.reportUnknown(this, "AlterOrderWithRespectTo " + m.label() + ": order_with_respect_to="
                    + Py.source(unknown) + " is not a literal, so whether the `_order` column is added or dropped "
                    + "cannot be told", "write the field name as a string literal, or None");
            return;
        }
        String table = m.table();
        String name = m.name().toLowerCase(java.util.Locale.ROOT);
        if (has && !had) {
            ctx.report(this, "AlterOrderWithRespectTo " + m.label() + " adds the NOT NULL column " + table
                    + "._order and drops its default after filling existing rows: old code's INSERTs leave it out "
                    + "and fail during the rollout", "keep a database default and change the state only: "
                    + "SeparateDatabaseAndState(database_operations=[RunSQL('ALTER TABLE \"" + table
                    + "\" ADD COLUMN \"_order\" integer DEFAULT 0 NOT NULL', reverse_sql='ALTER TABLE \"" + table
                    + "\" DROP COLUMN \"_order\"')], state_operations=[AlterOrderWithRespectTo(\"" + name + "\", "
                    + (after instanceof Value.Str s ? "\"" + s.value() + "\"" : Py.source(after)) + ")])");
        } else if (had && !has) {
            ctx.report(this, "AlterOrderWithRespectTo " + m.label() + " drops column " + table + "._order, which old "
                    + "code selects on every query of the model during the rollout", "release 1: "
                    + "SeparateDatabaseAndState(database_operations=[RunSQL('ALTER TABLE \"" + table + "\" ALTER COLUMN "
                    + "\"_order\" SET DEFAULT 0')], state_operations=[AlterOrderWithRespectTo(\"" + name + "\", None)]); "
                    + "release 2: RunSQL('ALTER TABLE \"" + table + "\" DROP COLUMN \"_order\"')");
        }
    }

    /** Whether an order_with_respect_to value names a field: TRUE, FALSE (None/empty), or null (not a literal). */
    private static Boolean isSet(Value v) {
        if (v == null || v instanceof Value.None) {
            return false;
        }
        if (v instanceof Value.Str s) {
            return !s.value().isEmpty();
        }
        return null;
    }
}
