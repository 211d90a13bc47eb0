package dev.migsafe.state;

import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.Name;
import dev.migsafe.sql.SqlReader;
import dev.migsafe.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database side of a RunSQL that has no state_operations: Django's state stays as it was,
 * but the database now has the tables and columns the SQL created (a table no model maps is a
 * kept table; a column no field maps is {@link DatabaseOnly}), and lacks those it dropped.
 */
final class SqlReplay {

    private SqlReplay() {}

    static void apply(ProjectState state, MigrationKey migration, Operation op) {
        for (String sql : texts(op.arg(0, "sql"))) {
            for (SqlStatement st : SqlReader.read(sql)) {
                for (DbChange c : st.changes()) {
                    apply(state, migration, c);
                }
            }
        }
    }

    private static void apply(ProjectState state, MigrationKey migration, DbChange c) {
        Name t = c.table();
        if (t == null || t.placeholder() || !t.inDefaultSchema()) {
            return;
        }
        String table = t.name();
        switch (c.kind()) {
            case CREATE_TABLE -> {
                if (!state.tableExists(table)) {
                    state.tableKept(table, migration);
                }
            }
            case DROP_TABLE -> state.tableGone(table); // a model's table stays Django's: its DeleteModel says when
            case RENAME_TABLE -> {
                if (state.tableExists(table) && state.tableOwnerOf(table) == null) {
                    MigrationKey creator = state.tableCreator(table);
                    state.tableGone(table);
                    state.tableKept(c.name(), creator);
                }
            }
            case ADD_COLUMN -> {
                ModelState m = state.tableOwnerOf(table);
                if (m != null && column(m, c.column()) == null) {
                    state.databaseOnly().columnAdded(table, c.column(), migration);
                }
            }
            case DROP_COLUMN -> {
                ModelState m = state.tableOwnerOf(table);
                state.databaseOnly().columnDropped(table, c.column(), migration, m != null && column(m, c.column()) != null);
            }
            default -> { }
        }
    }

    private static Field column(ModelState m, String column) {
        for (Field f : m.fields().values()) {
            if (f.hasColumn() && f.column().equalsIgnoreCase(column)) {
                return f;
            }
        }
        return null;
    }

    /** The literal SQL strings of RunSQL's sql= (a str, or a list/tuple of str or (sql, params) pairs). */
    private static List<String> texts(Value v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Value.Str s) {
            out.add(s.value());
        } else if (v instanceof Value.ListV || v instanceof Value.TupleV) {
            List<Value> items = v instanceof Value.ListV l ? l.items() : ((Value.TupleV) v).items();
            for (Value item : items) {
                out.addAll(texts(item instanceof Value.TupleV t && !t.items().isEmpty() ? t.items().get(0) : item));
            }
        }
        return out;
    }
}
