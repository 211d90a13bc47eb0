package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the SQL of the analysed range did so far, for the rules that need it: tables it created
 * (new to old code), functions it created with their bodies (a trigger's function says whether
 * the trigger can reject a write), a lock_timeout it set, and the tables each migration's DDL
 * has locked (a whole-table UPDATE then runs under that lock). One per analysis run; the
 * per-migration parts are cleared when a migration starts.
 */
public final class SqlMemory {

    private final Set<String> createdTables = new HashSet<>();
    private final Map<String, String> functions = new HashMap<>();
    private String lockTimeout;
    private final Map<String, String> lockedTables = new HashMap<>();
    private final List<DbChange> migrationChanges = new ArrayList<>();
    private final Set<String> said = new HashSet<>();

    void startMigration() {
        lockTimeout = null;
        lockedTables.clear();
        migrationChanges.clear();
        said.clear();
    }

    /** True the first time a rule asks about this key in the current migration: one finding, not one per statement. */
    public boolean once(String key) {
        return said.add(key);
    }

    void record(DbChange c) {
        migrationChanges.add(c);
        switch (c.kind()) {
            case CREATE_TABLE -> createdTables.add(lower(c.table().name()));
            case CREATE_FUNCTION -> functions.put(lower(shortName(c.name())), c.value());
            case SET -> {
                if ("lock_timeout".equals(c.detail())) {
                    lockTimeout = c.value();
                }
            }
            default -> { }
        }
    }

    /** Whether SQL of the analysed range created this table. */
    public boolean createdTable(String table) {
        return createdTables.contains(lower(table));
    }

    /** The body of a function the range's SQL created (schema dropped), or null when unknown. */
    public String functionBody(String name) {
        return name == null ? null : functions.get(lower(shortName(name)));
    }

    /** The lock_timeout this migration's SQL set before now ("5s"; "0" turns it off), or null. */
    public String lockTimeout() {
        return lockTimeout;
    }

    /** Records that this migration's DDL locked a table in a mode ("ACCESS EXCLUSIVE"). */
    void locked(String table, String mode) {
        lockedTables.merge(lower(table), mode, dev.migsafe.rules.locks.PgFacts::stronger);
    }

    /** The mode in which this migration's earlier DDL locked the table, or null. */
    public String lockedBefore(String table) {
        return table == null ? null : lockedTables.get(lower(table));
    }

    /** The changes this migration's SQL made before the current one, in order. */
    public List<DbChange> migrationChanges() {
        return migrationChanges;
    }

    private static String shortName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
