package dev.migsafe.rules.sql;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.DbChange.Flag;
import java.util.Set;

/** L214: REINDEX, VACUUM FULL, CLUSTER and LOCK TABLE hold a table lock for as long as the table is big. */
public final class LongExclusiveLock extends Rule implements JudgesSql {

    /** LOCK TABLE modes that block neither reads nor Django's writes. */
    private static final Set<String> WEAK_MODES = Set.of("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE");

    public LongExclusiveLock() {
        super(RuleInfo.of("L214", "long-exclusive-lock", Severity.WARNING)
                .summary("REINDEX, VACUUM FULL, CLUSTER, REFRESH MATERIALIZED VIEW or LOCK TABLE on an existing table: reads or writes wait for the whole run.")
                .why("""
                        These statements hold their lock for as long as the work takes, which grows with the
                        table: VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE (no reads, no
                        writes); REINDEX takes SHARE on the table and ACCESS EXCLUSIVE on the index, which every
                        query planned on the table waits for (proved on PostgreSQL: docs/lock-facts.md); LOCK TABLE holds the mode it names (ACCESS EXCLUSIVE by default) until the
                        migration commits; REFRESH MATERIALIZED VIEW without CONCURRENTLY holds ACCESS EXCLUSIVE
                        on the view while it recomputes. Old and new code wait, and so does every query queued
                        behind them.
                        LOCK TABLE in ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE or SHARE UPDATE EXCLUSIVE mode
                        blocks neither reads nor Django's writes and is not reported.""")
                .example("""
                        migrations.RunSQL("VACUUM FULL shop_order")""")
                .instead("""
                        REINDEX ... CONCURRENTLY (PostgreSQL 12+, in a migration with `atomic = False`); pg_repack
                        instead of VACUUM FULL or CLUSTER, run outside the deploy; for LOCK TABLE, the weakest
                        mode that protects what the SQL does, and a lock_timeout (L216)."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse()) {
            return;
        }
        boolean existing = ctx.existingTable() || c.kind() == DbChange.Kind.REINDEX && c.table() == null;
        if (!existing) {
            return;
        }
        switch (c.kind()) {
            case REINDEX -> {
                if (!c.has(Flag.CONCURRENTLY)) {
                    String what = c.table() != null ? ctx.table() : "the table of index " + c.name();
                    String fix = PostgresVersion.of(ctx.settings()) >= 12
                            ? "REINDEX " + ("table".equals(c.detail()) ? "TABLE" : "INDEX") + " CONCURRENTLY " + c.name()
                            + ", in a migration with `atomic = False`"
                            : "on " + PostgresVersion.label(ctx.settings()) + " REINDEX has no CONCURRENTLY: build a new "
                            + "index with CREATE INDEX CONCURRENTLY, drop the old one, rename the new one (atomic = False)";
                    ctx.report(this, "REINDEX blocks writes to " + what + ", and reads too: queries planned on the "
                            + "table wait for the index's ACCESS EXCLUSIVE lock while it rebuilds", fix);
                }
            }
            case VACUUM -> {
                if (c.has(Flag.FULL)) {
                    ctx.report(this, "VACUUM FULL rewrites " + ctx.table() + " under ACCESS EXCLUSIVE: no reads or writes "
                            + "until it ends", "reclaim space with pg_repack outside the deploy, or plain VACUUM");
                }
            }
            case REFRESH_VIEW -> {
                if (!c.has(Flag.CONCURRENTLY)) {
                    ctx.report(this, "REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on " + ctx.table() + " while it "
                            + "recomputes: every read of the view waits", "REFRESH MATERIALIZED VIEW CONCURRENTLY "
                            + ctx.table() + " (it needs a unique index on the view; reads continue)");
                }
            }
            case CLUSTER -> ctx.report(this, "CLUSTER rewrites " + ctx.table() + " under ACCESS EXCLUSIVE: no reads or "
                    + "writes until it ends", "use pg_repack (its --order-by) outside the deploy");
            case LOCK_TABLE -> {
                if (!WEAK_MODES.contains(c.detail())) {
                    ctx.report(this, "LOCK TABLE " + ctx.table() + " in " + c.detail() + " mode holds it until the migration "
                            + "commits: " + (c.detail().equals("ACCESS EXCLUSIVE") ? "reads and writes" : "writes")
                            + " wait for the rest of the migration", "take the weakest mode that protects what the SQL "
                            + "does, keep the migration short, and set a lock_timeout");
                }
            }
            default -> { }
        }
    }
}
