package dev.migsafe.rules.locks;

import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * L202: DROP INDEX without CONCURRENTLY on a table in use: RemoveIndex, a field that loses its
 * index (db_index=False), removed index_together sets. PostgreSQL only (InnoDB drops an index in
 * place, and SQLite has nothing better to offer).
 */
public final class DropIndexNotConcurrent extends OperationRule implements JudgesSql {

    public DropIndexNotConcurrent() {
        super(RuleInfo.of("L202", "drop-index-not-concurrent", Severity.INFO)
                .summary("An index dropped without CONCURRENTLY on an existing table (RemoveIndex, db_index=False).")
                .why("""
                        DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. The drop itself is quick, but the
                        lock must wait for every running query on the table, and every query that arrives meanwhile,
                        reads included, queues behind it: a long report query turns a quick drop into an outage.
                        DROP INDEX CONCURRENTLY waits for those queries without blocking others.""")
                .example("""
                        migrations.RemoveIndex(model_name="order", name="order_created_idx")""")
                .instead("""
                        from django.contrib.postgres.operations import RemoveIndexConcurrently

                        class Migration(migrations.Migration):
                            atomic = False
                            operations = [RemoveIndexConcurrently(model_name="order", name="order_created_idx")]
                        For a field's own index (db_index=False): SeparateDatabaseAndState with the AlterField in
                        state_operations and RunSQL("DROP INDEX CONCURRENTLY ...") in database_operations.""")
                .others("""
                        django-migration-linter warns on DROP INDEX without CONCURRENTLY (DROP_INDEX, PostgreSQL);
                        strong_migrations makes it an opt-in check because the drop is usually brief. migsafe reports
                        it as info for the same reason: the risk is the lock queue, not the drop."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.database() != Database.POSTGRESQL || ctx.type() == null) {
            return;
        }
        switch (ctx.type()) {
            case "RemoveIndex" -> {
                String name = ctx.str(1, "name");
                ctx.report(this, "RemoveIndex " + (name == null ? "" : name + " ") + "on " + ctx.modelLabel()
                                + " runs DROP INDEX: ACCESS EXCLUSIVE on " + ctx.table() + " waits for running queries, "
                                + "and every query on " + ctx.table() + " queues behind it",
                        "in a migration of its own with `atomic = False`: RemoveIndexConcurrently(model_name="
                                + Ddl.modelArg(ctx) + ", name=\"" + (name == null ? "<index name>" : name) + "\")"
                                + " (from django.contrib.postgres.operations import RemoveIndexConcurrently)");
            }
            case "AlterField" -> fieldIndex(ctx);
            case "AlterIndexTogether" -> indexTogether(ctx);
            default -> { }
        }
    }

    private void fieldIndex(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null || c.before == null || !c.dbChange() || !Boolean.TRUE.equals(c.indexDropped())) {
            return; // unknown flags: L201 reports them
        }
        Field f = c.before;
        String index = Ddl.djangoIndexName(ctx.table(), List.of(f.column()), "");
        ColumnType type = ctx.columnType(f);
        String like = type != null && (type.base().equals("varchar") || type.base().equals("text"))
                ? Ddl.djangoIndexName(ctx.table(), List.of(f.column()), "_like") : null;
        String dropLike = like == null ? "" : ", migrations.RunSQL('DROP INDEX CONCURRENTLY IF EXISTS \"" + like
                + "\"', reverse_sql=migrations.RunSQL.noop)";
        String message = "AlterField " + c.target() + " drops the index on " + ctx.table() + "." + f.column()
                + " with DROP INDEX: ACCESS EXCLUSIVE on " + ctx.table() + " waits for running queries, and every "
                + "query on " + ctx.table() + " queues behind it";
        if (!onlyIndexChanges(ctx, c)) {
            // The AlterField changes more than the index: replacing it by a bare DROP INDEX would lose the rest.
            ctx.report(this, message, "split it: first, in a migration with `atomic = False`, drop the index alone "
                    + "(RunSQL('DROP INDEX CONCURRENTLY IF EXISTS \"" + index + "\"') in database_operations, and the "
                    + "field with db_index=False and its other attributes unchanged in state_operations of a "
                    + "SeparateDatabaseAndState); then make the rest of the change in its own AlterField. Confirm the "
                    + "index name with `manage.py sqlmigrate` (a renamed table keeps its old index names)");
            return;
        }
        ctx.report(this, message,
                "in a migration with `atomic = False`: migrations.SeparateDatabaseAndState(state_operations=[migrations."
                        + "AlterField(" + Ddl.modelArg(ctx) + ", \"" + c.after.name() + "\", "
                        + Ddl.fieldSource(c.after, Map.of()) + ")], database_operations=[migrations.RunSQL('DROP INDEX "
                        + "CONCURRENTLY IF EXISTS \"" + index + "\"', reverse_sql='CREATE INDEX CONCURRENTLY \"" + index
                        + "\" ON \"" + ctx.table() + "\" (\"" + f.column() + "\")')" + dropLike + "]) (" + index
                        + (like == null ? " is the name" : " and " + like + " are the names") + " Django gave; "
                        + "`manage.py sqlmigrate` confirms)");
    }

    /** Whether the AlterField changes nothing in the database but the index: same class, column, type and target. */
    private static boolean onlyIndexChanges(OperationContext ctx, FieldChange c) {
        ColumnType before = ctx.columnType(c.before);
        ColumnType after = ctx.columnType(c.after);
        return c.before.fieldClass().equals(c.after.fieldClass()) && c.before.column().equals(c.after.column())
                && before != null && before.equals(after) && java.util.Objects.equals(c.before.target(), c.after.target());
    }

    private void indexTogether(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        Set<String> before = m == null ? null : Ddl.togetherSets(m.options().get("index_together"));
        Set<String> after = Ddl.togetherSets(ctx.op().arg(1, "index_together"));
        if (before == null || after == null) {
            return; // L201 reports the unknown sets
        }
        Set<String> removed = Ddl.added(after, before);
        if (removed.isEmpty()) {
            return;
        }
        ctx.report(this, "AlterIndexTogether on " + ctx.modelLabel() + " drops index_together (" + String.join("), (", removed)
                        + ") with DROP INDEX: ACCESS EXCLUSIVE on " + ctx.table() + " queues every query behind it",
                "in a migration with `atomic = False`: migrations.SeparateDatabaseAndState(state_operations=[this "
                        + "AlterIndexTogether], database_operations=[migrations.RunSQL('DROP INDEX CONCURRENTLY IF EXISTS "
                        + "\"<index name>\"')]) (`manage.py sqlmigrate` shows the index name)");
    }

    /** DROP INDEX in SQL without CONCURRENTLY: the same brief ACCESS EXCLUSIVE as RemoveIndex. */
    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || c.kind() != DbChange.Kind.DROP_INDEX || c.has(DbChange.Flag.CONCURRENTLY)
                || ctx.database() != dev.migsafe.state.Database.POSTGRESQL) {
            return;
        }
        ctx.report(this, "DROP INDEX " + c.name() + " takes ACCESS EXCLUSIVE on its table while dropping: brief, but "
                + "every query of the table waits behind it (and behind the transactions it waits for)",
                "DROP INDEX CONCURRENTLY IF EXISTS " + c.name() + " in a migration with `atomic = False`");
    }
}
