package dev.migsafe.state;

import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.Name;
import dev.migsafe.sql.SqlReader;
import dev.migsafe.sql.SqlStatement;

/**
 * The database side of a RunSQL that has no state_operations: Django's state stays as it was,
 * but the database now has the columns the SQL added to a model's table that no field maps
 * ({@link DatabaseOnly}), until SQL drops them again. Only the rules that judge SQL
 * ask for that view, so the texts are queued here and read when they first ask: replaying a
 * project's history (a pre-commit hook's every run) parses no SQL. The columns are then checked
 * against the state of that moment, which differs only where a later operation mapped the column.
 */
final class SqlReplay {

    private SqlReplay() {}

    /** The statements the view follows; a text with none of them is not even queued. */
    private static final java.util.regex.Pattern FOLLOWED = java.util.regex.Pattern.compile(
            "(?i)\\b(?:add\\s+column|drop\\s+column|add\\s+(?!constraint\\b|primary\\b|unique\\b|check\\b|foreign\\b"
            + "|exclude\\b|value\\b)\\w+\\s+\\w|drop\\s+(?!constraint\\b|default\\b|not\\b|index\\b|table\\b|trigger\\b"
            + "|function\\b|view\\b|type\\b|sequence\\b|extension\\b|materialized\\b|procedure\\b|identity\\b|expression\\b)\\w+)");

    static void apply(ProjectState state, MigrationKey migration, Operation op) {
        for (String sql : Replayer.sqlOf(op.arg(0, "sql"))) {
            if (FOLLOWED.matcher(sql).find()) {
                state.databaseOnly().queue(migration, sql);
            }
        }
    }

    /** Reads a queued text into the view, against the state as it is now. */
    static void read(ProjectState state, MigrationKey migration, String sql) {
        for (SqlStatement st : SqlReader.read(sql)) {
            for (DbChange c : st.changes()) {
                apply(state, migration, c);
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
            case ADD_COLUMN -> {
                ModelState m = state.tableOwnerOf(table);
                if (m != null && column(m, c.column()) == null) {
                    state.databaseOnly().columnAdded(table, c.column(), migration);
                }
            }
            case DROP_COLUMN -> state.databaseOnly().columnDropped(table, c.column());
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
}
