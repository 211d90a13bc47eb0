package dev.migsafe.rules.locks;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * L206: operations that rewrite (or copy, or rebuild) a whole existing table. PostgreSQL: a type
 * change that is not binary-coercible, a stored GeneratedField, a volatile db_default. MySQL: a
 * type change InnoDB cannot do in place, a stored generated column. SQLite: AlterField (any
 * database-side change but a plain column rename), RemoveField of an indexed, unique or related
 * column, AddField of a NOT NULL, unique or defaulted column: Django rebuilds the table.
 * AlterField on a field the state lacks is reported here as unknown, once for all lock rules.
 */
public final class TableRewrite extends OperationRule {

    public TableRewrite() {
        super(RuleInfo.of("L206", "table-rewrite", Severity.WARNING)
                .summary("A change that rewrites the whole table: a non-binary-coercible type change, a stored "
                        + "GeneratedField, a volatile db_default.")
                .why("""
                        Some changes make PostgreSQL write every row again: ALTER COLUMN TYPE to a type whose bytes
                        differ (integer -> bigint, varchar -> integer, a shorter varchar), a stored generated column
                        (computed for every row), a column whose database default is volatile (random(),
                        gen_random_uuid(): one value per row, also when nested inside other expressions or
                        arithmetic, as in Concat(Value("x"), Round(Random() * 10000))). The rewrite holds ACCESS EXCLUSIVE: no reads, no
                        writes, for as long as it takes to copy the table and rebuild its indexes. A non-volatile
                        default, including Now() (STATEMENT_TIMESTAMP() is stable), is stored once in the catalog
                        and rewrites nothing. varchar or text -> citext keeps the bytes (the extension's casts are
                        WITHOUT FUNCTION), so the table is not rewritten; an index on the column is still rebuilt
                        for citext's operator class under ACCESS EXCLUSIVE, and a unique one then ignores case:
                        that rebuild is reported instead. MySQL copies the table for most type changes; SQLite
                        rebuilds it for every AlterField.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="amount",
                            field=models.BigIntegerField(),  # was IntegerField
                        )""")
                .instead("""
                        Move to a new column over releases instead of rewriting in place: AddField amount_new
                        (nullable, new type); write both from the code; backfill in batches; switch reads; remove
                        the old field. For a volatile default: add the column nullable without db_default, set the
                        default with AlterField (only new rows get it), backfill in batches, then set NOT NULL.""")
                .others("""
                        strong_migrations flags change_column except the known safe widenings, stored generated
                        columns, and columns with volatile defaults; django-migration-linter flags every ALTER COLUMN
                        (ALTER_COLUMN) without telling a rewrite from a catalog-only change. migsafe compares the
                        replayed column types, so varchar(50) -> varchar(100) or varchar -> text passes."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.type() == null) {
            return;
        }
        switch (ctx.type()) {
            case "AlterField" -> alterField(ctx);
            case "AddField" -> addField(ctx);
            case "RemoveField" -> removeField(ctx);
            default -> { }
        }
    }

    private void alterField(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null) {
            return;
        }
        if (c.before == null) {
            ctx.reportUnknown(this, "AlterField " + c.target() + ": the replayed state has no field " + c.after.name()
                    + " on " + ctx.modelLabel() + ", so whether this rewrites, scans or locks " + ctx.table()
                    + " cannot be told", "check the earlier migrations of " + ctx.modelLabel() + " (a dynamic field "
                    + "list or an operation migsafe could not replay), or review the SQL with `manage.py sqlmigrate`");
            return;
        }
        if (!c.dbChange() || c.after.isManyToMany()) {
            return; // an M2M field has no column: its join table is a table of its own
        }
        switch (ctx.database()) {
            case SQLITE -> {
                if (!c.onlyColumnRenamed() || Boolean.TRUE.equals(FieldChange.foreignKey(c.after))) {
                    ctx.report(this, "AlterField " + c.target() + ": SQLite cannot alter a column, so Django rebuilds "
                            + ctx.table() + " (new table, copy of every row, drop, rename) holding the database's write "
                            + "lock", SQLITE_FIX);
                }
            }
            case MYSQL -> {
                if (!c.typeRelevant()) {
                    return;
                }
                ColumnType a = c.typeBefore();
                ColumnType b = c.typeAfter();
                if (a == null || b == null) {
                    unknownType(ctx, c);
                } else if (!a.equals(b) && !mysqlInPlace(a, b)) {
                    boolean longer = a.base().equals("varchar") && b.base().equals("varchar") && a.length() != null
                            && b.length() != null && b.length() > a.length();
                    String fix = longer
                            ? "InnoDB extends a VARCHAR in place only while its length prefix keeps its size (utf8mb4: up "
                            + "to 63 characters, or from 64 on): go straight to the length you need in one step on a "
                            + "quiet table, or use an online schema-change tool (gh-ost, pt-online-schema-change)"
                            : newColumnFix(ctx, c) + "; or run it with an online schema-change tool (gh-ost, "
                            + "pt-online-schema-change)";
                    ctx.report(this, "AlterField " + c.target() + " changes " + ctx.table() + "." + c.after.column()
                            + " from " + a.sql() + " to " + b.sql() + ": MySQL copies " + ctx.table()
                            + " (ALGORITHM=COPY), and writes wait for the whole copy"
                            + (longer ? " (the length prefix grows from 1 to 2 bytes)" : ""), fix);
                }
            }
            default -> {
                FieldChange.TypeChange t = c.typeChange();
                if (t == FieldChange.TypeChange.UNKNOWN) {
                    unknownType(ctx, c);
                } else if (t == FieldChange.TypeChange.WIDENING && c.typeAfter().caseInsensitiveFrom(c.typeBefore())
                        && (Boolean.TRUE.equals(c.after.unique()) || Boolean.TRUE.equals(c.after.indexed()))) {
                    // No rewrite (citext takes the bytes as they are), but the column's indexes are built
                    // again for citext's operator class, and a unique one now compares ignoring case.
                    boolean unique = Boolean.TRUE.equals(c.after.unique());
                    ctx.report(this, "AlterField " + c.target() + " changes " + ctx.table() + "." + c.after.column()
                            + " from " + c.typeBefore().sql() + " to citext: no table rewrite, but PostgreSQL rebuilds the "
                            + "column's index" + (unique ? " (now unique ignoring case)" : "") + " under ACCESS EXCLUSIVE, "
                            + "blocking reads and writes while it builds"
                            + (unique ? "; the migration fails if values differ only in case" : ""),
                            (unique ? "look for values that differ only in case first (SELECT lower(" + c.after.column()
                                    + "), count(*) FROM " + ctx.table() + " GROUP BY 1 HAVING count(*) > 1); " : "")
                            + "on a big table, build the new index CONCURRENTLY on an expression (lower(" + c.after.column()
                            + ")) or a new citext column before switching");
                } else if (t == FieldChange.TypeChange.REWRITE) {
                    ctx.report(this, "AlterField " + c.target() + " changes " + ctx.table() + "." + c.after.column()
                            + " from " + c.typeBefore().sql() + " to " + c.typeAfter().sql() + ", which is not "
                            + "binary-coercible: PostgreSQL rewrites " + ctx.table() + " and its indexes under ACCESS "
                            + "EXCLUSIVE, blocking reads and writes", newColumnFix(ctx, c));
                }
            }
        }
    }

    /** InnoDB extends a VARCHAR in place while its length prefix stays one byte (< 256 bytes, utf8mb4) or two. */
    static boolean mysqlInPlace(ColumnType a, ColumnType b) {
        return a.base().equals("varchar") && b.base().equals("varchar") && a.length() != null && b.length() != null
                && b.length() >= a.length() && (a.length() * 4 < 256) == (b.length() * 4 < 256);
    }

    private void unknownType(OperationContext ctx, FieldChange c) {
        ctx.reportUnknown(this, "AlterField " + c.target() + ": the column type before or after is unknown ("
                + c.before.fieldClass() + " -> " + c.after.fieldClass() + "), so whether " + ctx.table()
                + " is rewritten cannot be told", "check the SQL with `manage.py sqlmigrate " + ctx.app()
                + " " + ctx.migration().name() + "`: an ALTER COLUMN ... TYPE to a type with other bytes rewrites the table");
    }

    private static String newColumnFix(OperationContext ctx, FieldChange c) {
        String name = c.after.name();
        Map<String, String> nullable = new LinkedHashMap<>();
        nullable.put("null", "True");
        return "move to a new column over releases: AddField(" + Ddl.modelArg(ctx) + ", \"" + name + "_new\", "
                + Ddl.fieldSource(c.after, nullable) + "); write both columns from the code; backfill " + name
                + "_new in batches; switch reads; then remove " + name + " (and rename " + name + "_new keeping "
                + "db_column if the name matters)";
    }

    private void addField(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        Field f = c.after;
        if (f == null || !f.hasColumn()) {
            return;
        }
        Boolean stored = Ddl.storedGenerated(f);
        if (stored == null && ctx.database() != Database.SQLITE) {
            ctx.reportUnknown(this, "AddField " + c.target() + ": `db_persist` is not a literal, so whether the "
                    + "generated column is stored (a rewrite of " + ctx.table() + ") cannot be told", GENERATED_FIX);
            return;
        }
        switch (ctx.database()) {
            case SQLITE -> sqliteAddField(ctx, c);
            case MYSQL -> {
                if (stored) {
                    ctx.report(this, "AddField " + c.target() + " adds a stored generated column: MySQL copies "
                            + ctx.table() + " (ALGORITHM=COPY) to compute it for every row", GENERATED_FIX);
                }
            }
            default -> {
                if (stored) {
                    ctx.report(this, "AddField " + c.target() + " adds a stored GeneratedField: PostgreSQL computes it "
                            + "for every row, rewriting " + ctx.table() + " under ACCESS EXCLUSIVE (reads and writes "
                            + "wait)", GENERATED_FIX);
                    return;
                }
                if (!ctx.settings().postgresql().atLeast(11) && (f.has("default") || f.hasDbDefault())
                        && !ctx.isNewColumn(f.name()) && "AddField".equals(ctx.type())) {
                    ctx.report(this, "AddField " + c.target() + " with a default: on " + ctx.settings().postgresql().describe()
                            + " ADD COLUMN writes the default into every existing row, rewriting " + ctx.table()
                            + " under ACCESS EXCLUSIVE (reads and writes wait)", "add the column nullable without a "
                            + "default, backfill it in batches, then set the default and NOT NULL in a later migration; "
                            + "from PostgreSQL 11 a constant default is catalog-only");
                    return;
                }
                if (!f.hasDbDefault()) {
                    return;
                }
                Boolean volatileDefault = Ddl.volatileDefault(f.kw("db_default"), ctx);
                String dflt = Py.source(f.kw("db_default"));
                if (volatileDefault == null) {
                    ctx.reportUnknown(this, "AddField " + c.target() + " with db_default=" + dflt + ": whether that "
                            + "expression is volatile (one value per row: a rewrite of " + ctx.table()
                            + ") cannot be told", volatileFix(ctx, f, dflt));
                } else if (volatileDefault) {
                    ctx.report(this, "AddField " + c.target() + " with db_default=" + dflt + ": a volatile default is "
                            + "computed for every existing row, so PostgreSQL rewrites " + ctx.table()
                            + " under ACCESS EXCLUSIVE (reads and writes wait)", volatileFix(ctx, f, dflt));
                }
            }
        }
    }

    private static final String GENERATED_FIX = "add a plain nullable column that the code (or a trigger) fills, "
            + "backfill it in batches, then make it NOT NULL; or use db_persist=False where the database has virtual "
            + "generated columns (MySQL; PostgreSQL only from 18)";

    private static final String SQLITE_FIX = "expected on SQLite: run it when nothing writes to the database "
            + "(SQLite has one writer at a time), and check the table is not too big to copy";

    private static String volatileFix(OperationContext ctx, Field f, String dflt) {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("db_default", null);
        plain.put("null", "True");
        String name = "\"" + f.name() + "\"";
        return "(1) AddField(" + Ddl.modelArg(ctx) + ", " + name + ", " + Ddl.fieldSource(f, plain) + ") then AlterField("
                + Ddl.modelArg(ctx) + ", " + name + ", ... db_default=" + dflt + ") (SET DEFAULT on an existing column "
                + "only affects new rows: catalog only); (2) backfill the existing rows in batches; (3) set NOT NULL "
                + "in a later migration (see L207)";
    }

    private void sqliteAddField(OperationContext ctx, FieldChange c) {
        String reason = Ddl.sqliteAddRebuild(c.after);
        if (reason == null) {
            ctx.reportUnknown(this, "AddField " + c.target() + ": `null` or `unique` is not a literal, so whether SQLite "
                    + "rebuilds " + ctx.table() + " cannot be told", SQLITE_FIX);
        } else if (!reason.isEmpty()) {
            ctx.report(this, "AddField " + c.target() + " adds " + reason + ", which SQLite's ALTER TABLE ADD COLUMN "
                    + "cannot: Django rebuilds " + ctx.table() + " (new table, copy of every row, drop, rename) holding "
                    + "the database's write lock", SQLITE_FIX);
        }
    }

    private void removeField(OperationContext ctx) {
        if (ctx.database() != Database.SQLITE) {
            return;
        }
        Field f = ctx.oldField();
        if (f == null) {
            ctx.reportUnknown(this, "RemoveField " + ctx.modelLabel() + "." + ctx.str(1, "name") + ": the replayed "
                    + "state lacks the field, so whether SQLite rebuilds " + ctx.table() + " cannot be told", SQLITE_FIX);
            return;
        }
        if (Ddl.sqliteRemoveRebuilds(f)) {
            ctx.report(this, "RemoveField " + ctx.modelLabel() + "." + f.name() + " drops an indexed, unique or related "
                    + "column, which SQLite's DROP COLUMN cannot: Django rebuilds " + ctx.table() + " (new table, copy "
                    + "of every row, drop, rename) holding the database's write lock", SQLITE_FIX);
        }
    }
}
