package dev.migsafe.rules.locks;

import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;

/**
 * L203: AddIndexConcurrently / RemoveIndexConcurrently (or RunSQL with CREATE/DROP INDEX
 * CONCURRENTLY) in a migration that runs in a transaction. A migration rule on purpose: the
 * migration fails whatever table it touches, so the new-table exemption must not hide it.
 */
public final class ConcurrentInAtomic extends MigrationRule implements JudgesSql {

    public ConcurrentInAtomic() {
        super(RuleInfo.of("L203", "concurrent-in-atomic", Severity.ERROR)
                .summary("AddIndexConcurrently/RemoveIndexConcurrently in a migration without `atomic = False`.")
                .why("""
                        PostgreSQL refuses CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY inside a
                        transaction block, and Django runs every migration in one unless it says `atomic = False`.
                        Django checks first and raises NotSupportedError: the migration cannot be applied anywhere,
                        whether the table is new or old, and the deploy stops there.""")
                .example("""
                        class Migration(migrations.Migration):
                            operations = [
                                AddIndexConcurrently(
                                    model_name="order",
                                    index=models.Index(fields=["created"], name="order_created_idx"),
                                ),
                            ]""")
                .instead("""
                        class Migration(migrations.Migration):
                            atomic = False
                            operations = [AddIndexConcurrently(...)]
                        and keep the concurrent operation alone in that migration: a non-atomic migration that fails
                        halfway is not rolled back (L211).""")
                .others("""
                        strong_migrations explains that a concurrent index without disable_ddl_transaction! fails;
                        django-migration-linter does not check it (Django raises when the migration runs). migsafe
                        reports it before the migration reaches a database, also for RunSQL with CREATE INDEX
                        CONCURRENTLY."""));
    }

    @Override
    public void check(MigrationContext mc) {
        if (!mc.atomic()) {
            return;
        }
        String migration = mc.app() + "." + mc.name();
        for (Ddl.Indexed x : Ddl.databaseOperations(mc.operations())) {
            Operation op = x.op();
            if (Ddl.concurrent(op.type())) {
                String on = op.arg(0, "model_name") instanceof Value.Str s
                        ? " on " + mc.app() + "." + s.value() : "";
                String message = op.type() + on + " in " + migration + ", which runs in a transaction (no `atomic = False`): ";
                message += mc.settings().database() == Database.POSTGRESQL
                        ? "PostgreSQL cannot build or drop an index CONCURRENTLY inside a transaction block, so Django "
                        + "raises NotSupportedError and the migration fails"
                        : op.type() + " is PostgreSQL-only (django.contrib.postgres); on "
                        + mc.settings().database().label() + " the migration fails in any case";
                mc.report(this, op, x.index(), message, fix(migration));
            } else if ("RunSQL".equals(op.type()) && mc.settings().database() == Database.POSTGRESQL) {
                String statement = Ddl.concurrentStatement(op);
                if (statement != null) {
                    mc.report(this, op, x.index(), "RunSQL `" + statement + "` in " + migration + ", which runs in a "
                            + "transaction (no `atomic = False`): PostgreSQL refuses it inside a transaction block and "
                            + "the migration fails", fix(migration));
                }
            }
        }
    }

    private static String fix(String migration) {
        return "add `atomic = False` to the Migration class of " + migration + ", and keep the concurrent operation "
                + "alone there (move the others to an atomic migration): a non-atomic migration that fails halfway "
                + "stays half-applied";
    }

    /**
     * What the migration-level check does not see: SQL that RunPython runs (CONCURRENTLY there fails
     * the same way) and VACUUM, which PostgreSQL never runs inside a transaction block.
     */
    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || !ctx.atomic() || ctx.database() != Database.POSTGRESQL) {
            return;
        }
        String migration = ctx.operation().migration().app() + "." + ctx.operation().migration().name();
        if (c.kind() == DbChange.Kind.VACUUM) {
            ctx.report(this, "PostgreSQL cannot run VACUUM inside a transaction block, and " + migration + " runs in one "
                    + "(no `atomic = False`): the migration fails", fix(migration));
        } else if (c.has(DbChange.Flag.CONCURRENTLY) && !"RunSQL".equals(ctx.operation().type())
                && c.kind() != DbChange.Kind.REFRESH_VIEW) {
            ctx.report(this, "CONCURRENTLY cannot run inside a transaction block, and " + migration + " runs in one "
                    + "(no `atomic = False`): the migration fails", fix(migration));
        }
    }
}
