package dev.migsafe.rules.compat;

import dev.migsafe.migration.FieldSpec;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OldCode;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Rule;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * C107 where a table name comes back: the analysed range dropped (or renamed away) a table old
 * code knows, and this operation gives its name to a table the range creates (DeleteModel "Task"
 * then CreateModel "Task" with other columns; a new model renamed, or moved by AlterModelTable,
 * onto the freed name). That table is no new table to old code: during the rollout it keeps
 * querying the name with the columns it knew, so what it misses there is reported here.
 */
final class TableReuse {

    private TableReuse() {}

    static void check(Rule rule, OperationContext ctx) {
        Taking taking = switch (ctx.type()) {
            case "CreateModel" -> created(ctx);
            case "RenameModel", "AlterModelTable" -> moved(ctx);
            default -> null;
        };
        if (taking == null || ctx.state().tableExists(taking.table)) {
            return; // not a table name the range freed (an existing one: the migration itself fails)
        }
        OldCode.Table old = ctx.oldTable(taking.table);
        if (old == null) {
            return; // a name old code never queried: a new table to it
        }
        List<String> missing = new ArrayList<>();
        List<String> retyped = new ArrayList<>();
        for (OldCode.Column c : old.columns().values()) {
            Field now = taking.columns.get(c.field().column().toLowerCase(Locale.ROOT));
            if (now == null) {
                missing.add(c.field().column());
                continue;
            }
            ColumnType is = ctx.columnType(now);
            if (c.type() != null && is != null && !c.type().equals(is) && !c.type().widensTo(is)) {
                retyped.add(now.column() + " (" + c.type().sql() + " to " + is.sql() + ")");
            }
        }
        List<String> unwritten = new ArrayList<>();
        for (Field f : taking.columns.values()) {
            if (old.column(f.column()) == null && !Boolean.TRUE.equals(f.nullable()) && !f.hasDbDefault()
                    && !f.primaryKey() && !f.simpleClass().equals("GeneratedField")) {
                unwritten.add(f.column());
            }
        }
        String known = ", a name old code still queries as " + old.model().label()
                + " (the analysed range dropped or renamed its table away earlier)";
        if (missing.isEmpty() && retyped.isEmpty() && unwritten.isEmpty()) {
            ctx.explain("table " + taking.table + known + ", has every column old code selects, in the types it "
                    + "knows: old code's queries work again, on " + taking.rows);
            return;
        }
        List<String> losses = new ArrayList<>();
        if (!missing.isEmpty()) {
            losses.add("old code selects " + Relations.list(missing, 6) + ", which the table lacks, so every query of "
                    + old.model().label() + " fails");
        }
        if (!unwritten.isEmpty()) {
            losses.add("old code's INSERTs leave out " + Relations.list(unwritten, 6)
                    + " (NOT NULL without a database default) and fail");
        }
        if (!retyped.isEmpty()) {
            losses.add(Relations.list(retyped, 6) + (retyped.size() > 1 ? " have" : " has") + " another type, which may "
                    + "reject or misread old code's values");
        }
        ctx.report(rule, taking.what + known + ": " + String.join("; ", losses),
                "keep " + taking.table + " for old code until no running code uses it: give the new table another "
                        + "name (db_table) and switch the code to it, then drop " + taking.table + " in a later "
                        + "release; or run the drop and this migration in a maintenance window");
    }

    /** The table an operation leaves under a name, its columns by lower-cased name, and words for both. */
    private record Taking(String what, String table, Map<String, Field> columns, String rows) {}

    private static Taking created(OperationContext ctx) {
        String name = ctx.str(0, "name");
        if (name == null) {
            return null;
        }
        String table = (ctx.app() + "_" + name).toLowerCase(Locale.ROOT);
        if (ctx.op().arg(2, "options") instanceof Value.DictV d) {
            for (int i = 0; i < d.keys().size(); i++) {
                if (!(d.keys().get(i) instanceof Value.Str k)) {
                    continue;
                }
                Value v = d.values().get(i);
                if ((k.value().equals("managed") || k.value().equals("proxy")) && v instanceof Value.Bool b
                        && b.value() == k.value().equals("proxy")) {
                    return null; // no table of its own
                }
                if (k.value().equals("db_table")) {
                    if (!(v instanceof Value.Str s)) {
                        return null;
                    }
                    table = s.value();
                }
            }
        }
        Value written = ctx.op().arg(1, "fields");
        int count = written instanceof Value.ListV l ? l.items().size() : written instanceof Value.TupleV t ? t.items().size() : -1;
        if (count != ctx.op().fields().size()) {
            return null; // fields migsafe cannot read: what the table lacks cannot be told
        }
        Map<String, Field> columns = new LinkedHashMap<>();
        for (FieldSpec spec : ctx.op().fields()) {
            if (spec.name() == null) {
                return null; // a field migsafe cannot read: what the table lacks cannot be told
            }
            Value to = spec.kwargs().get("to");
            if (to == null && !spec.args().isEmpty() && ctx.state().field(spec.name(), spec, null).isRelation()) {
                to = spec.args().get(0);
            }
            Field f = ctx.state().field(spec.name(), spec, to == null ? null : ctx.state().resolve(to, ctx.app(), name));
            if (f.hasColumn()) {
                columns.put(f.column().toLowerCase(Locale.ROOT), f);
            }
        }
        return new Taking("CreateModel " + ctx.app() + "." + name + " creates table " + table, table, columns,
                "an empty table");
    }

    /**
     * RenameModel or AlterModelTable of a model the range created: an existing table moved onto a
     * freed name is judged by C108/C109 already (old code loses the name it queried).
     */
    private static Taking moved(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m == null || !m.hasTable() || !ctx.createdInRange(m)) {
            return null;
        }
        String table;
        if ("RenameModel".equals(ctx.type())) {
            String newName = ctx.str(1, "new_name");
            if (newName == null) {
                return null;
            }
            table = m.hasDbTable() ? m.table() : (m.app() + "_" + newName).toLowerCase(Locale.ROOT);
        } else {
            Value v = ctx.op().arg(1, "table");
            if (v == null || v instanceof Value.None) {
                table = (m.app() + "_" + m.name()).toLowerCase(Locale.ROOT);
            } else if (v instanceof Value.Str s) {
                table = s.value();
            } else {
                return null;
            }
        }
        if (table.equalsIgnoreCase(m.table())) {
            return null;
        }
        Map<String, Field> columns = new LinkedHashMap<>();
        for (Field f : m.fields().values()) {
            if (f.hasColumn()) {
                columns.put(f.column().toLowerCase(Locale.ROOT), f);
            }
        }
        return new Taking(ctx.type() + " " + m.label() + " moves table " + m.table() + " to " + table, table, columns,
                "the rows of " + m.label());
    }
}
