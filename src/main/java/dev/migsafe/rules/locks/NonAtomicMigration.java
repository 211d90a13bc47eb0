package dev.migsafe.rules.locks;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Targets;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.Sql;
import dev.migsafe.state.Database;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * L211: a migration that runs several schema operations outside a transaction: `atomic = False`,
 * or any migration on MySQL, where every DDL statement commits on its own. Schema operations are
 * those that take locks on an existing table (so the general exemptions apply), RunSQL counting
 * when its SQL is DDL. Its fix depends on why `atomic = False` may be there: CONCURRENTLY
 * operations, DDL after a data change on the same table (PostgreSQL's pending trigger events),
 * or nothing.
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
                        migration with several schema operations has this problem.
                        `atomic = False` has one more known use: a data change (RunPython, or RunSQL that writes
                        rows) followed by DDL on a table it wrote. In one transaction PostgreSQL refuses that ALTER
                        TABLE while the changed rows have deferred foreign key checks pending ("cannot ALTER TABLE
                        ... because it has pending trigger events"), and turning the transaction off is the usual
                        workaround. L211 still reports such a migration, since a failure halfway leaves it
                        half-applied just the same, but its fix says that `atomic = False` is doing a job there and
                        names the split that does it without the risk. The tables are compared when the data change
                        is RunSQL whose written tables migsafe reads; a RunPython, or DDL in RunSQL, counts as
                        touching any table. A data change followed by DDL on other tables only, or by no DDL, needs
                        no `atomic = False` for that (a data change that commits in batches may want it: then it
                        belongs in a migration of its own).""")
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
                        one schema operation per migration. For DDL after a data change on the same table, split
                        the migration where the data change is: the schema operations before it, the data change,
                        and the DDL after it, each in an atomic migration of its own (Django commits between
                        migrations, so no trigger event is pending when the ALTER TABLE runs); or keep
                        `atomic = False` deliberately and record that with `# migsafe: ignore[L211] <reason>`.""")
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
        List<DataChange> data = new ArrayList<>();
        Pending pending = null;
        for (Ddl.Indexed x : Ddl.databaseOperations(mc.operations())) {
            Operation op = x.op();
            if (Ddl.concurrent(op.type()) || "RunSQL".equals(op.type()) && Ddl.concurrentStatement(op) != null) {
                concurrent.add(op.type());
            }
            if (SchemaAndData.isData(op, mc.file())) {
                data.add(new DataChange(SchemaAndData.describe(op), rowTables(op)));
            }
            if (op.type() == null || "RunPython".equals(op.type())
                    || "RunSQL".equals(op.type()) && Ddl.sqlKind(op) != Ddl.SqlKind.SCHEMA
                    || !LockDescriptions.takesLocks(mc.locks(x.index()))) {
                continue;
            }
            String target = Targets.of(mc.app(), op);
            String ddl = op.type() + (target == null || "RunSQL".equals(op.type()) ? "" : " " + target);
            schema.add(ddl);
            if (pending == null) {
                pending = pendingAfter(data, "RunSQL".equals(op.type()) ? SchemaAndData.describe(op) : ddl,
                        tableOf(mc, x));
            }
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
        mc.report(this, mc.migration().line(), mc.migration().column(), null, message,
                fix(mysql, migration, concurrent, data, pending));
    }

    private static String fix(boolean mysql, String migration, List<String> concurrent, List<DataChange> data,
                              Pending pending) {
        if (mysql) {
            return "keep one schema operation per migration on MySQL, so a failure leaves the database matching Django's "
                    + "record of applied migrations";
        }
        if (!concurrent.isEmpty()) {
            return "give each operation that needs `atomic = False` (" + String.join(", ", concurrent) + ") a migration "
                    + "of its own, and move the other operations of " + migration + " to an atomic migration";
        }
        if (pending != null) {
            // atomic = False is a real remedy here; the split is the one without the half-applied risk.
            return "`atomic = False` is what lets " + pending.ddl() + " run after " + pending.data() + " changed rows"
                    + (pending.table() == null ? "" : " of " + pending.table()) + ": in one transaction PostgreSQL may "
                    + "refuse it (\"cannot ALTER TABLE ... because it has pending trigger events\", left by the deferred "
                    + "foreign key checks of those rows). Splitting avoids both that and a half-applied migration: end "
                    + "the migration before the data change, give the data change a migration of its own, and move "
                    + pending.ddl() + " with what follows it to a third one, each atomic (Django commits between "
                    + "migrations, so nothing is pending when the DDL runs); or keep `atomic = False` on purpose "
                    + "and record that with `# migsafe: ignore[L211] <reason>`";
        }
        String needs = "nothing in " + migration + " needs `atomic = False` (only CONCURRENTLY operations do, and DDL "
                + "after a data change on the same table)";
        if (!data.isEmpty()) {
            return needs + ": move " + data.get(0).what() + " to a migration of its own (non-atomic if it commits in "
                    + "batches) and run the schema operations in an atomic migration";
        }
        return needs + ": remove it, and the migration runs in one transaction again";
    }

    /** A data change seen so far: how to name it, and the tables it writes (null: unknown, e.g. RunPython). */
    private record DataChange(String what, Set<String> tables) {}

    /** The first DDL that follows a data change on a table it may have written. */
    private record Pending(String data, String ddl, String table) {}

    private static Pending pendingAfter(List<DataChange> data, String ddl, String table) {
        for (DataChange d : data) {
            if (d.tables() == null || table == null) {
                return new Pending(d.what(), ddl, table);
            }
            if (d.tables().contains(table)) {
                return new Pending(d.what(), ddl, table);
            }
        }
        return null;
    }

    /** The tables a RunSQL writes (unqualified, lower case), or null when unknown (RunPython, SQL migsafe cannot read). */
    private static Set<String> rowTables(Operation op) {
        if (!"RunSQL".equals(op.type())) {
            return null;
        }
        List<String> statements = Ddl.statements(op.arg(0, "sql"));
        List<Sql.RowWrite> writes = statements == null ? null : Sql.onlyRowWrites(statements);
        if (writes == null) {
            return null;
        }
        Set<String> out = new HashSet<>();
        writes.forEach(w -> w.tables().forEach(t -> out.add(bare(t))));
        return out;
    }

    /** The table a schema operation alters (its model's, as the state had it before), or null when unknown (RunSQL). */
    private static String tableOf(MigrationContext mc, Ddl.Indexed x) {
        if ("RunSQL".equals(x.op().type()) || x.op() != mc.operations().get(x.index())) {
            return null; // a RunSQL's tables, or an operation inside SeparateDatabaseAndState: not told apart
        }
        ModelState m = mc.modelBefore(x.index());
        return m == null ? null : bare(m.table());
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
