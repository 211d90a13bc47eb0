package dev.migsafe.rules.locks;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import java.util.Objects;
import java.util.Set;

/**
 * What an AddField or AlterField does to its column, from the replayed field before it and the
 * field it writes: the type change, and the indexes, unique and foreign key constraints and NOT
 * NULL it adds or drops. Flags are TRUE/FALSE, or null when a non-literal argument hides them.
 */
final class FieldChange {

    enum TypeChange { NONE, WIDENING, REWRITE, UNKNOWN }

    /** Keyword arguments that decide the column type. */
    private static final Set<String> TYPE_KWARGS = Set.of("max_length", "max_digits", "decimal_places", "base_field",
            "size", "db_collation", "to_field", "expression", "output_field", "db_persist", "srid", "dimensions",
            "geography");

    /** Other keyword arguments the database keeps (Django's non_db_attrs and Python defaults are the rest). */
    private static final Set<String> DB_KWARGS = Set.of("null", "unique", "db_index", "db_default", "db_column",
            "db_comment", "db_constraint", "primary_key", "db_tablespace", "db_table");

    final OperationContext ctx;
    /** The field before the operation: null for AddField, or when the state does not know it. */
    final Field before;
    /** The field the operation writes (null when the operation writes none it could read). */
    final Field after;

    private FieldChange(OperationContext ctx, Field before, Field after) {
        this.ctx = ctx;
        this.before = before;
        this.after = after;
    }

    static FieldChange of(OperationContext ctx) {
        return new FieldChange(ctx, "AlterField".equals(ctx.type()) ? ctx.oldField() : null, ctx.newField());
    }

    boolean adding() {
        return "AddField".equals(ctx.type());
    }

    /** "shop.Order.note" */
    String target() {
        String name = after != null ? after.name() : ctx.str(1, "name");
        return ctx.modelLabel() + "." + name;
    }

    /** AlterField: the database keeps something that changes (type, NULL, defaults, indexes, constraints, column). */
    boolean dbChange() {
        if (typeRelevant()) {
            return true;
        }
        for (String kw : DB_KWARGS) {
            if (!norm(before, kw).equals(norm(after, kw))) {
                return true;
            }
        }
        return false;
    }

    /** AlterField: only db_column changes (a plain column rename). */
    boolean onlyColumnRenamed() {
        if (typeRelevant()) {
            return false;
        }
        for (String kw : DB_KWARGS) {
            if (!kw.equals("db_column") && !norm(before, kw).equals(norm(after, kw))) {
                return false;
            }
        }
        return !norm(before, "db_column").equals(norm(after, "db_column"));
    }

    /** AlterField: the changes other than the field's own index are none (the index is all that changes). */
    boolean onlyIndexChanges() {
        return !changesOtherThan("db_index");
    }

    /** AlterField: the type, or a database-side keyword argument other than these, changes. */
    boolean changesOtherThan(String... keywords) {
        if (typeRelevant()) {
            return true;
        }
        Set<String> skip = Set.of(keywords);
        for (String kw : DB_KWARGS) {
            if (!skip.contains(kw) && !norm(before, kw).equals(norm(after, kw))) {
                return true;
            }
        }
        return false;
    }

    /** AlterField: the class, the relation's target or an argument that decides the column type changes. */
    boolean typeRelevant() {
        if (!before.fieldClass().equals(after.fieldClass()) || !Objects.equals(before.target(), after.target())) {
            return true;
        }
        for (String kw : TYPE_KWARGS) {
            if (!norm(before, kw).equals(norm(after, kw))) {
                return true;
            }
        }
        return false;
    }

    /** A keyword argument as source, with Django's default when absent, so that absent and explicit defaults compare equal. */
    private static String norm(Field f, String kw) {
        Value v = f.kw(kw);
        if (v != null) {
            return Py.source(v);
        }
        return switch (kw) {
            case "null", "unique", "primary_key" -> "False";
            case "db_index" -> f.isToOne() ? "True" : "False";
            case "db_constraint" -> "True";
            default -> "<absent>";
        };
    }

    /** AlterField: how the column type changes on the configured database. */
    TypeChange typeChange() {
        if (!typeRelevant()) {
            return TypeChange.NONE;
        }
        ColumnType a = ctx.columnType(before);
        ColumnType b = ctx.columnType(after);
        if (a == null || b == null) {
            return TypeChange.UNKNOWN;
        }
        if (a.equals(b)) {
            return TypeChange.NONE;
        }
        return a.widensTo(b) ? TypeChange.WIDENING : TypeChange.REWRITE;
    }

    ColumnType typeBefore() {
        return ctx.columnType(before);
    }

