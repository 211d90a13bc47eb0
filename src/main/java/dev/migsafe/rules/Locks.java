package dev.migsafe.rules;

import dev.migsafe.rules.locks.LockDescriptions;
import java.util.List;

/**
 * The locks an operation takes on the configured database, in words a DBA would use, one
 * string per lock: "ACCESS EXCLUSIVE on shop_order (brief: catalog only)", "SHARE on shop_order
 * while the index builds (blocks writes)", "table copy of shop_order (ALGORITHM=COPY ...)" on
 * MySQL, "write lock on the database while shop_order is rebuilt ..." on SQLite. The Analyzer
 * asks only for operations the general exemptions do not cover (a new table, an unmanaged or
 * proxy model: no lock worth a word).
 *
 * <p>The list is empty when the operation runs no DDL on an existing table: Python-side changes
 * (AlterModelOptions, an AlterField of help_text), extensions, and RunPython, whose only locks
 * are the row locks of the rows it writes (D403 looks at how it writes them). The locks of SQL
 * (RunSQL, and what RunPython runs) come from SqlAnalysis, statement by statement; SQL it cannot
 * read says "depends on the SQL: ..." rather than an empty list, which would read as "no locks".
 * What cannot be told starts with "unknown" (a field the replayed state lacks, a custom operation).
 */
final class Locks {

    private Locks() {}

    static List<String> of(OperationContext ctx) {
        return LockDescriptions.of(ctx);
    }
}
