package dev.migsafe.rules.compat;

import dev.migsafe.rules.OldCode;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Rule;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;

/**
 * C104 where a column name comes back: the analysed range dropped (or renamed away) a column old
 * code knows, and this operation gives that name to another column (RemoveField plan, then
 * RenameField plan_tmp -> plan, then AlterField plan to a ForeignKey: plan_id again). Old code
 * compares only the schema before and after: it still reads and writes that column with the type
 * it had, so the change is a type change of that column, reported here, once.
 */
final class ColumnReuse {

    private ColumnReuse() {}

    static void check(Rule rule, OperationContext ctx, Field brought) {
        OldCode.Column old = ctx.droppedOldColumn(brought.column());
        if (old == null) {
            return;
        }
        ColumnType was = old.type();
        ColumnType now = ctx.columnType(brought);
        String what = "RenameField".equals(ctx.type())
                ? "RenameField " + ColumnFacts.target(ctx, ctx.str(1, "old_name")) + " -> " + brought.name()
                : ctx.type() + " " + ColumnFacts.target(ctx, ctx.str(1, "name"));
        String column = ctx.table() + "." + brought.column();
        String fix = "keep " + column + " as it is until no running code uses it: give the new column another name, "
                + "write both, backfill, switch reads, and drop the old column in a later release (or run this in a "
                + "maintenance window)";
        if (was == null || now == null) {
            if (ColumnFacts.sameTypeArguments(old.field(), brought) && sameTarget(old.field(), brought)) {
                return;
            }
            ctx.reportUnknown(rule, what + " gives " + column + ", a column old code knows ("
                    + old.field().simpleClass() + " " + old.field().name() + ") and the analysed range dropped earlier, to "
                    + brought.simpleClass() + " " + brought.name() + ": the column type " + (was == null ? "old code "
                    + "knows" : "it gets now") + " is unknown, so whether old code's values still fit cannot be told",
                    fix);
            return;
        }
        if (was.equals(now) || was.widensTo(now)) {
            return; // old code's values fit, and it reads what it wrote
        }
        ctx.report(rule, what + " gives " + column + " the type " + now.sql() + ", but old code knows " + column
                + " as " + was.sql() + " (" + old.field().simpleClass() + " " + old.field().name() + ", dropped earlier "
                + "in the analysed range): during the rollout it keeps reading and writing " + was.sql() + " values there,"
                + " which the new column rejects or misreads", fix);
    }

    private static boolean sameTarget(Field a, Field b) {
        return java.util.Objects.equals(a.target(), b.target());
    }
}
