package dev.migsafe.rules.compat;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.TogetherSets;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the column rules share: reading both sides of an AlterField, unique sets, wording. */
final class ColumnFacts {

    private ColumnFacts() {}

    /**
     * Keyword arguments that never change a column's type: Python-side attributes (RULES.md's
     * "compatible by design" list and their kin) and the per-column attributes other rules judge
     * (nullability, uniqueness, index, name, database default, comment, tablespace).
     */
    private static final Set<String> NOT_TYPE = Set.of("default", "help_text", "verbose_name", "choices",
            "validators", "editable", "blank", "related_name", "related_query_name", "on_delete", "db_comment",
            "error_messages", "limit_choices_to", "serialize", "unique_for_date", "unique_for_month",
            "unique_for_year", "auto_now", "auto_now_add", "upload_to", "storage", "width_field", "height_field",
            "null", "unique", "db_index", "db_column", "db_default", "db_tablespace", "db_constraint", "primary_key");

    /** "shop.Order.note" */
    static String target(OperationContext ctx, String field) {
        return ctx.modelLabel() + "." + field;
    }

    /** Both sides of an AlterField when both are known, as columns (no M2M); null otherwise. */
    static Field[] alteredColumn(OperationContext ctx) {
        if (!"AlterField".equals(ctx.type())) {
            return null;
        }
        Field before = ctx.oldField();
        Field after = ctx.newField();
        if (before == null || after == null || !before.hasColumn() || !after.hasColumn()) {
            return null;
        }
        return new Field[] {before, after};
    }

    /** Whether two field specs can only differ in their column type if the class or a type argument differs. */
    static boolean sameTypeArguments(Field a, Field b) {
        return a.fieldClass().equals(b.fieldClass()) && sources(a.spec().args()).equals(sources(b.spec().args()))
                && typeKwargs(a).equals(typeKwargs(b));
    }

    private static Map<String, String> typeKwargs(Field f) {
        Map<String, String> out = new TreeMap<>();
        f.spec().kwargs().forEach((k, v) -> {
            if (!NOT_TYPE.contains(k)) {
                out.put(k, Py.source(v));
            }
        });
        return out;
    }

