package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * C199: RunSQL that runs real SQL. migsafe does not analyse SQL statements yet, so a human must
 * judge them: review. Empty SQL and RunSQL.noop run nothing.
 */
public final class RawSql extends OperationRule {

    private static final int SHOWN = 80;

    public RawSql() {
        super(RuleInfo.classifying("C199", "raw-sql", DeployClass.REVIEW)
                .summary("RunSQL with real SQL: migsafe cannot tell what it does to old code or locks.")
                .why("""
                        RunSQL can do anything Django's operations do, and more: drop or rename columns, add
                        constraints, rewrite tables, take locks, update millions of rows. migsafe does not
                        analyse SQL statements, so it cannot tell whether old code keeps working or how long
                        tables stay locked; a human has to read it. (Its state_operations change Django's state
                        only; the SQL runs either way.)""")
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
                        records; empty SQL and RunSQL.noop run nothing and pass."""));
    }

    @Override
    public void check(OperationContext ctx) {
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
        if (statements.isEmpty()) {
            return; // empty SQL or RunSQL.noop: nothing runs
        }
        String first = statements.get(0).strip().replaceAll("\\s+", " ");
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
