package dev.migsafe.rules.sql;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;
import java.util.List;
import java.util.regex.Pattern;

/**
 * L215: one statement that updates (or deletes) every row of a table, in an atomic migration whose
 * DDL locks that same table: the DDL's lock is held until the migration commits, so reads and
 * writes wait for the whole update, however long the table.
 */
public final class UpdateUnderDdlLock extends Rule implements JudgesSql {

    public UpdateUnderDdlLock() {
        super(RuleInfo.of("L215", "update-under-ddl-lock", Severity.WARNING)
                .summary("An UPDATE or DELETE of a whole table in the same atomic migration as DDL on that table: the DDL's lock lasts as long as the update.")
                .why("""
                        Locks last until the transaction ends. When an atomic migration alters a table (ACCESS
                        EXCLUSIVE, even for a catalog-only change) and also updates every row of it in one
                        statement, the table stays locked for the whole update: on a big table, minutes of
                        blocked reads and writes, old code's and new code's alike. The same holds when the
                        update comes first: its row locks block writers, and the DDL then blocks readers until
                        the commit. L209 reports schema and data in one migration in general; this rule names
                        the table and the statement when they meet on the same table.""")
                .example("""
                        migrations.RunSQL(\"""
                            ALTER TABLE shop_order ADD COLUMN channel varchar(20);
                            UPDATE shop_order SET channel = 'web';
                        \""")""")
                .instead("""
                        Put the DDL in one migration and the backfill in another, non-atomic one, in batches
                        (UPDATE ... WHERE id BETWEEN ... AND ...), each committed on its own."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || !ctx.atomic() || !ctx.existingTable() || c.table() == null) {
            return;
        }
        String table = c.table().name();
        String fix = "run the DDL in one migration and the backfill in a later, non-atomic one, in batches "
                + "(UPDATE ... WHERE id BETWEEN ...), each committed on its own";
        if (wholeTable(c)) {
            String lock = ctx.memory().lockedBefore(table) != null ? ctx.memory().lockedBefore(table) : earlierLock(ctx, table);
            if (lock != null && ctx.memory().once("L215 " + ctx.operation().index() + " " + table.toLowerCase())) {
                ctx.report(this, (c.kind() == DbChange.Kind.UPDATE ? "UPDATE" : "DELETE") + " of every row of "
                        + ctx.table() + " while this migration's DDL holds " + lock + " on it: reads and writes of "
                        + ctx.table() + " wait for the whole statement, and until the migration commits", fix);
            }
            return;
        }
        if (c.isRowWrite() || c.kind() == DbChange.Kind.SELECT) {
            return;
        }
        for (DbChange earlier : ctx.memory().migrationChanges()) {
            if (wholeTable(earlier) && earlier.table() != null && earlier.table().name().equalsIgnoreCase(table)
                    && ctx.memory().once("L215 " + ctx.operation().index() + " " + table.toLowerCase())) {
                ctx.report(this, "DDL on " + ctx.table() + " after an " + earlier.kind() + " of every row of it in the "
                        + "same transaction: the rows stay locked for writers from the update on, and the DDL's lock "
                        + "then blocks readers too, until the migration commits", fix);
                return;
            }
        }
    }

    private static boolean wholeTable(DbChange c) {
        return (c.kind() == DbChange.Kind.UPDATE || c.kind() == DbChange.Kind.DELETE) && !c.has(DbChange.Flag.WHERE);
    }

    /** The lock an earlier top-level operation of this migration took on the table ("ACCESS EXCLUSIVE"), or null. */
    private static String earlierLock(SqlContext ctx, String table) {
        Pattern on = Pattern.compile("^([A-Z ]+?) on .*\\b" + Pattern.quote(table) + "\\b");
        for (int i = 0; i < ctx.operation().index(); i++) {
            List<String> locks = ctx.operation().migration().locks(i);
            for (String l : locks) {
                var m = on.matcher(l);
                // DDL's modes; ROW EXCLUSIVE and ROW SHARE are an ordinary write's and read's.
                if (m.find() && !m.group(1).startsWith("ROW ") && (m.group(1).contains("EXCLUSIVE") || m.group(1).equals("SHARE"))) {
                    return m.group(1);
                }
            }
        }
        return null;
    }
}
