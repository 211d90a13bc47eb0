package dev.migsafe.state;

import dev.migsafe.migration.MigrationKey;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the database has that Django's state does not: columns raw SQL added to a model's table
 * without a state operation (RunSQL without state_operations), and the columns of Django's fields
 * that raw SQL dropped while the state still maps them. Django's view and the database's differ
 * there, as they do under SeparateDatabaseAndState; rules that judge SQL ask which view holds.
 * (Tables the analysed range's SQL creates are tracked by the analysis; a table no model maps
 * counts as an existing one, the safe side.)
 */
public final class DatabaseOnly {

    private final Map<String, MigrationKey> addedColumns = new HashMap<>();
    private final Map<String, MigrationKey> droppedColumns = new HashMap<>();
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
        droppedColumns.remove(key(table, column));
        addedColumns.put(key(table, column), by);
    }

    void columnDropped(String table, String column, MigrationKey by, boolean mapped) {
        if (addedColumns.remove(key(table, column)) == null && mapped) {
            droppedColumns.put(key(table, column), by);
        }
    }

    /** The migration whose SQL added this column, which no field of Django's state maps; null when none did. */
    public MigrationKey addedBySql(String table, String column) {
        read();
        return table == null || column == null ? null : addedColumns.get(key(table, column));
    }

    /** The migration whose SQL dropped this column although a field of Django's state still maps it; null when none did. */
    public MigrationKey droppedBySql(String table, String column) {
        read();
        return table == null || column == null ? null : droppedColumns.get(key(table, column));
    }
}
