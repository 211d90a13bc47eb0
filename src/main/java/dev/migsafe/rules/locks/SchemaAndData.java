package dev.migsafe.rules.locks;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Targets;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * L209: an atomic migration that both changes the schema of existing tables and moves data
 * (RunPython, RunSQL whose statements are INSERT/UPDATE/DELETE/...). The schema side counts only
 * operations that take locks on an existing table (their {@link MigrationContext#locks}), so the
 * general exemptions apply: a RunPython that fills a table created in the same migration is fine.
 * PostgreSQL only: MySQL commits each DDL statement at once (see L211), and SQLite locks the whole
 * database for any write transaction anyway.
 */
public final class SchemaAndData extends MigrationRule {

    public SchemaAndData() {
        super(RuleInfo.of("L209", "schema-and-data", Severity.WARNING)
                .summary("One atomic migration mixes schema changes on existing tables with RunPython/RunSQL data changes.")
                .why("""
                        Django runs an atomic migration in one transaction, and PostgreSQL keeps every lock until
                        the transaction ends. The ACCESS EXCLUSIVE lock an AddField or AlterField took on the table
                        is then held for as long as the data migration runs: a quick DDL becomes an outage as long
                        as the backfill. The other way round, rows changed by the data migration leave deferred
                        foreign key checks pending, and PostgreSQL refuses a later ALTER TABLE on that table
                        ("cannot ALTER TABLE because it has pending trigger events").""")
                .example("""
                        operations = [
                            migrations.AddField("order", "status", models.CharField(max_length=10, null=True)),
                            migrations.RunPython(backfill_status, migrations.RunPython.noop),
                        ]""")
                .instead("""
                        Two migrations: the schema change in one, the data migration in the next one (which depends
                        on it), so the DDL commits, and releases its lock, before the data starts moving. Batch the
                        data migration on a big table (D403).""")
                .others("""
                        strong_migrations flags backfilling in the same transaction that alters a table and suggests
                        a separate migration without a DDL transaction; Django's own documentation advises against
                        mixing schema changes and RunPython on PostgreSQL. django-migration-linter does not check it.
                        migsafe leaves out a RunPython whose forward code does nothing (RunPython.noop, a lambda
                        returning None, a function of only pass or a docstring: it exists for its reverse_code)
                        and a RunSQL whose statements change no row (SELECT setval(...), SET, ANALYZE)."""));
    }

    @Override
    public void check(MigrationContext mc) {
        if (!mc.atomic() || mc.settings().database() != Database.POSTGRESQL) {
            return;
        }
        Ddl.Indexed firstData = null;
        List<String> schema = new ArrayList<>();
        String lock = null;
        for (Ddl.Indexed x : Ddl.databaseOperations(mc.operations())) {
            Operation op = x.op();
            if (op.type() == null || "RunPython".equals(op.type()) || "RunSQL".equals(op.type())) {
                if (isData(op, mc.file()) && firstData == null) {
                    firstData = x;
                }
                if (!"RunSQL".equals(op.type()) || Ddl.sqlKind(op) != Ddl.SqlKind.SCHEMA) {
                    continue;
                }
            }
            List<String> locks = mc.locks(x.index());
            if (!LockDescriptions.takesLocks(locks)) {
                continue;
            }
            String target = Targets.of(mc.app(), op);
            schema.add(op.type() + (target == null || "RunSQL".equals(op.type()) ? "" : " " + target));
            if (lock == null) {
                lock = strongest(locks);
            }
        }
        if (firstData == null || schema.isEmpty()) {
            return;
        }
        String migration = mc.app() + "." + mc.name();
        String data = describe(firstData.op());
        mc.report(this, firstData.op(), firstData.index(), migration + " runs " + data + " in the same transaction as "
                        + String.join(", ", schema) + ": the locks that DDL takes" + (lock == null ? "" : " (" + lock + ")")
                        + " are held until the whole migration commits, data migration included, and PostgreSQL may "
                        + "refuse an ALTER TABLE on rows changed earlier in the transaction (pending trigger events)",
                "split it: keep the schema operations in " + migration + " and move " + data + " to a migration of its "
                        + "own that depends on it (or the other way round), so the DDL commits before the data moves; "
                        + "batch the data change if the table is big");
    }

    /** A RunPython whose forward code does something (a forward no-op moves no data), or a RunSQL that moves rows. */
    static boolean isData(Operation op, MigrationFile file) {
        return "RunPython".equals(op.type()) && !RunPythonFunction.forwardIsNoop(op, file)
                || "RunSQL".equals(op.type()) && Ddl.sqlKind(op) == Ddl.SqlKind.DATA;
    }

    /** "RunPython fill_totals", "RunSQL `UPDATE shop_order SET ...`": a data migration as its finding names it. */
    static String describe(Operation op) {
        if ("RunPython".equals(op.type())) {
            Value code = op.arg(0, "code");
            return "RunPython " + (code instanceof Value.Ref r ? r.source() : Py.source(code));
        }
        List<String> st = Ddl.statements(op.arg(0, "sql"));
        String first = st == null || st.isEmpty() ? "" : st.get(0).replaceAll("\\s+", " ");
        return "RunSQL `" + (first.length() > 60 ? first.substring(0, 57) + "..." : first) + "`";
    }

    /** "ACCESS EXCLUSIVE on shop_order" out of a lock description, its parenthesis and "while ..." left out. */
    private static String strongest(List<String> locks) {
        for (String l : locks) {
            if (l.startsWith("ACCESS EXCLUSIVE")) {
                return l.replaceAll(" (\\(|while |for ).*$", "");
            }
        }
        return locks.get(0).replaceAll(" (\\(|while |for ).*$", "");
    }
}
