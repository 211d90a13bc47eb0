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
 * L208: a unique constraint whose index is built under lock on an existing table: AddField or
 * AlterField with unique=True (or a OneToOneField), new unique_together sets,
 * AddConstraint(UniqueConstraint). PostgreSQL only: InnoDB builds unique indexes online, and on
 * SQLite an AlterField rebuild is L206.
 */
public final class UniqueIndexLock extends OperationRule {

    public UniqueIndexLock() {
        super(RuleInfo.of("L208", "unique-index-lock", Severity.WARNING)
                .summary("A unique constraint on an existing table builds its index under lock.")
                .why("""
                        ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (what Django runs for unique=True,
                        unique_together and a plain UniqueConstraint) builds the unique index while holding
                        ACCESS EXCLUSIVE: no reads and no writes for the whole build. A UniqueConstraint with a
                        condition, expressions or include becomes CREATE UNIQUE INDEX, which still blocks writes.
                        CREATE UNIQUE INDEX CONCURRENTLY builds the same index without blocking, and
                        ADD CONSTRAINT ... UNIQUE USING INDEX then attaches it in a moment.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="number",
                            field=models.CharField(max_length=20, unique=True),
                        )""")
                .instead("""
                        In a migration with atomic = False, keep Django's state and build the index concurrently:
                            migrations.SeparateDatabaseAndState(
                                state_operations=[migrations.AlterField("order", "number",
                                                  models.CharField(max_length=20, unique=True))],
                                database_operations=[
                                    migrations.RunSQL('CREATE UNIQUE INDEX CONCURRENTLY "shop_order_number_uniq" '
                                                      'ON "shop_order" ("number")',
                                                      reverse_sql='DROP INDEX CONCURRENTLY "shop_order_number_uniq"'),
                                    migrations.RunSQL('ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_number_uniq" '
                                                      'UNIQUE USING INDEX "shop_order_number_uniq"'),
                                ],
                            )""")
                .others("""
                        strong_migrations flags unique constraints on PostgreSQL and suggests a concurrent unique index
                        first; django-migration-linter reports unique additions (ADD_UNIQUE) as backward incompatible
                        whatever the table. migsafe keeps the two apart: the lock (L208) and old code writing
                        duplicates (C106)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.database() != Database.POSTGRESQL || ctx.type() == null) {
            return;
        }
        switch (ctx.type()) {
            case "AddField", "AlterField" -> field(ctx);
            case "AlterUniqueTogether" -> uniqueTogether(ctx);
            case "AddConstraint" -> constraint(ctx);
            default -> { }
        }
    }

    private void field(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null || !c.adding() && (c.before == null || !c.dbChange())) {
            return;
        }
        Boolean added = c.uniqueAdded();
        Field f = c.after;
        if (added == null) {
            ctx.reportUnknown(this, ctx.type() + " " + c.target() + ": `unique` is not a literal, so whether a unique "
                    + "index is built on " + ctx.table() + " under ACCESS EXCLUSIVE cannot be told", "write unique= as a literal");
            return;
        }
        if (!added) {
            return;
        }
        String index = Ddl.djangoIndexName(ctx.table(), List.of(f.column()), "_uniq");
        String kind = f.simpleClass().equals("OneToOneField") ? " (a OneToOneField is unique)" : "";
        String op = "migrations.AlterField(" + Ddl.modelArg(ctx) + ", \"" + f.name() + "\", "
                + Ddl.fieldSource(f, Map.of()) + ")";
        String first = "";
        if (c.adding()) {
            Map<String, String> plain = new LinkedHashMap<>();
            plain.put("unique", null);
            first = "(1) AddField(" + Ddl.modelArg(ctx) + ", \"" + f.name() + "\", " + (f.simpleClass().equals("OneToOneField")
                    ? "a ForeignKey with the same arguments" : Ddl.fieldSource(f, plain)) + ") without the constraint; (2) ";
        }
        ctx.report(this, ctx.type() + " " + c.target() + " adds a UNIQUE constraint" + kind + " on " + ctx.table() + "."
                        + f.column() + ": PostgreSQL builds its index under ACCESS EXCLUSIVE, so reads and writes on "
                        + ctx.table() + " wait for the whole build",
                first + concurrentFix(ctx, op, index, List.of(f.column()), true));
    }

    private void uniqueTogether(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        Set<String> before = m == null ? null : Ddl.togetherSets(m.options().get("unique_together"));
        Set<String> after = Ddl.togetherSets(ctx.op().arg(1, "unique_together"));
        if (before == null || after == null) {
            ctx.reportUnknown(this, "AlterUniqueTogether on " + ctx.modelLabel() + ": the sets before or after are not "
                    + "known, so whether unique indexes are built on " + ctx.table() + " cannot be told",
                    "write unique_together as a literal, or use Meta.constraints");
            return;
        }
        for (String set : Ddl.added(before, after)) {
            List<String> columns = columns(m, List.of(set.split(", ")));
            String index = Ddl.djangoIndexName(ctx.table(), columns, "_uniq");
            ctx.report(this, "AlterUniqueTogether on " + ctx.modelLabel() + " adds unique_together (" + set + "): "
                            + "PostgreSQL builds its index under ACCESS EXCLUSIVE, so reads and writes on " + ctx.table()
                            + " wait for the whole build",
                    concurrentFix(ctx, "this AlterUniqueTogether", index, columns, true));
        }
    }

    private void constraint(OperationContext ctx) {
        Value constraint = ctx.op().arg(1, "constraint");
        Ddl.ConstraintKind kind = Ddl.constraintKind(constraint);
        if (kind != Ddl.ConstraintKind.UNIQUE && kind != Ddl.ConstraintKind.UNIQUE_INDEX) {
            return;
        }
        String name = Ddl.nameOf(constraint);
        Value.Call call = (Value.Call) constraint;
        List<String> fields = new ArrayList<>();
        if (call.kwargs().get("fields") instanceof Value.ListV l) {
            l.items().forEach(v -> fields.add(v instanceof Value.Str s ? s.value() : Py.source(v)));
        } else if (call.kwargs().get("fields") instanceof Value.TupleV t) {
            t.items().forEach(v -> fields.add(v instanceof Value.Str s ? s.value() : Py.source(v)));
        }
        List<String> columns = columns(ctx.targetModel(), fields);
        String index = name == null ? ctx.table() + "_uniq" : name;
        String op = "migrations.AddConstraint(" + Ddl.modelArg(ctx) + ", " + Py.source(constraint) + ")";
        if (kind == Ddl.ConstraintKind.UNIQUE) {
            ctx.report(this, "AddConstraint " + (name == null ? "" : name + " ") + "adds a UNIQUE constraint on "
                            + ctx.table() + " (" + String.join(", ", columns) + "): PostgreSQL builds its index under "
                            + "ACCESS EXCLUSIVE, so reads and writes on " + ctx.table() + " wait for the whole build",
                    concurrentFix(ctx, op, index, columns, true));
        } else {
            ctx.report(this, "AddConstraint " + (name == null ? "" : name + " ") + "runs CREATE UNIQUE INDEX on "
                            + ctx.table() + " (a UniqueConstraint with a condition, expressions or include): PostgreSQL "
                            + "blocks writes to " + ctx.table() + " for the whole build",
                    concurrentFix(ctx, op, index, columns, false));
        }
    }

    /** Field names -> column names, from the model state when it knows them. */
    private static List<String> columns(ModelState m, List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String name : fields) {
            Field f = m == null ? null : m.field(name);
            out.add(f == null ? name : f.column());
        }
        return out;
    }

    private static String concurrentFix(OperationContext ctx, String stateOp, String index, List<String> columns,
                                        boolean attach) {
        String table = ctx.table();
        String cols = columns.isEmpty() ? "<columns or expressions>" : "\"" + String.join("\", \"", columns) + "\"";
        String create = "migrations.RunSQL('CREATE UNIQUE INDEX CONCURRENTLY \"" + index + "\" ON \"" + table + "\" ("
                + cols + ")" + (attach ? "" : " WHERE <the condition in SQL>") + "', reverse_sql='DROP INDEX "
                + "CONCURRENTLY IF EXISTS \"" + index + "\"')";
        String using = attach ? ", migrations.RunSQL('ALTER TABLE \"" + table + "\" ADD CONSTRAINT \"" + index
                + "\" UNIQUE USING INDEX \"" + index + "\"', reverse_sql='ALTER TABLE \"" + table + "\" DROP CONSTRAINT \""
                + index + "\"')" : "";
        return "in a migration with `atomic = False`, build the index concurrently and keep Django's state: "
                + "migrations.SeparateDatabaseAndState(state_operations=[" + stateOp + "], database_operations=["
                + create + using + "])" + (attach ? " (USING INDEX only renames the built index into the constraint: "
                + "a brief lock)" : " (`manage.py sqlmigrate` prints the exact CREATE UNIQUE INDEX)");
    }
}
