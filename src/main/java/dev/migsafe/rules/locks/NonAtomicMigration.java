package dev.migsafe.rules.locks;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Targets;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * L211: a migration that runs several schema operations outside a transaction: `atomic = False`,
 * or any migration on MySQL, where every DDL statement commits on its own. Schema operations are
 * those that take locks on an existing table (so the general exemptions apply), RunSQL counting
 * when its SQL is DDL.
 */
public final class NonAtomicMigration extends MigrationRule {

    public NonAtomicMigration() {
        super(RuleInfo.of("L211", "non-atomic-unsafe", Severity.INFO)
                .summary("A migration with `atomic = False` (or any on MySQL) running several schema operations.")
                .why("""
                        Without a transaction each operation commits as it goes. If the third one fails, the first
                        two stay applied, Django does not record the migration as applied, and running it again
                        fails on what already exists: someone has to repair the database by hand. `atomic = False`
                        is needed for CREATE INDEX CONCURRENTLY, which is why such a migration should hold that one
                        operation only. On MySQL every DDL statement commits at once whatever `atomic` says, so any
                        migration with several schema operations has this problem.""")
                .example("""
                        class Migration(migrations.Migration):
                            atomic = False
                            operations = [
                                migrations.AddField("order", "note", models.TextField(null=True)),
                                AddIndexConcurrently("order", models.Index(fields=["created"], name="order_created_idx")),
                            ]""")
                .instead("""
                        Give each non-transactional operation (AddIndexConcurrently, RemoveIndexConcurrently) a
                        migration of its own and move the other operations to an atomic migration. On MySQL, keep
                        one schema operation per migration.""")
                .others("""
                        strong_migrations uses disable_ddl_transaction! for concurrent indexes and backfills, but
                        neither it nor django-migration-linter warns about a non-transactional migration holding
                        several schema operations."""));
    }

    @Override
    public void check(MigrationContext mc) {
        boolean mysql = mc.settings().database() == Database.MYSQL;
        if (mc.atomic() && !mysql) {
            return;
        }
        List<String> schema = new ArrayList<>();
        List<String> concurrent = new ArrayList<>();
        for (Ddl.Indexed x : Ddl.databaseOperations(mc.operations())) {
            Operation op = x.op();
            if (Ddl.concurrent(op.type()) || "RunSQL".equals(op.type()) && Ddl.concurrentStatement(op) != null) {
                concurrent.add(op.type());
            }
            if (op.type() == null || "RunPython".equals(op.type())
                    || "RunSQL".equals(op.type()) && Ddl.sqlKind(op) != Ddl.SqlKind.SCHEMA
                    || !LockDescriptions.takesLocks(mc.locks(x.index()))) {
                continue;
            }
            String target = Targets.of(mc.app(), op);
            schema.add(op.type() + (target == null || "RunSQL".equals(op.type()) ? "" : " " + target));
        }
        if (schema.size() < 2) {
            return;
        }
        String migration = mc.app() + "." + mc.name();
        String ops = schema.size() + " schema operations (" + String.join(", ", schema) + ")";
        String message = mysql
                ? migration + " runs " + ops + " on MySQL, where every DDL statement commits on its own (DDL is not "
                + "transactional, whatever `atomic` says)"
                : migration + " sets `atomic = False` and runs " + ops + " without a transaction";
        message += ": if a later one fails, the earlier ones stay applied, Django does not record the migration, and "
                + "running it again fails on what already exists";
        String fix = mysql
                ? "keep one schema operation per migration on MySQL, so a failure leaves the database matching Django's "
                + "record of applied migrations"
                : concurrent.isEmpty()
                ? "nothing in " + migration + " needs `atomic = False` (only CONCURRENTLY operations do): remove it, "
                + "and the migration runs in one transaction again"
                : "give each operation that needs `atomic = False` (" + String.join(", ", concurrent) + ") a migration "
                + "of its own, and move the other operations of " + migration + " to an atomic migration";
        mc.report(this, mc.migration().line(), mc.migration().column(), null, message, fix);
    }
}
