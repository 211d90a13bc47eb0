package dev.migsafe.rules.locks;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line saying what an AlterField does in the database, for the operation's reason when no
 * finding gives one. It reads the same {@link FieldChange} the lock descriptions read, so a reason
 * never says "only Python" for an AlterField whose locks list DDL.
 */
public final class AlterFieldEffect {

    private AlterFieldEffect() {}

    /** What the AlterField does to its column; null when the operation is no AlterField. */
    public static String of(OperationContext ctx) {
        if (!"AlterField".equals(ctx.type())) {
            return null;
        }
        FieldChange c = FieldChange.of(ctx);
        String target = c.target();
        if (c.after == null) {
            return "changes " + target + " (the field is not a call migsafe can read)";
        }
        if (c.before == null) {
            return "changes " + target + ": the replayed state lacks the field before it, so what the database does "
                    + "cannot be told";
        }
        if (c.after.isManyToMany() || c.before.isManyToMany()) {
            return c.after.isManyToMany() && c.before.isManyToMany()
                    ? "changes the many-to-many field " + target + ": no column of " + ctx.table() + " changes"
                    : "turns " + target + " into or out of a many-to-many field";
        }
        if (!c.dbChange()) {
            return "changes only what Django keeps in Python for " + target + ": no DDL";
        }
        List<String> parts = changes(ctx, c);
        if (parts.isEmpty() && retargetOnly(c.before, c.after)) {
            ModelState to = ctx.state().model(c.after.target());
            return "points " + target + " at " + (to != null ? to.label() : c.after.target()) + " without a foreign key constraint and with the same "
                    + "column type: no DDL";
        }
        if (parts.isEmpty()) {
            return "changes " + target + " in the database (" + ctx.table() + "." + c.after.column() + ")";
        }
        return "changes " + target + " in the database: " + String.join(", ", parts);
    }

    /**
     * Only the relation's target changes (same class, same type arguments): the column keeps its
     * type, so the database sees at most the foreign key constraint move (said on its own).
     */
    private static boolean retargetOnly(Field before, Field after) {
        return before.isToOne() && after.isToOne() && before.fieldClass().equals(after.fieldClass())
                && !Objects.equals(before.target(), after.target());
    }

    private static List<String> changes(OperationContext ctx, FieldChange c) {
        Field before = c.before;
        Field after = c.after;
        String col = ctx.table() + "." + after.column();
        List<String> out = new ArrayList<>();
        if (!Objects.equals(before.column(), after.column())) {
            out.add("renames column " + before.column() + " to " + after.column());
        }
        ColumnType was = c.typeBefore();
        ColumnType is = c.typeAfter();
        switch (c.typeChange()) {
            case WIDENING -> out.add("widens " + col + " from " + was.sql() + " to " + is.sql() + " (no rewrite)");
            case REWRITE -> out.add("changes the type of " + col + " from " + was.sql() + " to " + is.sql());
            case UNKNOWN -> out.add("may change the type of " + col + " (the column type of "
                    + (was == null ? before.simpleClass() : after.simpleClass()) + " is unknown)");
            case NONE -> {
                if (!src(before, "db_collation").equals(src(after, "db_collation"))) {
                    out.add("changes the collation of " + col);
                } else if (c.typeRelevant() && !retargetOnly(before, after)) {
                    boolean sameName = before.simpleClass().equals(after.simpleClass());
                    String what = before.fieldClass().equals(after.fieldClass()) ? "changes the type arguments of " + col
                            : "changes the field class of " + col + " from " + (sameName ? before.fieldClass() : before.simpleClass())
                                    + " to " + (sameName ? after.fieldClass() : after.simpleClass());
                    out.add(what + (was != null ? "; its column type " + was.sql() + " stays" : ""));
                }
            }
        }
        if (Boolean.TRUE.equals(c.setNotNull())) {
            out.add("sets " + col + " NOT NULL");
        } else if (Boolean.TRUE.equals(FieldChange.gained(FieldChange.notNull(after), FieldChange.notNull(before)))) {
            out.add("drops NOT NULL on " + col);
        }
        if (!src(before, "db_default").equals(src(after, "db_default"))) {
            out.add(after.has("db_default") ? (before.has("db_default") ? "changes" : "sets") + " the database default of "
                    + col + " to " + Py.source(after.kw("db_default")) : "drops the database default of " + col);
        }
        if (Boolean.TRUE.equals(c.uniqueAdded())) {
            out.add("adds a unique constraint on " + col);
        }
        if (Boolean.TRUE.equals(c.uniqueDropped())) {
            out.add("drops the unique constraint on " + col);
        }
        if (Boolean.TRUE.equals(c.indexAdded())) {
            out.add("adds an index on " + col);
        }
        if (Boolean.TRUE.equals(c.indexDropped())) {
            out.add("drops the index on " + col);
        }
        if (Boolean.TRUE.equals(c.foreignKeyAdded())) {
            out.add("adds a foreign key from " + col + " to " + c.targetTable());
        } else if (Boolean.TRUE.equals(FieldChange.gained(FieldChange.foreignKey(after), FieldChange.foreignKey(before)))) {
            out.add("drops the foreign key of " + col);
        }
        if (!src(before, "db_comment").equals(src(after, "db_comment"))) {
            out.add("changes the comment of " + col);
        }
        if (!src(before, "db_tablespace").equals(src(after, "db_tablespace"))) {
            out.add("moves the index of " + col + " to another tablespace");
        }
        if (before.primaryKey() != after.primaryKey()) {
            out.add(after.primaryKey() ? "makes " + col + " the primary key" : "drops the primary key on " + col);
        }
        return out;
    }

    private static String src(Field f, String kw) {
        Value v = f.kw(kw);
        return v == null ? "" : Py.source(v);
    }
}
