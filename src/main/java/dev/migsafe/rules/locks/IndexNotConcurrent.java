package dev.migsafe.rules.locks;

import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * L201: an index built with plain CREATE INDEX on a table in use: AddIndex, a field that gains
 * an index (db_index=True, or a ForeignKey, which Django indexes unless db_index=False), and new
 * index_together sets. PostgreSQL only: InnoDB builds secondary indexes online (LOCK=NONE), and
 * SQLite has no concurrent build to suggest.
 */
public final class IndexNotConcurrent extends OperationRule implements dev.migsafe.rules.JudgesSql {

    public IndexNotConcurrent() {
        super(RuleInfo.of("L201", "index-not-concurrent", Severity.WARNING)
                .summary("An index built without CONCURRENTLY on an existing table (AddIndex, db_index=True, a ForeignKey).")
                .why("""
                        CREATE INDEX takes a SHARE lock on the table for the whole build: reads go on, but every
                        INSERT, UPDATE and DELETE waits until the last row is indexed, minutes on a big table.
                        Django builds one for AddIndex, for a field with db_index=True, and for every ForeignKey
                        (unless db_index=False). CREATE INDEX CONCURRENTLY builds it without blocking writes, but
                        cannot run inside a transaction, hence `atomic = False`.""")
                .example("""
                        migrations.AddIndex(
                            model_name="order",
                            index=models.Index(fields=["created"], name="order_created_idx"),
                        )""")
                .instead("""
                        A migration of its own, not atomic, with the index built concurrently:
                            from django.contrib.postgres.operations import AddIndexConcurrently

                            class Migration(migrations.Migration):
                                atomic = False
                                operations = [
                                    AddIndexConcurrently(
                                        model_name="order",
                                        index=models.Index(fields=["created"], name="order_created_idx"),
                                    ),
                                ]
                        For a field's own index (db_index=True, a ForeignKey): SeparateDatabaseAndState with the
                        field as written in state_operations, and in database_operations the field with
                        db_index=False followed by AddIndexConcurrently.""")
                .others("""
                        django-migration-linter reports CREATE INDEX without CONCURRENTLY (CREATE_INDEX, PostgreSQL
                        only) from the SQL it generates; strong_migrations stops non-concurrent add_index and
                        add_reference in the same way. migsafe also reads the replayed state, so a ForeignKey's
                        implicit index counts, and indexes on tables created in the same migration or range do
                        not (an empty table locks for nothing)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.database() != Database.POSTGRESQL || ctx.type() == null) {
            return;
        }
        switch (ctx.type()) {
            case "AddIndex" -> addIndex(ctx);
            case "AddField", "AlterField" -> fieldIndex(ctx);
            case "AlterIndexTogether" -> indexTogether(ctx);
            default -> { }
        }
    }

    private void addIndex(OperationContext ctx) {
        Value index = ctx.op().arg(1, "index");
        String name = Ddl.nameOf(index);
        ctx.report(this, "AddIndex " + (name == null ? "" : name + " ") + "on " + ctx.modelLabel()
                        + " runs CREATE INDEX on " + ctx.table() + ": PostgreSQL holds a SHARE lock for the whole build, "
                        + "so every INSERT, UPDATE and DELETE on " + ctx.table() + " waits until it is done",
                "build it concurrently, in a migration of its own with `atomic = False`: "
                        + "AddIndexConcurrently(model_name=" + Ddl.modelArg(ctx) + ", index=" + Py.source(index) + ")"
                        + " (from django.contrib.postgres.operations import AddIndexConcurrently)");
    }

    private void fieldIndex(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null || !c.adding() && (c.before == null || !c.dbChange())) {
            return; // AlterField on a field the state lacks: L206 says what is unknown
        }
        Boolean added = c.indexAdded();
        Field f = c.after;
        if (added == null) {
            ctx.reportUnknown(this, ctx.type() + " " + c.target() + ": `db_index` or `unique` is not a literal, so "
                    + "whether Django builds an index on " + ctx.table() + " (blocking writes) cannot be told", fix(ctx, c));
            return;
        }
        if (!added) {
            return;
        }
        String why = f.isToOne() && !f.has("db_index") ? " (Django indexes a ForeignKey unless db_index=False)" : "";
        ctx.report(this, ctx.type() + " " + c.target() + " creates an index on " + ctx.table() + "." + f.column() + why
                + " with CREATE INDEX: PostgreSQL blocks writes to " + ctx.table() + " for the whole build", fix(ctx, c));
    }

    private static String fix(OperationContext ctx, FieldChange c) {
        Field f = c.after;
        String m = Ddl.modelArg(ctx);
        String name = "\"" + f.name() + "\"";
        String index = "models.Index(fields=[" + name + "], name=\"" + Ddl.indexName(ctx.modelName(), f.name()) + "\")";
        Map<String, String> noIndex = new LinkedHashMap<>();
        noIndex.put("db_index", "False");
        List<String> db = new ArrayList<>();
        if (c.adding() || !c.onlyIndexChanges()) {
            db.add("migrations." + ctx.type() + "(" + m + ", " + name + ", " + Ddl.fieldSource(f, noIndex) + ")");
        }
        db.add("AddIndexConcurrently(" + m + ", " + index + ")");
        return "in a migration with `atomic = False`, keep Django's state and build the index concurrently: "
                + "migrations.SeparateDatabaseAndState(state_operations=[migrations." + ctx.type() + "(" + m + ", " + name
                + ", " + Ddl.fieldSource(f, Map.of()) + ")], database_operations=[" + String.join(", ", db) + "])"
                + " (AddIndexConcurrently from django.contrib.postgres.operations)";
    }

    private void indexTogether(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        Set<String> before = m == null ? null : Ddl.togetherSets(m.options().get("index_together"));
        Set<String> after = Ddl.togetherSets(ctx.op().arg(1, "index_together"));
        if (before == null || after == null) {
            ctx.reportUnknown(this, "AlterIndexTogether on " + ctx.modelLabel() + ": the sets before or after are not "
                    + "known, so whether it builds indexes on " + ctx.table() + " (blocking writes) cannot be told",
                    "write index_together as a literal, or move to Meta.indexes and AddIndexConcurrently");
            return;
        }
        Set<String> added = Ddl.added(before, after);
        if (added.isEmpty()) {
            return;
        }
        List<String> ops = new ArrayList<>();
        for (String set : added) {
            List<String> fields = List.of(set.split(", "));
            ops.add("AddIndexConcurrently(" + Ddl.modelArg(ctx) + ", models.Index(fields=[\"" + String.join("\", \"", fields)
                    + "\"], name=\"" + Ddl.indexName(ctx.modelName(), String.join("_", fields)) + "\"))");
        }
        ctx.report(this, "AlterIndexTogether on " + ctx.modelLabel() + " adds index_together (" + String.join("), (", added)
                        + "): CREATE INDEX blocks writes to " + ctx.table() + " for the whole build",
                "in a migration with `atomic = False`, build the index concurrently and keep the state: "
                        + "migrations.SeparateDatabaseAndState(state_operations=[this AlterIndexTogether], "
                        + "database_operations=[" + String.join(", ", ops) + "]) (index_together is deprecated since "
                        + "Django 4.2: Meta.indexes with AddIndexConcurrently is the lasting form)");
    }

    /**
     * CREATE UNIQUE INDEX in SQL without CONCURRENTLY (a plain CREATE INDEX is judged as AddIndex):
     * SHARE on the table, so writes wait for the whole build.
     */
    @Override
    public void checkSql(dev.migsafe.rules.SqlContext ctx) {
        dev.migsafe.sql.DbChange c = ctx.change();
        if (ctx.reverse() || c.kind() != dev.migsafe.sql.DbChange.Kind.CREATE_INDEX || !c.has(dev.migsafe.sql.DbChange.Flag.UNIQUE)
                || c.has(dev.migsafe.sql.DbChange.Flag.CONCURRENTLY) || !ctx.existingTable()
                || ctx.database() != dev.migsafe.state.Database.POSTGRESQL) {
            return;
        }
        ctx.report(this, "CREATE UNIQUE INDEX takes SHARE on " + ctx.table() + ": writes wait for the whole index build",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + (c.name() == null ? "..." : c.name()) + " ON "
                        + ctx.table() + " (...), in a migration with `atomic = False`");
    }
}
