package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.DbChange.Flag;
import dev.migsafe.state.Database;
import java.util.List;

/**
 * The table locks of a SQL change that has no Django equivalent to take them from (or whose locks
 * differ from it: CONCURRENTLY, USING INDEX), on PostgreSQL, in the words of LockDescriptions.
 * Empty for statements that lock no table of old code's (SET, SELECT, a new function) and for
 * tables the analysed range created.
 */
final class SqlLocks {

    private SqlLocks() {}

    static List<String> of(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.database() != Database.POSTGRESQL) {
            return c.isRowWrite() || noTable(c) ? List.of() : List.of("depends on the SQL (" + c.kind().name().toLowerCase()
                    .replace('_', ' ') + "; migsafe reads SQL's locks for PostgreSQL only)");
        }
        if (c.kind() == DbChange.Kind.DO || c.kind() == DbChange.Kind.SELECT && !Sql.changesNothing(ctx.statement().text())
                && Sql.rowWrite(ctx.statement().text()) == null) {
            return List.of("depends on the SQL: `" + ctx.statement().brief(60) + "` runs code migsafe does not read");
        }
        if (noTable(c)) {
            return List.of();
        }
        if (c.kind() == DbChange.Kind.DROP_INDEX || c.kind() == DbChange.Kind.REINDEX && c.table() == null) {
            String index = "index " + c.name();
            return List.of(c.has(Flag.CONCURRENTLY) ? "SHARE UPDATE EXCLUSIVE on the table of " + index
                    + " (CONCURRENTLY: reads and writes continue)"
                    : c.kind() == DbChange.Kind.DROP_INDEX ? "ACCESS EXCLUSIVE on the table of " + index + " (brief: DROP INDEX)"
                    : "SHARE on the table of " + index + " and ACCESS EXCLUSIVE on the index while it rebuilds (blocks writes, "
                    + "and reads that use the index)");
        }
        if (!ctx.existingTable()) {
            return List.of();
        }
        String t = ctx.table();
        String lock = switch (c.kind()) {
            case ADD_COLUMN -> c.has(Flag.GENERATED_STORED) || Volatility.volatileDefault(c)
                    ? "ACCESS EXCLUSIVE on " + t + " for a full table rewrite" : "ACCESS EXCLUSIVE on " + t + " (brief: catalog only)";
            case CREATE_INDEX -> c.has(Flag.CONCURRENTLY) ? "SHARE UPDATE EXCLUSIVE on " + t + " (CONCURRENTLY: reads and writes continue)"
                    : "SHARE on " + t + " while the index builds (blocks writes)";
            case ADD_CONSTRAINT -> constraint(c, t);
            case VALIDATE_CONSTRAINT -> "SHARE UPDATE EXCLUSIVE on " + t + " while the rows are checked (reads and writes continue)";
            case DROP_CONSTRAINT, RENAME_CONSTRAINT, SET_DEFAULT, DROP_DEFAULT, DROP_NOT_NULL, RENAME_COLUMN, RENAME_TABLE,
                    SET_SCHEMA, DROP_COLUMN, DROP_TRIGGER, ALTER_COLUMN_OTHER ->
                    "ACCESS EXCLUSIVE on " + t + " (brief: catalog only)";
            case ALTER_TABLE_OTHER -> "ACCESS EXCLUSIVE on " + t + " (" + c.detail() + ": brief for most actions)";
            case SET_NOT_NULL -> "ACCESS EXCLUSIVE on " + t + " while every row is checked for NULL";
            case ALTER_COLUMN_TYPE -> "ACCESS EXCLUSIVE on " + t + " (a rewrite unless the new type is binary-coercible)";
            case CREATE_TRIGGER -> "SHARE ROW EXCLUSIVE on " + t + " (brief: CREATE TRIGGER; blocks writes while it waits)";
            case TRUNCATE -> "ACCESS EXCLUSIVE on " + t + " until the migration commits (TRUNCATE)";
            case LOCK_TABLE -> c.detail() + " on " + t + " until the migration commits (LOCK TABLE)";
            case VACUUM -> c.has(Flag.FULL) ? "ACCESS EXCLUSIVE on " + t + " for a full table rewrite (VACUUM FULL)"
                    : "SHARE UPDATE EXCLUSIVE on " + t + " (VACUUM: reads and writes continue)";
            case CLUSTER -> "ACCESS EXCLUSIVE on " + t + " for a full table rewrite (CLUSTER)";
            case REINDEX -> c.has(Flag.CONCURRENTLY) ? "SHARE UPDATE EXCLUSIVE on " + t + " (CONCURRENTLY: reads and writes continue)"
                    : "SHARE on " + t + " and ACCESS EXCLUSIVE on its indexes while they rebuild (blocks writes)";
            case REFRESH_VIEW -> c.has(Flag.CONCURRENTLY) ? "EXCLUSIVE on " + t + " (CONCURRENTLY: reads continue)"
                    : "ACCESS EXCLUSIVE on " + t + " while it refreshes (blocks reads)";
            case UPDATE, DELETE, INSERT -> "ROW EXCLUSIVE on " + t + " (other rows stay readable and writable); the rows it "
                    + "changes stay locked until the migration commits";
            case UNKNOWN -> "depends on the SQL: `" + ctx.statement().brief(60) + "` was not read";
            default -> null;
        };
        return lock == null ? List.of() : List.of(lock);
    }

    private static String constraint(DbChange c, String t) {
        boolean notValid = c.has(Flag.NOT_VALID);
        return switch (c.constraint()) {
            case FOREIGN_KEY -> "SHARE ROW EXCLUSIVE on " + t + " and on " + c.references() + (notValid
                    ? " (brief: NOT VALID)" : " while every row is checked (blocks writes to both)");
            case CHECK -> notValid ? "ACCESS EXCLUSIVE on " + t + " (brief: NOT VALID)"
                    : "ACCESS EXCLUSIVE on " + t + " while every row is checked";
            case UNIQUE, PRIMARY_KEY -> c.has(Flag.USING_INDEX) ? "ACCESS EXCLUSIVE on " + t + " (brief: USING INDEX)"
                    : "ACCESS EXCLUSIVE on " + t + " while the unique index builds (blocks reads and writes)";
            case EXCLUDE -> "ACCESS EXCLUSIVE on " + t + " while the exclusion index builds (blocks reads and writes)";
        };
    }

    /** Changes that lock no table: settings, reads, functions, types, transaction control. */
    private static boolean noTable(DbChange c) {
        return switch (c.kind()) {
            case SET, RESET, SHOW, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SELECT, READ_ONLY, COMMENT, GRANT, REVOKE,
                    CREATE_FUNCTION, CREATE_EXTENSION, ALTER_TYPE_ADD_VALUE, CREATE_OBJECT, ALTER_OBJECT, DROP_OBJECT,
                    ALTER_INDEX, DO, CREATE_TABLE -> true;
            default -> false;
        };
    }
}
