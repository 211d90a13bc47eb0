package dev.migsafe.state;

import dev.migsafe.migration.MigrationKey;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the database has that Django's state does not: columns raw SQL added to a model's table
 * without a state operation (RunSQL without state_operations). Django's view and the database's
 * differ there, as they do under SeparateDatabaseAndState; C199 asks it before calling a change
 * to a column no field maps a review.
 * (Tables the analysed range's SQL creates are tracked by the analysis; a table no model maps
 * counts as an existing one, the safe side.)
 */
public final class DatabaseOnly {

    private final Map<String, MigrationKey> addedColumns = new HashMap<>();
    /** RunSQL texts replayed but not read yet (see SqlReplay), in replay order. */
    private final java.util.List<Map.Entry<MigrationKey, String>> queued = new java.util.ArrayList<>();
    private final ProjectState state;

    DatabaseOnly(ProjectState state) {
        this.state = state;
    }

    void queue(MigrationKey migration, String sql) {
        queued.add(Map.entry(migration, sql));
    }

    /** Reads the queued SQL (the first question after a replay pays for it). */
    private void read() {
        if (queued.isEmpty()) {
            return;
        }
        java.util.List<Map.Entry<MigrationKey, String>> now = new java.util.ArrayList<>(queued);
        queued.clear();
        for (Map.Entry<MigrationKey, String> e : now) {
            SqlReplay.read(state, e.getKey(), e.getValue());
        }
    }

    private static String key(String table, String column) {
        return table.toLowerCase(Locale.ROOT) + "." + column.toLowerCase(Locale.ROOT);
    }

    void columnAdded(String table, String column, MigrationKey by) {
        addedColumns.put(key(table, column), by);
    }

    /** SQL dropped a column: one SQL had added is gone from the database too. */
    void columnDropped(String table, String column) {
        addedColumns.remove(key(table, column));
    }

    /** The migration whose SQL added this column, which no field of Django's state maps; null when none did. */
    public MigrationKey addedBySql(String table, String column) {
        read();
        return table == null || column == null ? null : addedColumns.get(key(table, column));
    }
}