    ColumnType typeAfter() {
        return ctx.columnType(after);
    }

    // ---- flags of one field ------------------------------------------------------------------

    /** Django builds a plain (non-unique) index for the field: db_index=True, or a to-one relation not unique. */
    static Boolean plainIndex(Field f) {
        if (f == null || !f.hasColumn()) {
            return false;
        }
        Boolean unique = f.unique();
        if (Boolean.TRUE.equals(unique)) {
            return false;
        }
        Boolean indexed = f.indexed();
        return unique == null || indexed == null ? null : indexed;
    }

    /** A UNIQUE constraint on the column (unique=True or a OneToOneField; not the primary key). */
    static Boolean unique(Field f) {
        if (f == null || !f.hasColumn() || f.primaryKey()) {
            return false;
        }
        return f.unique();
    }

    /** A FOREIGN KEY constraint: a to-one relation whose db_constraint is not False. */
    static Boolean foreignKey(Field f) {
        if (f == null || !f.isToOne() || f.simpleClass().equals("ForeignObject")) {
            return false;
        }
        return f.bool("db_constraint", true);
    }

    static Boolean notNull(Field f) {
        if (f == null || !f.hasColumn()) {
            return false;
        }
        Boolean nullable = f.nullable();
        return nullable == null ? null : !nullable;
    }

    /** TRUE when a flag goes from false to true, FALSE when it does not, null when unknown. */
    static Boolean gained(Boolean before, Boolean after) {
        if (Boolean.FALSE.equals(after) || Boolean.TRUE.equals(before)) {
            return false;
        }
        return before == null || after == null ? null : true;
    }

    // ---- what this operation adds or drops ---------------------------------------------------

    Boolean indexAdded() {
        return gained(plainIndex(before), plainIndex(after));
    }

    Boolean indexDropped() {
        return adding() ? Boolean.FALSE : gained(plainIndex(after), plainIndex(before));
    }

    Boolean uniqueAdded() {
        return gained(unique(before), unique(after));
    }

    Boolean uniqueDropped() {
        return adding() ? Boolean.FALSE : gained(unique(after), unique(before));
    }

    /** A new FOREIGN KEY: on a new column, a column that had none, or one that now points elsewhere. */
    Boolean foreignKeyAdded() {
        Boolean now = foreignKey(after);
        if (!Boolean.TRUE.equals(now)) {
            return now == null ? null : false;
        }
        if (before == null) {
            return true;
        }
        Boolean was = foreignKey(before);
        if (was == null) {
            return null;
        }
        return !was || !Objects.equals(before.target(), after.target()) || foreignKeyRecreated();
    }

    /**
     * AlterField of a ForeignKey that keeps its constraint and target: Django's schema editor drops
     * the field's FOREIGN KEY whenever it alters the field in the database (null, type, unique,
     * index; a comment aside) and adds it back afterwards, which validates every row again.
     */
    boolean foreignKeyRecreated() {
        if (before == null || after == null || !Boolean.TRUE.equals(foreignKey(before))
                || !Boolean.TRUE.equals(foreignKey(after)) || !Objects.equals(before.target(), after.target())) {
            return false;
        }
        if (typeRelevant()) {
            return true;
        }
        for (String kw : DB_KWARGS) {
            if (!kw.equals("db_comment") && !norm(before, kw).equals(norm(after, kw))) {
                return true;
            }
        }
        return false;
    }

    /**
     * AlterField: Django drops the field's FOREIGN KEY constraint, to re-create it, to point it at
     * another table, or for good: the old field had one, and it is re-created, re-targeted or gone.
     * Dropping it takes ACCESS EXCLUSIVE on the referenced table too (PgFacts.DROP_FOREIGN_KEY).
     */
    Boolean foreignKeyDropped() {
        if (before == null || after == null) {
            return false;
        }
        Boolean was = foreignKey(before);
        if (!Boolean.TRUE.equals(was)) {
            return was == null ? null : false;
        }
        Boolean now = foreignKey(after);
        if (now == null) {
            return null;
        }
        return !now || !Objects.equals(before.target(), after.target()) || foreignKeyRecreated();
    }

    /** The table the old relation pointed at. */
    String oldTargetTable() {
        return Ddl.tableOf(ctx.state(), before.target());
    }

    /** AlterField: NULL allowed before, NOT NULL after. */
    Boolean setNotNull() {
        return adding() ? Boolean.FALSE : gained(notNull(before), notNull(after));
    }

    /** The table the relation points at. */
    String targetTable() {
        return Ddl.tableOf(ctx.state(), after.target());
    }

    String targetKeyColumn() {
        return Ddl.keyColumnOf(ctx.state(), after.target());
    }
}
