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
import dev.migsafe.rules.Sql;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.Database;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * L209: an atomic migration whose data change (RunPython, RunSQL whose statements are
 * INSERT/UPDATE/DELETE/...) runs while a lock on an existing table is held, or is followed by DDL
 * on a table it changed rows of. Order matters: only a lock-taking operation *before* the data
 * change holds its lock through it ({@link MigrationContext#locks}, so the general exemptions
 * apply); a CreateModel's FK constraints and indexes are Django's deferred SQL, run when the schema
 * editor exits, so they land after the data change. A lock-taking operation after the data change
 * counts only when it alters a table the data change wrote ({@link RunPythonWrites}; every table
 * when migsafe cannot tell). PostgreSQL only: MySQL commits each DDL statement at once (see L211),
 * and SQLite locks the whole database for any write transaction anyway.
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
                        and a RunSQL whose statements change no row (SELECT setval(...), SET, ANALYZE).
                        Order matters: a data change that runs before every lock-taking operation holds no DDL
                        lock (operations that emit no SQL, such as an AlterField of verbose_name, take none), and
                        a CreateModel (or an AddField of a ManyToManyField, whose join table Django creates the same
                        way) before it does not count either, since Django defers the new table's foreign
                        key constraints and indexes to the end of the migration. DDL after the data change is
                        reported only on a table the data change writes: the models a RunPython fetches with
                        apps.get_model and writes through (update, create, save, delete ...), the tables of a
                        RunSQL's INSERT/UPDATE/DELETE; when migsafe cannot tell what a RunPython writes (raw SQL,
                        a helper handed `apps`, an imported model), any later DDL counts."""));
    }

    @Override
    public void check(MigrationContext mc) {
        if (!mc.atomic() || mc.settings().database() != Database.POSTGRESQL) {
            return;
        }
        List<Ddl.Indexed> ops = Ddl.databaseOperations(mc.operations());
        Ddl.Indexed held = null;
        for (int k = 0; k < ops.size(); k++) {
            Ddl.Indexed x = ops.get(k);
            Operation op = x.op();
            if (isData(op, mc.file())) {
                if (held != null) {
                    reportHeld(mc, x, held);
                    return;
                }
                Set<String> tables = writtenTables(mc, op);
                for (int j = k + 1; j < ops.size(); j++) {
                    String table = alteredAmong(mc, ops.get(j), tables);
                    if (table != null) {
                        reportPending(mc, x, ops.get(j), table);
                        return;
                    }
                }
                continue;
            }
            // CreateModel's FK constraints (and indexes) are deferred SQL: Django runs them when the
            // schema editor exits, at the end of the migration, so they lock nothing while data moves.
            // So are those of the join table an AddField of a ManyToManyField creates (no through=).
            if (held == null && isSchema(op) && !"CreateModel".equals(op.type()) && !addsJoinTable(op)
                    && LockDescriptions.takesLocks(mc.locks(x.index()))) {
                held = x;
            }
        }
    }

    /** AddField of a ManyToManyField without through=: Django creates the join table as it does a model's. */
    private static boolean addsJoinTable(Operation op) {
        return "AddField".equals(op.type()) && op.field() != null && op.field().simpleClass().equals("ManyToManyField")
                && !op.field().kwargs().containsKey("through");
    }

    /** An operation that runs DDL (everything but RunPython and a RunSQL that changes no schema). */
    private static boolean isSchema(Operation op) {
        return op.type() != null && !"RunPython".equals(op.type())
                && (!"RunSQL".equals(op.type()) || Ddl.sqlKind(op) == Ddl.SqlKind.SCHEMA);
    }

    /** The tables a data change writes, or null when migsafe cannot tell (then every table counts). */
    private static Set<String> writtenTables(MigrationContext mc, Operation op) {
        if ("RunSQL".equals(op.type())) {
            List<String> st = Ddl.statements(op.arg(0, "sql"));
            List<Sql.RowWrite> writes = st == null ? null : Sql.onlyRowWrites(st);
            if (writes == null) {
                return null;
            }
            Set<String> out = new HashSet<>();
            writes.forEach(w -> out.addAll(w.tables()));
            return out;
        }
        Set<String> models = RunPythonWrites.models(op, mc.file());
        if (models == null) {
            return null;
        }
        Set<String> out = new HashSet<>();
        for (String key : models) {
            ModelState m = mc.modelAtStart(key);
            out.add(m != null ? m.table() : key.replace('.', '_'));
        }
        return out;
    }

    /** The table (among {@code tables}, any when null) a later DDL operation takes a lock on, or null. */
    private static String alteredAmong(MigrationContext mc, Ddl.Indexed later, Set<String> tables) {
        if (!isSchema(later.op())) {
            return null;
        }
        List<String> locks = mc.locks(later.index());
        if (!LockDescriptions.takesLocks(locks)) {
            return null;
        }
        if (tables == null) {
            String target = Targets.of(mc.app(), later.op());
            return target == null ? "" : target;
        }
        for (String table : tables) {
            Pattern p = Pattern.compile("(?<![\\w.])" + Pattern.quote(table) + "(?![\\w])");
            if (locks.stream().anyMatch(l -> !l.startsWith("none") && p.matcher(l).find())) {
                return table;
            }
        }
        return null;
    }

    private void reportHeld(MigrationContext mc, Ddl.Indexed data, Ddl.Indexed ddl) {
        String migration = mc.app() + "." + mc.name();
        String what = describe(data.op());
        String schema = name(mc, ddl.op());
        mc.report(this, data.op(), data.index(), migration + " runs " + what + " after " + schema + " in the same "
                        + "transaction: the lock " + schema + " took (" + strongest(mc.locks(ddl.index()))
                        + ") is held until the whole migration commits, so it lasts as long as the data migration",
                "split it: keep the schema operations in " + migration + " and move " + what + " to a migration of its "
                        + "own that depends on it, so the DDL commits before the data moves; batch the data change "
                        + "if the table is big");
    }

    private void reportPending(MigrationContext mc, Ddl.Indexed data, Ddl.Indexed ddl, String table) {
        String migration = mc.app() + "." + mc.name();
        String what = describe(data.op());
        String schema = name(mc, ddl.op());
        mc.report(this, data.op(), data.index(), migration + " runs " + what + ", then " + schema + " alters "
                        + (table.isEmpty() ? "a table" : table) + (table.isEmpty() ? " it may have changed rows of" : ", whose rows it changes")
                        + ", in the same transaction: PostgreSQL may refuse that ALTER TABLE (pending trigger events "
                        + "of deferred foreign key checks), and its lock (" + strongest(mc.locks(ddl.index()))
                        + ") is held until the migration commits",
                "split it: move " + what + " to a migration of its own, so the rows are committed before "
                        + schema + " runs (or move the schema operation to the next migration)");
    }

    /** "AddField order.state", "RunSQL": an operation as the finding names it. */
    private static String name(MigrationContext mc, Operation op) {
        String target = Targets.of(mc.app(), op);
        return op.type() + (target == null || "RunSQL".equals(op.type()) ? "" : " " + target);
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
