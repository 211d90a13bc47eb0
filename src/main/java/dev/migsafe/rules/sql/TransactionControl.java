package dev.migsafe.rules.sql;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

/** L213: BEGIN, COMMIT or ROLLBACK in SQL that an atomic migration runs inside its own transaction. */
public final class TransactionControl extends Rule implements JudgesSql {

    public TransactionControl() {
        super(RuleInfo.of("L213", "transaction-control-in-atomic", Severity.ERROR)
                .summary("COMMIT or ROLLBACK (with or without BEGIN) inside a migration that Django runs in a transaction.")
                .why("""
                        Django runs an atomic migration (the default) in one transaction and records it as
                        applied in that same transaction. A COMMIT in its SQL ends that transaction early: what
                        ran before it is committed even if a later operation fails, the rest runs outside any
                        transaction, and the migration can end half-applied and unrecorded, so the next
                        `migrate` runs it again. A ROLLBACK silently undoes the operations before it. A BEGIN
                        alone only makes PostgreSQL warn (a transaction is already in progress) and is not
                        reported; SAVEPOINT and ROLLBACK TO SAVEPOINT stay inside the transaction and are fine.""")
                .example("""
                        migrations.RunSQL("BEGIN; ALTER TABLE shop_order ADD COLUMN note text; COMMIT;")""")
                .instead("""
                        Remove BEGIN/COMMIT from the SQL and let Django's transaction hold it. For statements
                        that must run outside a transaction (CREATE INDEX CONCURRENTLY), set `atomic = False`
                        on the migration instead."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        DbChange.Kind k = ctx.kind();
        // BEGIN alone only makes PostgreSQL warn inside a transaction; the COMMIT or ROLLBACK does the harm.
        if (ctx.reverse() || !ctx.atomic() || k != DbChange.Kind.COMMIT && k != DbChange.Kind.ROLLBACK) {
            return;
        }
        String what = switch (k) {
            case COMMIT -> "COMMIT ends the migration's transaction early: what ran before is committed even if a later "
                    + "step fails, the rest runs outside a transaction, and the migration can end half-applied and unrecorded";
            default -> "ROLLBACK undoes the migration's earlier operations and ends its transaction";
        };
        ctx.report(this, what, "remove BEGIN/COMMIT/ROLLBACK from the SQL; if a statement must run outside a "
                + "transaction, set `atomic = False` on the migration instead");
    }
}
