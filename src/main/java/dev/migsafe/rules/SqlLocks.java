package dev.migsafe.rules;

import dev.migsafe.rules.locks.PgFacts;
import dev.migsafe.rules.locks.PgFacts.Action;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.DbChange.Constraint;
import dev.migsafe.sql.DbChange.Flag;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The table locks of a SQL change that has no Django equivalent to take them from (or whose locks
 * differ from it: CONCURRENTLY, USING INDEX), on PostgreSQL, from {@link PgFacts} — the facts the
 * lock suite proves on a real server — in the words of LockDescriptions. Empty for statements that
 * lock no table of old code's (SET, SELECT, a new function) and for tables the analysed range created.
 */
final class SqlLocks {

    private SqlLocks() {}

    static List<String> of(SqlContext ctx) {
        DbChange c = ctx.change();
        if (c.kind() == DbChange.Kind.DO || c.kind() == DbChange.Kind.SELECT && !Sql.changesNothing(ctx.statement().text())
                && Sql.rowWrite(ctx.statement().text()) == null) {
            return List.of("depends on the SQL: `" + ctx.statement().brief(60) + "` runs code migsafe does not read");
        }
        if (ctx.database() != Database.POSTGRESQL) {
            if (c.isRowWrite() && c.table() != null) {
                return List.of(ctx.database() == Database.MYSQL
                        ? "row locks on the rows it changes in " + ctx.table() + " (InnoDB), until the migration commits"
                        : "write lock on the database until the migration commits (it changes rows of " + ctx.table() + ")");
            }
            return noTable(c) ? List.of() : List.of("depends on the SQL (" + c.kind().name().toLowerCase()
                    .replace('_', ' ') + "; migsafe reads SQL's locks for PostgreSQL only)");
        }
        int version = ctx.settings().postgresql().major();
        switch (c.kind()) {
            case DROP_INDEX -> {
                Action a = c.has(Flag.CONCURRENTLY) ? Action.DROP_INDEX_CONCURRENTLY : Action.DROP_INDEX;
                return List.of(a.fact().describe(indexTable(ctx, c.name()), null));
            }
            case REINDEX -> {
                if (c.table() == null) {
                    Action a = c.has(Flag.CONCURRENTLY) ? Action.REINDEX_CONCURRENTLY : Action.REINDEX;
                    return List.of(a.fact().describe(indexTable(ctx, c.name()), null));
                }
            }
            case ALTER_INDEX -> {
                return List.of(Action.RENAME_INDEX.fact().describe(indexTable(ctx, c.name()), null));
            }
            case ALTER_TYPE_ADD_VALUE -> {
                return List.of(Action.ALTER_TYPE_ADD_VALUE.fact().describe(c.name(), null));
            }
            case CREATE_TABLE -> {
                List<String> out = new ArrayList<>();
                if (c.detail() != null) {
                    for (String ref : c.detail().split(",")) {
                        if (!ctx.memory().createdTable(ref)) {
                            out.add(Action.CREATE_TABLE_WITH_FK.fact().lock() + " on " + ref + " (the new table's foreign "
                                    + "key; " + PgFacts.effect(Action.CREATE_TABLE_WITH_FK.fact().lock()) + ", brief)");
                        }
                    }
                }
                return out;
            }
            default -> { }
        }
        if (noTable(c) || !ctx.existingTable()) {
            return List.of();
        }
        String t = ctx.table();
        String referenced = c.references() == null ? null : c.references().toString();
        if (c.kind() == DbChange.Kind.LOCK_TABLE) {
            return List.of(c.detail() + " on " + t + " until the migration commits (LOCK TABLE; "
                    + PgFacts.effect(c.detail()) + ")");
        }
        if (c.kind() == DbChange.Kind.INSERT || c.isRowWrite() && c.has(Flag.WHERE)) {
            return List.of("ROW EXCLUSIVE on " + t + " (other rows stay readable and writable); the rows it changes stay "
                    + "locked until the migration commits");
        }
        if (c.kind() == DbChange.Kind.VACUUM && !c.has(Flag.FULL)) {
            return List.of(PgFacts.SHARE_UPDATE_EXCLUSIVE + " on " + t + " (VACUUM: " + PgFacts.effect(PgFacts.SHARE_UPDATE_EXCLUSIVE) + ")");
        }
        if (c.kind() == DbChange.Kind.ALTER_COLUMN_TYPE) {
            // USING converts every value: a rewrite whatever the types are called.
            return List.of(c.expression() != null ? Action.ALTER_COLUMN_TYPE_REWRITE.fact().describe(t, null)
                    : "ACCESS EXCLUSIVE on " + t + " (" + PgFacts.effect(PgFacts.ACCESS_EXCLUSIVE)
                    + "; rewrites every row unless the new type is binary-coercible)");
        }
        if (c.kind() == DbChange.Kind.UNKNOWN) {
            return List.of("depends on the SQL: `" + ctx.statement().brief(60) + "` was not read");
        }
        Action a = action(ctx, version);
        if (a == null) {
            return c.kind() == DbChange.Kind.ALTER_TABLE_OTHER ? List.of("ACCESS EXCLUSIVE on " + t + " (" + c.detail()
                    + ": brief for most actions)") : List.of();
        }
        if (a == Action.DROP_FOREIGN_KEY && ctx.field() != null && ctx.field().target() != null) {
            var target = ctx.operation().state().model(ctx.field().target());
            referenced = target == null ? null : target.table();
        } else if (a == Action.DROP_FOREIGN_KEY && c.name() != null) {
            referenced = referencedByName(ctx, c.name());
        }
        String lock = a.fact().describe(t, referenced);
        String held = ctx.memory().lockedBefore(c.table().name());
        if (ctx.atomic() && PgFacts.ACCESS_EXCLUSIVE.equals(held) && !a.fact().blocksReads()
                && (a.fact().scans() || a.fact().rewrites())) {
            // An earlier statement's ACCESS EXCLUSIVE lasts until the commit: reads wait for this whole step.
            lock += "; and ACCESS EXCLUSIVE on " + t + ", taken by an earlier statement of this migration, stays held "
                    + "through it (blocks reads and writes)";
        }
        return List.of(lock);
    }

