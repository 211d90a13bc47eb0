package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.rules.SqlSources;
import dev.migsafe.sql.DbChange;
import dev.migsafe.state.ModelState;
import java.util.Locale;
import java.util.regex.Pattern;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.Sql;

/**
 * C199: RunSQL that runs real SQL, or a RunPython whose code runs SQL itself, that may change
 * the schema: migsafe reads SQL only as far as {@link Sql} does, so a human must judge it: review.
 * Empty SQL, RunSQL.noop, statements that {@link Sql#changesNothing change nothing} and SQL that
 * only {@link Sql#rowWrite writes rows} (a data migration in SQL, compatible as RunPython is) pass.
 */
public final class RawSql extends OperationRule implements JudgesSql {

    private static final int SHOWN = 80;

    public RawSql() {
        super(RuleInfo.classifying("C199", "raw-sql", DeployClass.REVIEW)
                .summary("SQL (in RunSQL, or run by a RunPython function) that migsafe cannot judge: a statement its SQL grammar does not read, procedural code, or a change to a table or column the replayed state does not map.")
                .why("""
                        migsafe reads SQL with its own PostgreSQL grammar, statement by statement, and judges
                        each as the Django operation that makes the same change: DROP COLUMN is RemoveField
                        (C102), ADD COLUMN ... NOT NULL without a default is AddField (C101), a CHECK without
                        NOT VALID is AddConstraint (C110, L205), CREATE INDEX without CONCURRENTLY is AddIndex
                        (L201), a table rename is AlterModelTable (C109); tables and columns resolve to models
                        and fields through db_table and db_column. What only SQL does has rules of its own:
                        triggers (C119), TRUNCATE and DELETE without WHERE (D404), ALTER TYPE ... ADD VALUE
                        (L212), COMMIT inside the migration (L213), REINDEX / VACUUM FULL / CLUSTER / LOCK TABLE
                        (L214), whole-table updates beside DDL (L215). Statements that change nothing (SELECT of
                        known functions, SET, SHOW, ANALYZE, COMMENT), row changes (INSERT, UPDATE, DELETE with
                        WHERE), new functions, views, sequences, types and extensions are compatible.
                        C199 is what is left, where a human has to read the SQL: a statement the grammar cannot
                        read (MySQL's or SQLite's dialect, a syntax it does not know) — quoted in the finding;
                        DO blocks and SELECTs of unknown functions (procedural code may run DDL); REVOKE; ALTER
                        TYPE/DOMAIN other than ADD VALUE; DROP ... CASCADE; ALTER TABLE actions other than
                        ownership, storage parameters and statistics (DISABLE TRIGGER, ATTACH PARTITION...);
                        writes to the database's catalogs; a destructive change on a table no model maps, or on
                        a column no field maps where that matters; and SQL that is not a literal (built by a
                        function, an f-string), named where it is built. A "..." % (...) or .format template is
                        read with its placeholders: a row change into a table named at run time is still a row
                        change, DDL on it is a review.""")
                .example("""
                        migrations.RunSQL(
                            'ALTER TABLE "shop_order" ALTER COLUMN "note" SET NOT NULL',
                            reverse_sql='ALTER TABLE "shop_order" ALTER COLUMN "note" DROP NOT NULL',
                        )""")
                .instead("""
                        Read the statement the finding quotes. Prefer Django's own operations where one exists
                        (migsafe judges them). For SQL that has no Django equivalent, check by hand whether old
                        code keeps working and which locks it takes, then record the decision where the
                        operation starts:
                            migrations.RunSQL(  # migsafe: ignore[C199] creates a trigger, no lock on reads
                                ...""")
                .others("""
                        django-migration-linter runs its SQL checks (DROP TABLE, RENAME, NOT NULL...) over the
                        statements of RunSQL; squawk lints PostgreSQL statements for locks and rewrites;
                        strong_migrations stops on every `execute` until it is wrapped in `safety_assured`.
                        migsafe judges each statement against the replayed models (so DROP COLUMN of a column
                        no model maps is no break) and asks for a review only of what it cannot judge."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RunSQL".equals(ctx.type()) && !"RunPython".equals(ctx.type())) {
            return;
        }
        SqlSources.Sources sources = SqlSources.forward(ctx);
        if (sources.opaque().isEmpty()) {
            return; // literal SQL: judged statement by statement (checkSql)
        }
        SqlSources.Opaque first = sources.opaque().get(0);
        if ("RunSQL".equals(ctx.type())) {
            ctx.reportUnknown(this, "RunSQL runs SQL that is not a literal (" + shorten(first.source()) + "): what it "
                    + "does to the schema and to old code cannot be told", "read the SQL it builds; if it is safe for old "
                    + "code and takes no long lock, suppress with `# migsafe: ignore[C199] <reason>`");
            return;
        }
        String more = sources.opaque().size() > 1 ? " and " + (sources.opaque().size() - 1) + " more" : "";
        ctx.report(this, "RunPython runs SQL built at run time (" + first.where().substring("RunPython (".length(),
                        first.where().length() - 1) + ": `" + shorten(first.source()) + "`)" + more
                        + ": it may change the schema, and what it does to old code and which locks it takes cannot be told",
                "read the SQL: if it changes the schema (a trigger, a constraint, a column), do it with a Django operation "
                        + "or RunSQL in a migration of its own and judge it as such; if it is safe for old code and takes "
                        + "no long lock, record that with `# migsafe: ignore[C199] <reason>`");
    }

    @Override
    public void checkSql(SqlContext ctx) {
        if (ctx.reverse()) {
            return; // reverse_sql: the R rules judge what unapplying does
        }
        String why = unjudged(ctx);
        if (why != null) {
            ctx.report(this, why + ", so whether old code keeps working and which locks it takes need a review",
                    "check the statement by hand (old code against the new schema, locks and their duration); use a "
                            + "Django operation where one exists, or record the decision with `# migsafe: ignore[C199] <reason>`");
        }
    }

    /** Why migsafe cannot judge this change, or null when it (or another rule) can. */
    static String unjudged(SqlContext ctx) {
        DbChange c = ctx.change();
        String text = ctx.statement().text();
        switch (c.kind()) {
            case UNKNOWN -> {
                if (Sql.changesNothing(text) || Sql.rowWrite(text) != null) {
                    return null; // PRAGMA, REPLACE INTO ...: the small reader still knows them
                }
                return "migsafe's SQL grammar cannot read it (" + c.detail() + ")";
            }
            case DO -> {
                return "a DO block runs procedural code that may change the schema";
            }
            case REVOKE -> {
                return "REVOKE may take away privileges old code needs";
            }
            case SELECT -> {
                return Sql.changesNothing(text) || Sql.rowWrite(text) != null ? null
                        : "a SELECT that calls a function migsafe does not know (it may change the schema)";
            }
            case ALTER_TABLE_OTHER -> {
                return SAFE_TABLE_ACTIONS.matcher(c.detail()).lookingAt() ? null
                        : "ALTER TABLE " + ctx.table() + " " + c.detail() + " is an action migsafe does not judge";
            }
            case ALTER_COLUMN_OTHER -> {
                return SAFE_COLUMN_ACTIONS.matcher(c.detail()).lookingAt() ? null
                        : "ALTER COLUMN " + c.column() + " " + c.detail() + " is an action migsafe does not judge";
            }
            case ALTER_OBJECT -> {
                return "type".equals(c.detail()) || "domain".equals(c.detail())
                        ? "ALTER " + c.detail().toUpperCase(Locale.ROOT) + " changes values old code writes" : null;
            }
            case DROP_OBJECT -> {
                if (c.has(DbChange.Flag.CASCADE)) {
                    return "DROP ... CASCADE also drops whatever depends on " + c.name();
                }
                return null; // PostgreSQL refuses to drop what other objects depend on
            }
            case UPDATE, DELETE, INSERT -> {
                return catalog(c.table()) ? "it writes the database's catalog (" + c.table() + "): the schema, behind "
                        + "PostgreSQL's back" : null;
            }
            default -> {
                return needsModel(ctx);
            }
        }
    }

    /**
     * Changes that break or keep old code depending on the model they touch: judged through their
     * Django equivalent when the state maps the table and column; otherwise a review, except where
     * not being mapped settles it (a column no field maps is one Django never reads or writes).
     */
    private static String needsModel(SqlContext ctx) {
        DbChange c = ctx.change();
        boolean destructive = switch (c.kind()) {
            case DROP_COLUMN, RENAME_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_TABLE, RENAME_TABLE, SET_SCHEMA -> true;
            case ADD_COLUMN -> c.has(DbChange.Flag.NOT_NULL) && !c.has(DbChange.Flag.DEFAULT) && !c.has(DbChange.Flag.IDENTITY);
            case ADD_CONSTRAINT -> c.constraint() != DbChange.Constraint.FOREIGN_KEY;
            case CREATE_INDEX -> c.has(DbChange.Flag.UNIQUE);
            default -> false;
        };
        if (!destructive || !ctx.existingTable() && (c.table() == null || !c.table().placeholder())) {
            return null;
        }
        if (c.table() != null && c.table().placeholder()) {
            return "it changes a table a placeholder fills in at run time";
        }
        ModelState m = ctx.model();
        if (m == null) {
            return unmappedTable(ctx);
        }
        if (!m.hasTable()) {
            return null; // an unmanaged or proxy model: not Django's DDL, the general exemption holds
        }
        boolean judgedAsOperation = switch (c.kind()) {
            case DROP_TABLE, RENAME_TABLE, SET_SCHEMA, ADD_COLUMN -> true;
            case ADD_CONSTRAINT -> c.constraint() != DbChange.Constraint.PRIMARY_KEY
                    && (c.constraint() != DbChange.Constraint.UNIQUE || c.columns().stream().allMatch(col -> dev.migsafe.rules.SqlTables.field(m, col) != null));
            case CREATE_INDEX -> true;
            default -> ctx.field() != null;
        };
        if (judgedAsOperation) {
            return null;
        }
        if (c.kind() == DbChange.Kind.ADD_CONSTRAINT && c.constraint() == DbChange.Constraint.PRIMARY_KEY) {
            return "a new primary key on " + ctx.table() + " builds a unique index under ACCESS EXCLUSIVE and changes "
                    + "what Django's queries key rows by";
        }
        boolean unmapped = ctx.field() == null && (m.complete() && !ctx.operation().state().incomplete(m.app())
                || ctx.operation().state().databaseOnly().addedBySql(m.table(), c.column()) != null);
        if (unmapped && (c.kind() == DbChange.Kind.DROP_COLUMN || c.kind() == DbChange.Kind.RENAME_COLUMN)) {
            return null; // no field maps the column (earlier SQL may have added it): Django never reads or writes it
        }
        if (ctx.field() != null && ctx.field().isRelation()) {
            return "it changes " + ctx.table() + "." + c.column() + ", the column of the relation " + m.label() + "."
                    + ctx.field().name();
        }
        return "no field of " + m.label() + " maps the column " + ctx.table() + "." + (c.column() == null
                ? String.join(", ", c.columns()) : c.column()) + " as far as the replayed state knows";
    }

    /**
     * A destructive change on a table no model maps: a sequence's rename (column defaults name
     * sequences by OID, not by name) and a table whose model a state-only DeleteModel before the
     * analysed range let go of (code since does not use it) are compatible; anything else is a review.
     */
    private static String unmappedTable(SqlContext ctx) {
        DbChange c = ctx.change();
        String table = c.table().name();
        if ((c.kind() == DbChange.Kind.RENAME_TABLE || c.kind() == DbChange.Kind.SET_SCHEMA) && table.endsWith("_seq")) {
            return null;
        }
        dev.migsafe.migration.MigrationKey unmapped = ctx.operation().state().tableUnmappedBy(table);
        if (unmapped != null && !ctx.operation().migration().isNew(unmapped)) {
            return null;
        }
        if (unmapped != null) {
            return "the table " + ctx.table() + " lost its model in " + unmapped.name() + ", in the same analysed range: "
                    + "old code still uses it";
        }
        return "no model of the replayed state has the table " + ctx.table()
                + (ctx.operation().state().tableExists(table) ? " (a table Django keeps for a many-to-many field, or "
                + "one earlier SQL created)" : "");
    }

    private static boolean catalog(dev.migsafe.sql.Name t) {
        return t != null && Sql.catalog(t.toString());
    }

    /** ALTER TABLE actions old code does not notice: ownership, storage parameters, replication and clustering settings. */
    private static final Pattern SAFE_TABLE_ACTIONS = Pattern.compile("(?i)(OWNER\\s+TO|SET\\s*\\(|RESET\\s*\\(|REPLICA\\s+IDENTITY"
            + "|CLUSTER\\s+ON|SET\\s+WITHOUT\\s+CLUSTER|ENABLE\\s+ROW\\s+LEVEL|FORCE\\s+ROW|ALTER\\s+CONSTRAINT\\s+\\S+\\s+(NOT\\s+)?DEFERRABLE)");

    /** ALTER COLUMN actions old code does not notice: planner statistics, storage, compression. */
    private static final Pattern SAFE_COLUMN_ACTIONS = Pattern.compile("(?i)(SET\\s+STATISTICS|SET\\s+STORAGE|SET\\s+COMPRESSION|SET\\s*\\(|RESET\\s*\\()");

    private static String shorten(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() > SHOWN ? s.substring(0, SHOWN - 3) + "..." : s;
    }

}