    private static List<String> sources(List<Value> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(Py.source(v)));
        return out;
    }

    /** How the configured database carries out a column change, for messages. */
    static String rewriteNote(OperationContext ctx) {
        Database db = ctx.database();
        if (db == Database.MYSQL) {
            return "MySQL copies " + ctx.table() + " while writes wait";
        }
        if (db == Database.SQLITE) {
            return "SQLite rebuilds " + ctx.table();
        }
        return "PostgreSQL rewrites " + ctx.table() + " under an ACCESS EXCLUSIVE lock";
    }

    /**
     * Whether {@code field} of the target model was added earlier in this migration as a nullable
     * column with nothing to fill it (no default, no db_default) and untouched since: every
     * existing row then holds NULL in it, and old code, which does not know it, writes NULL.
     */
    static boolean addedEmptyEarlier(OperationContext ctx, String field) {
        return addedEmpty(ctx, field, ctx.earlierFor(field));
    }

    /**
     * {@link #addedEmptyEarlier} over the analysed range: the operations of the range's earlier
     * migrations of this app, then this migration's before this operation.
     */
    static boolean addedEmptyInRange(OperationContext ctx, String field) {
        return addedEmpty(ctx, field, rangeOperations(ctx));
    }

    /** {@link #backfilledEarlier} over the analysed range (see {@link #addedEmptyInRange}). */
    static boolean backfilledInRange(OperationContext ctx, String field) {
        return backfilled(ctx, field, rangeOperations(ctx));
    }

    /**
     * The top-level operations that ran in the analysed range before this one, in order: those of
     * the range's earlier migrations of this app, then this migration's earlier ones. Other apps'
     * migrations cannot add or rename this app's fields, and their data steps are not counted as
     * filling them (conservative).
     */
    static List<Operation> rangeOperations(OperationContext ctx) {
        List<Operation> out = new ArrayList<>();
        for (dev.migsafe.rules.MigrationContext mc : ctx.migration().earlierInRange()) {
            if (mc.app().equals(ctx.app())) {
                out.addAll(mc.operations());
            }
        }
        out.addAll(ctx.earlier());
        return out;
    }

    private static boolean addedEmpty(OperationContext ctx, String field, List<Operation> ops) {
        if (field == null || ctx.modelName() == null) {
            return false;
        }
        boolean empty = false;
        for (Operation op : ops) {
            String type = op.type();
            if (type == null) {
                continue;
            }
            if (type.equals("RunPython") || type.equals("RunSQL") || type.equals("SeparateDatabaseAndState")) {
                empty = false; // data may have moved into it
                continue;
            }
            if (!ctx.modelName().equalsIgnoreCase(str(op, 0, "model_name"))) {
                continue;
            }
            boolean touches = field.equalsIgnoreCase(str(op, 1, "name")) || field.equalsIgnoreCase(str(op, 1, "old_name"))
                    || field.equalsIgnoreCase(str(op, 2, "new_name"));
            if (!touches) {
                continue;
            }
            if (type.equals("AddField") && op.field() != null) {
                Field f = new Field(field, op.field(), null);
                Value dflt = f.kw("default");
                empty = Boolean.TRUE.equals(f.nullable()) && !f.hasDbDefault()
                        && (dflt == null || dflt instanceof Value.None);
            } else {
                empty = false;
            }
        }
        return empty;
    }

    /**
     * Whether {@code field} of the target model was added earlier in this migration without a
     * database default and a data step (RunPython, RunSQL) ran after it: Django's recipe for a new
     * unique column. Old code does not know the column, so its rows get NULL there; the existing
     * rows hold what the migration's own data step wrote.
     */
    static boolean backfilledEarlier(OperationContext ctx, String field) {
        return backfilled(ctx, field, ctx.earlierFor(field));
    }

    private static boolean backfilled(OperationContext ctx, String field, List<Operation> ops) {
        if (field == null || ctx.modelName() == null) {
            return false;
        }
        boolean added = false;
        boolean filled = false;
        for (Operation op : ops) {
            String type = op.type();
            if (type == null) {
                continue;
            }
            if (type.equals("RunPython") || type.equals("RunSQL")) {
                filled = added;
                continue;
            }
            if (!ctx.modelName().equalsIgnoreCase(str(op, 0, "model_name"))) {
                continue;
            }
            boolean touches = field.equalsIgnoreCase(str(op, 1, "name")) || field.equalsIgnoreCase(str(op, 1, "old_name"))
                    || field.equalsIgnoreCase(str(op, 2, "new_name"));
            if (type.equals("AddField") && touches && op.field() != null) {
                added = !new Field(field, op.field(), null).hasDbDefault();
                filled = false;
            } else if (touches && !type.equals("AlterField")) {
                added = false;
                filled = false;
            }
        }
        return added && filled;
    }

    private static String str(Operation op, int position, String keyword) {
        return op.arg(position, keyword) instanceof Value.Str s ? s.value() : null;
    }

    /**
     * unique_together as Django normalises it: a list of field-name sets (lowercase); empty for
     * None; null when not a literal.
     */
    static List<Set<String>> togetherSets(Value v) {
        List<List<String>> sets = TogetherSets.of(v);
        if (sets == null) {
            return null;
        }
        List<Set<String>> out = new ArrayList<>();
        for (List<String> set : sets) {
            Set<String> lower = new LinkedHashSet<>();
            set.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
            out.add(lower);
        }
        return out;
    }

    /** A UniqueConstraint's fields= (lowercase); null when it has expressions or its fields are not literal. */
    static Set<String> uniqueConstraintFields(Value.Call call) {
        if (!call.args().isEmpty()) {
            return null; // expressions: UniqueConstraint(Lower("email"), name=...)
        }
        List<Value> fields = Py.items(call.kwargs().get("fields"));
        return fields == null ? null : names(fields);
    }


    private static Set<String> names(List<Value> items) {
        Set<String> out = new LinkedHashSet<>();
        for (Value i : items) {
            if (!(i instanceof Value.Str s)) {
                return null;
            }
            out.add(s.value().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** ("a", "b") as the user would write it. */
    static String tuple(Set<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add("\"" + n + "\""));
        return "(" + String.join(", ", quoted) + (quoted.size() == 1 ? ",)" : ")");
    }
}
