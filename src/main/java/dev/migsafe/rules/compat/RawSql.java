package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.RunPythonSql;
import dev.migsafe.rules.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * C199: RunSQL that runs real SQL, or a RunPython whose code runs SQL itself, that may change
 * the schema: migsafe reads SQL only as far as {@link Sql} does, so a human must judge it: review.
 * Empty SQL, RunSQL.noop, statements that {@link Sql#changesNothing change nothing} and SQL that
 * only {@link Sql#rowWrite writes rows} (a data migration in SQL, compatible as RunPython is) pass.
 */
public final class RawSql extends OperationRule {

    private static final int SHOWN = 80;

    public RawSql() {
        super(RuleInfo.classifying("C199", "raw-sql", DeployClass.REVIEW)
                .summary("RunSQL, or SQL a RunPython runs itself, that may change the schema: migsafe cannot tell what it does to old code or locks.")
                .why("""
                        RunSQL can do anything Django's operations do, and more: drop or rename columns, add
                        constraints, rewrite tables, take locks. migsafe reads SQL only as far as described
                        below, so for other statements it cannot tell whether old code keeps working or how long
                        tables stay locked; a human has to read them. (Its state_operations change Django's
                        state only; the SQL runs either way.)
                        Row changes only are a data migration, not a review: a RunSQL whose statements are all
                        INSERT, UPDATE, DELETE or MERGE (with or without WHERE), COPY ... FROM a file or STDIN,
                        or WITH queries that write rows (beside statements that change nothing, such as SELECT
                        setval) is compatible, as the same change in a RunPython is; PostgreSQL allows no DDL
                        inside any of them, and the verdict's reason names the tables written. Functions called
                        inside are taken to compute values, as ORM expressions do. L209 (schema and data in one
                        transaction) and R302 (no reverse_sql) look at it as before. An UPDATE or DELETE over a
                        whole big table is not reported either: migsafe does not know table sizes, one set-based
                        statement is the efficient way to write a backfill (D403 is about Python loops that
                        fetch and save row by row), and its row locks only matter beside DDL (L209); batch it
                        by key ranges in a non-atomic migration if the table is large. Still a review: TRUNCATE
                        (ACCESS EXCLUSIVE on the table, no row triggers), LOCK TABLE, DO blocks and CALL
                        (procedural code may run DDL), COPY FROM PROGRAM or COPY TO, writes to the database's
                        catalogs (pg_index, pg_catalog.*, information_schema: the schema behind its back), and
                        any text holding one statement of DDL or one migsafe does not know.
                        The same holds for a RunPython whose code sends SQL itself: schema_editor.execute(...),
                        cursor.execute(...) on connection.cursor() or schema_editor.connection.cursor(), or a
                        RunSQL run by hand (.database_forwards). Such code can create a trigger or a constraint
                        that rejects old code's writes, so it is reviewed, with the SQL quoted (literals and
                        module constants are read, and so is a for loop over a list or tuple of literal SQL,
                        a module constant or a local literal, statement by statement; SQL built at run time is named where it is built, unless
                        it is a "...".format(...) or "..." % (...) template whose text shows only row
                        changes: placeholders fill in names and values, not statements). Row changes there are
                        not reported, by the same reading as in RunSQL.
                        Left out: statements that clearly change neither the schema nor a row are not reported
                        (a SELECT without INTO, FOR UPDATE or a write, calling only well-known functions such
                        as setval, max, coalesce or pg_get_serial_sequence, as `sqlsequencereset` prints; SET,
                        RESET and SHOW of settings; ANALYZE; comments only). This reading is deliberately small
                        and conservative: any other statement, a SELECT of an unknown function (which may have
                        side effects), a WITH that writes nothing, and everything it is not sure of stay a
                        review.""")
                .example("""
                        migrations.RunSQL(
                            'ALTER TABLE "shop_order" ALTER COLUMN "note" SET NOT NULL',
                            reverse_sql='ALTER TABLE "shop_order" ALTER COLUMN "note" DROP NOT NULL',
                        )""")
                .instead("""
                        Prefer Django's own operations where one exists (migsafe judges them). For SQL that has
                        no Django equivalent, check it by hand: does old code still work against the result,
                        which locks does each statement take and for how long (SET lock_timeout), is it
                        batched? Then record the decision where the operation starts:
                            migrations.RunSQL(  # migsafe: ignore[C199] creates a trigger, no lock on reads
                                ...""")
                .others("""
                        django-migration-linter runs its SQL checks (DROP TABLE, RENAME, NOT NULL...) over the
                        statements of RunSQL. strong_migrations stops on every `execute` until it is wrapped in
                        `safety_assured`. migsafe asks for a review, which a suppression with its reason
                        records; empty SQL, RunSQL.noop, read-only statements and row changes pass."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if ("RunPython".equals(ctx.type())) {
            checkRunPython(ctx);
            return;
        }
        if (!"RunSQL".equals(ctx.type())) {
            return;
        }
        Value sql = ctx.op().arg(0, "sql");
        List<String> statements = new ArrayList<>();
        String opaque = statements(sql, statements);
        if (opaque != null) {
            ctx.reportUnknown(this, "RunSQL runs SQL that is not a literal (" + opaque + "): what it does to the schema "
                    + "and to old code cannot be told", "read the SQL it builds; if it is safe for old code and "
                    + "takes no long lock, suppress with `# migsafe: ignore[C199] <reason>`");
            return;
        }
        List<String> split = new ArrayList<>();
        statements.forEach(st -> split.addAll(Sql.split(st)));
        if (Sql.allChangeNothing(split)) {
            return; // empty SQL, RunSQL.noop, comments, or statements that change no schema and no row
        }
        if (Sql.onlyRowWrites(split) != null) {
            return; // a data migration in SQL: compatible as RunPython is (L209, R302 still look at it)
        }
        statements = split;
        // Quote the statement that needs the review, not a row change before it.
        String first = statements.stream().filter(st -> !Sql.changesOnlyRows(st)).findFirst().orElseThrow()
                .replaceAll("\\s+", " ");
        if (first.length() > SHOWN) {
            first = first.substring(0, SHOWN - 3) + "...";
        }
        String more = statements.size() > 1 ? " and " + (statements.size() - 1) + " more statement"
                + (statements.size() > 2 ? "s" : "") : "";
        ctx.report(this, "RunSQL runs `" + first + "`" + more + ": migsafe does not analyse SQL, so whether old code "
                + "keeps working and which locks it takes need a review", "check the statements by hand (old code "
                + "against the new schema, locks and their duration, batching); use a Django operation where one "
                + "exists, or record the decision with `# migsafe: ignore[C199] <reason>`");
    }

    /**
     * RunPython is no schema change only as long as its code changes no schema. Code that sends SQL
     * itself (schema_editor.execute, a cursor, RunSQL run by hand) is reviewed when that SQL may
     * change the schema: a statement other than a row change (INSERT/UPDATE/DELETE..., which is
     * what a data migration does through the ORM too), or SQL built at run time.
     */
    private void checkRunPython(OperationContext ctx) {
        List<RunPythonSql.Executed> changing = new ArrayList<>();
        String firstStatement = null;
        int statements = 0;
        for (RunPythonSql.Executed x : RunPythonSql.forward(ctx.op(), ctx.migration().file())) {
            if (x.sql() == null && x.template() != null && Sql.split(x.template()).stream().allMatch(Sql::changesOnlyRows)) {
                continue; // "UPDATE %s SET ..." % table: the placeholders fill names and values, not verbs
            }
            if (x.sql() == null) {
                changing.add(x);
                statements++;
                continue;
            }
            List<String> split = Sql.split(x.sql());
            if (split.stream().allMatch(Sql::changesOnlyRows)) {
                continue;
            }
            changing.add(x);
            for (String st : split) {
                if (!Sql.changesOnlyRows(st)) {
                    statements++;
                    if (firstStatement == null && changing.size() == 1) {
                        firstStatement = st;
                    }
                }
            }
        }
        if (changing.isEmpty()) {
            return;
        }
        RunPythonSql.Executed first = changing.get(0);
        String where = first.how() + " in " + first.function() + " on line " + first.pos().line();
        String more = statements > 1 ? " and " + (statements - 1) + " more statement" + (statements > 2 ? "s" : "") : "";
        String fix = "read the SQL: if it changes the schema (a trigger, a constraint, a column), do it with a Django "
                + "operation or RunSQL in a migration of its own and judge it as such; if it is safe for old code and "
                + "takes no long lock, record that with `# migsafe: ignore[C199] <reason>`";
        if (first.sql() == null) {
            ctx.report(this, "RunPython runs SQL built at run time (" + where + ": `" + shorten(first.source()) + "`)"
                    + more + ": it may change the schema, and what it does to old code and which locks it takes "
                    + "cannot be told", fix);
            return;
        }
        ctx.report(this, "RunPython runs SQL itself (" + where + ": `" + shorten(firstStatement) + "`)" + more
                + ": this is no longer a data-only operation, and migsafe does not analyse SQL, so whether old code "
                + "keeps working and which locks it takes need a review", fix);
    }

    private static String shorten(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() > SHOWN ? s.substring(0, SHOWN - 3) + "..." : s;
    }

    /**
     * Collects the non-blank statements of a RunSQL `sql` argument: a str, RunSQL.noop, or a list/tuple
     * of str or (sql, params) pairs. Returns the source of the first part that is not a literal, else null.
     */
    private static String statements(Value sql, List<String> out) {
        if (sql == null) {
            return "no sql argument";
        }
        if (sql instanceof Value.Str s) {
            if (!s.value().isBlank()) {
                out.add(s.value());
            }
            return null;
        }
        if (isNoop(sql)) {
            return null;
        }
        List<Value> items = sql instanceof Value.ListV l ? l.items() : sql instanceof Value.TupleV t ? t.items() : null;
        if (items == null) {
            return Py.source(sql);
        }
        for (Value item : items) {
            Value statement = item;
            if (item instanceof Value.TupleV t && !t.items().isEmpty()) {
                statement = t.items().get(0); // (sql, params)
            } else if (item instanceof Value.ListV l && !l.items().isEmpty()) {
                statement = l.items().get(0);
            }
            String opaque = statements(statement, out);
            if (opaque != null) {
                return opaque;
            }
        }
        return null;
    }

    private static boolean isNoop(Value v) {
        if (!(v instanceof Value.Ref r)) {
            return false;
        }
        String name = r.qualified() != null ? r.qualified() : r.source();
        return name.equals("django.db.migrations.RunSQL.noop") || name.endsWith("RunSQL.noop")
                && (r.qualified() == null || r.qualified().startsWith("django."));
    }
}
