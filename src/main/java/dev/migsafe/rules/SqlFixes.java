package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import java.util.HashMap;
import java.util.Map;

/**
 * Fixes in SQL for findings on a SQL statement, where the rule's own fix is a Django operation:
 * a team that wrote SQL wants the SQL that does it safely. Rules whose fix is a process (two
 * releases) keep theirs.
 */
final class SqlFixes {

    private SqlFixes() {}

    static Map<String, String> of(DbChange c, dev.migsafe.config.PostgresqlVersion version) {
        Map<String, String> out = new HashMap<>();
        String t = c.table() == null ? "the table" : c.table().toString();
        String name = c.name() == null ? "<name>" : c.name();
        out.put("L201", "build the index without blocking writes: CREATE INDEX CONCURRENTLY IF NOT EXISTS ... ON " + t
                + " (...), in a migration with atomic = False (CONCURRENTLY cannot run in a transaction), with "
                + "reverse_sql DROP INDEX CONCURRENTLY IF EXISTS ...");
        out.put("L205", "add the constraint without the scan, then validate it in a later migration: ALTER TABLE " + t
                + " ADD CONSTRAINT " + name + " CHECK (...) NOT VALID; then ALTER TABLE " + t + " VALIDATE CONSTRAINT "
                + name + " (SHARE UPDATE EXCLUSIVE: reads and writes continue)");
        out.put("L208", "build the unique index first, then attach it: CREATE UNIQUE INDEX CONCURRENTLY " + name + "_idx ON "
                + t + " (...) in a non-atomic migration; then ALTER TABLE " + t + " ADD CONSTRAINT " + name
                + " UNIQUE USING INDEX " + name + "_idx (brief)");
        out.put("L207", version.atLeast(12) ? "prove it without the long lock first: ALTER TABLE " + t + " ADD CONSTRAINT "
                + c.column() + "_not_null CHECK (" + c.column() + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT it in a "
                + "later migration (no long lock); then SET NOT NULL skips the scan, and the CHECK can be dropped"
                : "on " + version.describe() + " SET NOT NULL always scans the table: run it when " + t + " is quiet, "
                + "with a lock_timeout (from PostgreSQL 12 a validated CHECK lets it skip the scan)");
        if (c.kind() == DbChange.Kind.ADD_COLUMN) {
            out.put("L206", "avoid the rewrite: add the column without the volatile default (nullable, or with a constant "
                + "default), fill it in batches, then set the default for new rows");
        }
        out.put("C101", "give the column a default in the same statement (ADD COLUMN ... DEFAULT <constant> NOT NULL: "
                + "old code's INSERTs get the default, and on PostgreSQL 11+ a non-volatile default is catalog-only), or "
                + "add it nullable, backfill, and SET NOT NULL in a later release");
        return out;
    }
}
