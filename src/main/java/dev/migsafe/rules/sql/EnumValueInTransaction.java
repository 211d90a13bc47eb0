package dev.migsafe.rules.sql;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;
import dev.migsafe.state.Database;

/**
 * L212: ALTER TYPE ... ADD VALUE in a migration that runs in a transaction. Before PostgreSQL 12
 * the statement itself fails there; from 12 it runs, but the new label cannot be used until the
 * transaction commits, so a later statement of the same migration that uses it fails.
 */
public final class EnumValueInTransaction extends Rule implements JudgesSql {

    public EnumValueInTransaction() {
        super(RuleInfo.of("L212", "enum-value-in-transaction", Severity.ERROR)
                .summary("ALTER TYPE ... ADD VALUE in an atomic migration: fails before PostgreSQL 12; from 12, the new value cannot be used before the migration commits.")
                .why("""
                        PostgreSQL before 12 refuses ALTER TYPE ... ADD VALUE inside a transaction block, and
                        Django runs an atomic migration (the default) in one. From PostgreSQL 12 the statement
                        runs, but the new label is unusable until the transaction commits: a later statement of
                        the same migration that writes or compares it fails with "unsafe use of new value". The
                        version is the `postgresql` configuration key (default: the oldest PostgreSQL the
                        configured Django supports).""")
                .example("""
                        migrations.RunSQL("ALTER TYPE order_status ADD VALUE 'refunded'")
                        migrations.RunSQL("UPDATE shop_order SET status = 'refunded' WHERE refunded_at IS NOT NULL")""")
                .instead("""
                        Put the ADD VALUE in a migration of its own with `atomic = False`, and the statements
                        that use the new value in a later migration."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        if (ctx.reverse() || !ctx.atomic() || ctx.database() != Database.POSTGRESQL) {
            return;
        }
        DbChange c = ctx.change();
        String fix = "move ALTER TYPE ... ADD VALUE to a migration of its own with `atomic = False`, and use the new "
                + "value in a later migration";
        if (c.kind() == DbChange.Kind.ALTER_TYPE_ADD_VALUE && PostgresVersion.of(ctx.settings()) < 12) {
            ctx.report(this, "PostgreSQL " + PostgresVersion.label(ctx.settings()) + " cannot run ALTER TYPE ... ADD "
                    + "VALUE inside a transaction block, and this migration runs in one (no `atomic = False`): it fails", fix);
            return;
        }
        for (DbChange earlier : ctx.memory().migrationChanges()) {
            if (earlier.kind() == DbChange.Kind.ALTER_TYPE_ADD_VALUE && earlier.value() != null
                    && ctx.statement().text().contains("'" + earlier.value().replace("'", "''") + "'")) {
                ctx.report(this, "it uses '" + earlier.value() + "', which ALTER TYPE " + earlier.name() + " ADD VALUE "
                        + "added earlier in this migration's transaction: PostgreSQL refuses a new enum value before the "
                        + "transaction commits (unsafe use of new value)", fix);
                return;
            }
        }
    }
}
