package dev.migsafe.rules.compat;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The uniqueness a table already guarantees, and whether a new unique set adds anything to it.
 * Three states count: the one just before the operation, the one at the start of the migration
 * (the rows it left obey it) for the columns the migration kept, and the one old code was written
 * against (the table when the analysed range first touched it) for the columns the range kept.
 * Between two migrations of a range old code could slip a duplicate in while neither constraint
 * holds; that window is as short as the step between two migrations of one `migrate`, and is
 * not reported. A new set is implied when a guaranteed set is part of it (wider is weaker), its condition
 * is absent or no stricter than the new one's (partial is weaker), and NULLs collide in it if
 * they collide in the new one. A condition that no row can match yet (`col__isnull=True` on a
 * column that was NOT NULL when the migration started) binds only rows new code writes.
 * Constraints over expressions are not compared here (AddUnique keeps its exact re-creation check).
 */
final class UniqueGuarantees {

    private UniqueGuarantees() {}

    /** Columns unique together among the rows matching {@code condition} (null: all rows). */
    record Guarantee(Set<String> fields, Value condition, boolean nullsDistinct) {}

    /**
     * Whether a new uniqueness over {@code fields} (lowercase names), limited to rows matching
     * {@code condition} (null: all rows), adds nothing old code or existing rows could violate.
     */
    static boolean implied(OperationContext ctx, Set<String> fields, Value condition, boolean nullsDistinct) {
        ModelState now = ctx.targetModel();
        if (now == null) {
            return false;
        }
        for (Guarantee g : of(now)) {
            if (implies(g, fields, condition, nullsDistinct, now)) {
                return true;
            }
        }
        ModelState start = ctx.targetModelAtStart();
        if (start != null && start != now) {
            for (Guarantee g : of(start)) {
                if (keptOrCopied(ctx, start, now, g.fields(), false) && implies(g, fields, condition, nullsDistinct, now)) {
                    return true;
                }
            }
            if (matchesNoOldRow(ctx, start, now, condition)) {
                return true;
            }
        }
        // Old code was written against the table as it was when the range first touched it: what
        // an earlier migration of the range dropped still binds it, for the columns the range kept.
        ModelState old = ctx.migration().oldCode().model(now.key());
        if (old == null || old == now) {
            return false;
        }
        for (Guarantee g : of(old)) {
            if ((keptInRange(ctx, old, now, g.fields()) || keptOrCopied(ctx, old, now, g.fields(), true))
                    && implies(g, fields, condition, nullsDistinct, now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether each column is {@link #kept}, or is a copy that took back the name old code knew:
     * the field has the same column now (or after this migration's later AlterFields) as then,
     * old code knows that column, and the field was
     * added earlier in this migration and a data step (RunPython, RunSQL) ran after its AddField
     * (renamed since: category_tmp -> category). The copy keeps the rows' pairing, so a set that
     * held over the old column holds over it; its type change, if any, is C104's finding
     * ({@link ColumnReuse}). With {@code inRange}, the untouched columns must be kept since the
     * range started.
     */
    private static boolean keptOrCopied(OperationContext ctx, ModelState then, ModelState now, Set<String> fields,
                                        boolean inRange) {
        boolean copied = false;
        for (String name : fields) {
            Set<String> one = Set.of(name);
            if (inRange ? keptInRange(ctx, then, now, one) : kept(ctx, then, now, one)) {
                continue;
            }
            if (!copyUnderOldName(ctx, then, now, name)) {
                return false;
            }
            copied = true;
        }
        return !inRange || copied; // in range with nothing copied: keptInRange already said no
    }

    private static boolean copyUnderOldName(OperationContext ctx, ModelState then, ModelState now, String name) {
        Field was = then.field(name);
        Field is = now.field(name);
        return was != null && is != null && was.hasColumn() && is.hasColumn()
                && (was.column().equalsIgnoreCase(is.column()) || was.column().equalsIgnoreCase(laterColumn(ctx, name)))
                && ctx.migration().oldCode().column(now.key(), was.column()) != null
                && filledByDataStep(ctx, name);
    }

    /**
     * The column the field {@code name} gets from the last later AlterField of this migration
     * (wger: the set re-added over category, then AlterField category with db_column="category_id"
     * — the constraint follows the column's rename), or null when none changes it or a later
     * operation renames or removes the field.
     */
    private static String laterColumn(OperationContext ctx, String name) {
        String column = null;
        for (Operation op : ctx.laterFor(name)) {
            if (op.type() == null || !(op.arg(0, "model_name") instanceof Value.Str m)
                    || !m.value().equalsIgnoreCase(ctx.modelName())) {
                continue;
            }
            boolean touches = name.equals(lower(op.arg(1, "name"))) || name.equals(lower(op.arg(1, "old_name")))
                    || name.equals(lower(op.arg(2, "new_name")));
            if (!touches) {
                continue;
            }
            if (!op.type().equals("AlterField") || op.field() == null) {
                return null;
            }
            Field f = new Field(name, op.field(), null);
            column = f.hasColumn() ? f.column() : null;
        }
        return column;
    }

    /**
     * Whether the target model's field {@code name} was added by an earlier operation of this
     * migration (under this name or one renamed to it since) and a RunPython or RunSQL ran after
     * that AddField. Operations nested in SeparateDatabaseAndState are not followed (conservative).
     */
    private static boolean filledByDataStep(OperationContext ctx, String name) {
        String model = ctx.modelName();
        if (model == null) {
            return false;
        }
        java.util.Map<String, Boolean> added = new java.util.HashMap<>(); // field -> filled since its AddField
        for (Operation op : ctx.earlier()) {
            String type = op.type();
            if ("RunPython".equals(type) || "RunSQL".equals(type)) {
                added.replaceAll((k, v) -> true);
                continue;
            }
            if (type == null || !(op.arg(0, "model_name") instanceof Value.Str m) || !m.value().equalsIgnoreCase(model)) {
                continue;
            }
            String field = lower(op.arg(1, "name"));
            switch (type) {
                case "AddField" -> {
                    if (field != null) {
                        added.put(field, false);
                    }
                }
                case "RemoveField" -> added.remove(field);
                case "RenameField" -> {
                    Boolean filled = added.remove(lower(op.arg(1, "old_name")));
                    String to = lower(op.arg(2, "new_name"));
                    added.remove(to);
                    if (filled != null && to != null) {
                        added.put(to, filled);
                    }
                }
                default -> { }
            }
        }
        return Boolean.TRUE.equals(added.get(name));
    }

    private static String lower(Value v) {
        return v instanceof Value.Str s ? s.value().toLowerCase(Locale.ROOT) : null;
    }

    /**
     * {@link #kept} since the range started: the columns are older than the range, and no
     * operation of this app's migrations in the range (nor of this one, before this operation)
     * removed, added or renamed them.
     */
    private static boolean keptInRange(OperationContext ctx, ModelState old, ModelState now, Set<String> fields) {
        if (!sameColumns(old, now, fields)) {
            return false;
        }
        for (String name : fields) {
            if (ctx.isNewColumn(name)) {
                return false;
            }
        }
        return !replacedBy(ctx, ColumnFacts.rangeOperations(ctx), fields);
    }

    /** The guarantees of a model: unique fields, unique_together sets, UniqueConstraints over fields. */
    static List<Guarantee> of(ModelState m) {
        List<Guarantee> out = new ArrayList<>();
        for (Field f : m.fields().values()) {
            if (f.hasColumn() && Boolean.TRUE.equals(f.unique())) {
                out.add(new Guarantee(Set.of(f.nameLower()), null, true));
            }
        }
        List<Set<String>> together = ColumnFacts.togetherSets(m.options().get("unique_together"));
        if (together != null) {
            together.forEach(s -> out.add(new Guarantee(s, null, true)));
        }
        for (Value c : m.constraints()) {
            if (c instanceof Value.Call call && call.simpleName().equals("UniqueConstraint")) {
                Set<String> fields = ColumnFacts.uniqueConstraintFields(call);
                if (fields != null && !fields.isEmpty()) {
                    out.add(new Guarantee(fields, call.kwargs().get("condition"), nullsDistinct(call)));
                }
            }
        }
        return out;
    }

    /** UniqueConstraint(nulls_distinct=False) makes NULLs collide; anything else keeps them distinct. */
    static boolean nullsDistinct(Value.Call call) {
        return !(call.kwargs().get("nulls_distinct") instanceof Value.Bool b && !b.value());
    }

    private static boolean implies(Guarantee g, Set<String> fields, Value condition, boolean nullsDistinct,
                                   ModelState now) {
        if (!fields.containsAll(g.fields())) {
            return false;
        }
        if (g.condition() != null && (condition == null || !atLeastAsStrict(condition, g.condition()))) {
            return false;
        }
        if (nullsDistinct || !g.nullsDistinct()) {
            return true;
        }
        // NULLs collide in the new set: rows the guarantee let through with a NULL would now clash.
        for (String name : g.fields()) {
            Field f = now.field(name);
            if (f == null || !(f.primaryKey() || Boolean.FALSE.equals(f.nullable()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every row matching {@code stricter} matches {@code looser}: the same condition, or
     * plain Q(...) conjunctions where the stricter one has every term of the looser one.
     */
    private static boolean atLeastAsStrict(Value stricter, Value looser) {
        if (Py.source(stricter).equals(Py.source(looser))) {
            return true;
        }
        Set<String> s = terms(stricter);
        Set<String> l = terms(looser);
        return s != null && l != null && s.containsAll(l);
    }

    /** The terms of Q(a=1, b=2) or Q(("a", 1), ("b", 2)) as "a=1"; null for anything else (OR, NOT, nesting). */
    private static Set<String> terms(Value v) {
        if (!(v instanceof Value.Call q) || !q.simpleName().equals("Q") || q.kwargs().containsKey("_connector")
                || q.kwargs().containsKey("_negated")) {
            return null;
        }
        Set<String> out = new HashSet<>();
        for (Value a : q.args()) {
            List<Value> pair = a instanceof Value.TupleV t ? t.items() : null;
            if (pair == null || pair.size() != 2 || !(pair.get(0) instanceof Value.Str key)) {
                return null;
            }
            out.add(key.value() + "=" + Py.source(pair.get(1)));
        }
        q.kwargs().forEach((k, val) -> out.add(k + "=" + Py.source(val)));
        return out;
    }

    /**
     * A condition with a term `col__isnull=True` on a column that was NOT NULL when the migration
     * started: no existing row matches it, and old code, whose model has the column NOT NULL,
     * writes none that does.
     */
    private static boolean matchesNoOldRow(OperationContext ctx, ModelState start, ModelState now, Value condition) {
        Set<String> terms = condition == null ? null : terms(condition);
        if (terms == null) {
            return false;
        }
        for (String term : terms) {
            if (!term.endsWith("__isnull=True")) {
                continue;
            }
            String column = term.substring(0, term.length() - "__isnull=True".length()).toLowerCase(Locale.ROOT);
            Field was = start.field(column);
            if (was != null && Boolean.FALSE.equals(was.nullable()) && kept(ctx, start, now, Set.of(column))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the columns still hold the rows' values they held when the migration started: the
     * field exists in both states with the same column and field class, and no earlier operation
     * of this migration removed, added or renamed it.
     */
    private static boolean kept(OperationContext ctx, ModelState start, ModelState now, Set<String> fields) {
        return sameColumns(start, now, fields) && !replacedBy(ctx, ctx.earlier(), fields);
    }

    /** The fields exist in both states with the same column and field class. */
    private static boolean sameColumns(ModelState start, ModelState now, Set<String> fields) {
        for (String name : fields) {
            Field was = start.field(name);
            Field is = now.field(name);
            if (was == null || is == null || !was.hasColumn() || !is.hasColumn() || !was.column().equals(is.column())
                    || !was.fieldClass().equals(is.fieldClass())) {
                return false;
            }
        }
        return true;
    }

    /** Whether one of the operations (or one nested in them) removes, adds or renames one of the fields. */
    private static boolean replacedBy(OperationContext ctx, List<Operation> ops, Set<String> fields) {
        for (Operation op : ops) {
            if (replaces(ctx, op, fields)) {
                return true;
            }
            for (Operation inner : op.stateOperations()) {
                if (replaces(ctx, inner, fields)) {
                    return true;
                }
            }
            for (Operation inner : op.databaseOperations()) {
                if (replaces(ctx, inner, fields)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean replaces(OperationContext ctx, Operation op, Set<String> fields) {
        String type = op.type();
        if (type == null || !(type.equals("RemoveField") || type.equals("AddField") || type.equals("RenameField"))
                || !(op.arg(0, "model_name") instanceof Value.Str model) || !model.value().equalsIgnoreCase(ctx.modelName())) {
            return false;
        }
        for (Value v : new Value[] {op.arg(1, "name"), op.arg(1, "old_name"), op.arg(2, "new_name")}) {
            if (v instanceof Value.Str s && fields.contains(s.value().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