    /**
     * The table a foreign key constraint references, from the name Django gives it
     * ({@code <table>_<column>_<hash>_fk_<referenced table>_<referenced column>}): the longest table
     * of the replayed state that the part after "_fk_" starts with; null when none does.
     */
    private static String referencedByName(SqlContext ctx, String constraint) {
        String name = constraint.toLowerCase();
        int fk = name.lastIndexOf("_fk_");
        if (fk < 0) {
            return null;
        }
        if (ctx.model() != null) {
            // The column stands before the hash: <table>_<column>_<hash>_fk_...; its field knows the target.
            for (Field f : ctx.model().fields().values()) {
                if (f.isToOne() && f.hasColumn() && f.target() != null && name.substring(0, fk).contains("_" + f.column().toLowerCase() + "_")) {
                    var target = ctx.operation().state().model(f.target());
                    if (target != null) {
                        return target.table();
                    }
                }
            }
        }
        return tableStarting(ctx, constraint.substring(fk + 4));
    }

    /**
     * The table an index belongs to, from its name (Django names indexes, and most people name
     * theirs, table first: "shop_order_created_idx"); "the table of index X" when no table of the
     * replayed state starts it.
     */
    private static String indexTable(SqlContext ctx, String index) {
        String t = index == null ? null : tableStarting(ctx, index);
        return t != null ? t : "the table of index " + index;
    }

    /**
     * The longest table of the replayed state that {@code name} starts with (followed by "_", or
     * the whole name); else, for a name Django cut at 63 characters, the one table it is the start
     * of; null when none (or several) fit.
     */
    private static String tableStarting(SqlContext ctx, String name) {
        String rest = name.toLowerCase();
        String best = null;
        String cut = null;
        int cuts = 0;
        for (var m : ctx.operation().state().models().values()) {
            if (!m.hasTable()) {
                continue;
            }
            String t = m.table().toLowerCase();
            if ((rest.startsWith(t + "_") || rest.equals(t)) && (best == null || t.length() > best.length())) {
                best = t;
            } else if (rest.length() >= 6 && t.startsWith(rest) && !t.equals(cut)) {
                cut = t;
                cuts++;
            }
        }
        return best != null ? best : cuts == 1 ? cut : null;
    }

    /** The proved action a change is, on this PostgreSQL release; null when PgFacts has none for it. */
    private static Action action(SqlContext ctx, int version) {
        DbChange c = ctx.change();
        boolean concurrently = c.has(Flag.CONCURRENTLY);
        return switch (c.kind()) {
            case ADD_COLUMN -> addColumn(c, version);
            case DROP_COLUMN -> {
                Field f = ctx.field();
                yield f != null && f.isToOne() ? Action.DROP_FOREIGN_KEY : Action.DROP_COLUMN;
            }
            case RENAME_COLUMN -> Action.RENAME_COLUMN;
            // On a column already NOT NULL PostgreSQL has nothing to check: a catalog-only change.
            case SET_NOT_NULL -> ctx.field() != null && Boolean.FALSE.equals(ctx.field().nullable())
                    ? Action.DROP_NOT_NULL : Action.SET_NOT_NULL;
            case DROP_NOT_NULL -> Action.DROP_NOT_NULL;
            case SET_DEFAULT -> Action.SET_DEFAULT;
            case DROP_DEFAULT -> Action.DROP_DEFAULT;
            case ADD_CONSTRAINT -> constraint(c);
            case VALIDATE_CONSTRAINT -> Action.VALIDATE_CONSTRAINT;
            case DROP_CONSTRAINT -> c.name() != null && c.name().toLowerCase().matches(".*(_fk_|_fkey$|_fk$).*")
                    ? Action.DROP_FOREIGN_KEY : Action.DROP_CONSTRAINT;
            case RENAME_CONSTRAINT, ALTER_COLUMN_OTHER -> Action.DROP_DEFAULT; // a catalog change under ACCESS EXCLUSIVE
            case CREATE_INDEX -> concurrently ? Action.CREATE_INDEX_CONCURRENTLY
                    : c.has(Flag.UNIQUE) ? Action.CREATE_UNIQUE_INDEX : Action.CREATE_INDEX;
            case REINDEX -> concurrently ? Action.REINDEX_CONCURRENTLY : Action.REINDEX;
            case DROP_TABLE -> Action.DROP_TABLE;
            case RENAME_TABLE, SET_SCHEMA -> Action.RENAME_TABLE;
            case CREATE_TRIGGER -> Action.CREATE_TRIGGER;
            case DROP_TRIGGER -> Action.DROP_TRIGGER;
            case TRUNCATE -> Action.TRUNCATE;
            case VACUUM -> Action.VACUUM_FULL;
            case CLUSTER -> Action.CLUSTER;
            case UPDATE -> Action.UPDATE_ALL;
            case DELETE -> Action.DELETE_ALL;
            case ALTER_TABLE_OTHER -> c.detail() != null && c.detail().toUpperCase().matches("SET\\s+(UN)?LOGGED.*")
                    ? Action.ALTER_TABLE_SET_LOGGED : null;
            default -> null;
        };
    }

    private static Action addColumn(DbChange c, int version) {
        if (c.has(Flag.GENERATED_STORED)) {
            return Action.ADD_COLUMN_GENERATED_STORED;
        }
        if (Volatility.volatileDefault(c) || c.has(Flag.DEFAULT) && version < 11) {
            return Action.ADD_COLUMN_VOLATILE_DEFAULT; // before 11 any default is written into every row
        }
        if (c.constraint() == Constraint.FOREIGN_KEY) {
            return c.has(Flag.DEFAULT) ? Action.ADD_COLUMN_FOREIGN_KEY_DEFAULT : Action.ADD_COLUMN_FOREIGN_KEY;
        }
        if (c.constraint() == Constraint.UNIQUE || c.constraint() == Constraint.PRIMARY_KEY) {
            return Action.ADD_COLUMN_UNIQUE;
        }
        if (c.has(Flag.DEFAULT)) {
            return c.has(Flag.NOT_NULL) ? Action.ADD_COLUMN_NOT_NULL_DEFAULT : Action.ADD_COLUMN_DEFAULT;
        }
        return Action.ADD_COLUMN;
    }

    private static Action constraint(DbChange c) {
        boolean notValid = c.has(Flag.NOT_VALID);
        boolean usingIndex = c.has(Flag.USING_INDEX);
        return switch (c.constraint()) {
            case FOREIGN_KEY -> notValid ? Action.ADD_FOREIGN_KEY_NOT_VALID : Action.ADD_FOREIGN_KEY;
            case CHECK -> notValid ? Action.ADD_CHECK_NOT_VALID : Action.ADD_CHECK;
            case UNIQUE -> usingIndex ? Action.ADD_UNIQUE_USING_INDEX : Action.ADD_UNIQUE;
            case PRIMARY_KEY -> usingIndex ? Action.ADD_UNIQUE_USING_INDEX : Action.ADD_PRIMARY_KEY;
            case EXCLUDE -> Action.ADD_EXCLUDE;
        };
    }

    /** Changes that lock no table: settings, reads, functions, types, transaction control. */
    private static boolean noTable(DbChange c) {
        return switch (c.kind()) {
            case SET, RESET, SHOW, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SELECT, READ_ONLY, GRANT, REVOKE,
                    CREATE_FUNCTION, CREATE_EXTENSION, CREATE_OBJECT, ALTER_OBJECT, DROP_OBJECT, DO -> true;
            default -> false;
        };
    }
}
