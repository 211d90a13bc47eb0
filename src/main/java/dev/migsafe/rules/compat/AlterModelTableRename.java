package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** C109: AlterModelTable that gives the model's table another name. */
public final class AlterModelTableRename extends OperationRule {

    public AlterModelTableRename() {
        super(RuleInfo.classifying("C109", "alter-model-table", DeployClass.DOWNTIME)
                .summary("AlterModelTable that renames the model's table.")
                .why("""
                        AlterModelTable runs ALTER TABLE ... RENAME TO (and renames the auto-created many-to-many
                        tables named after the table). Old code, still running during the rollout, queries the
                        old name and fails on every read and write; new code started before the migration
                        fails on the new name. No moment exists when both names work.""")
                .example("""
                        migrations.AlterModelTable(
                            name="order",
                            table="sales_order",
                        )""")
                .instead("""
                        Keep the table name (drop the `db_table` change) unless the rename is worth a
                        migration in steps. On PostgreSQL an updatable view bridges the rollout:
                            release 1: migrations.SeparateDatabaseAndState(
                                database_operations=[migrations.RunSQL(
                                    'ALTER TABLE "shop_order" RENAME TO "sales_order"; '
                                    'CREATE VIEW "shop_order" AS SELECT * FROM "sales_order"',
                                    reverse_sql='DROP VIEW "shop_order"; ALTER TABLE "sales_order" RENAME TO "shop_order"')],
                                state_operations=[migrations.AlterModelTable("order", "sales_order")])
                            release 2: migrations.RunSQL('DROP VIEW "shop_order"', reverse_sql=...)
                        Otherwise: create the new table, write to both, backfill, switch reads, stop writing the
                        old one and drop it, over several releases.""")
                .others("""
                        django-migration-linter reports RENAME_TABLE on the ALTER TABLE ... RENAME TO statement;
                        strong_migrations flags renaming a table and suggests a new table with dual writes.
                        migsafe compares the replayed table name with the new one, so an AlterModelTable that
                        only spells out today's name (e.g. adding `db_table` equal to Django's default) is
                        compatible."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AlterModelTable".equals(ctx.type())) {
            return;
        }
        ModelState m = ctx.targetModel();
        Value table = ctx.op().arg(1, "table");
        if (m == null) {
            ctx.reportUnknown(this, "AlterModelTable " + ctx.modelLabel() + ": the replayed migrations do not define "
                    + "this model, so whether its table is renamed cannot be told", "check the table's current name");
            return;
        }
        String newTable;
        if (table == null || table instanceof Value.None) {
            newTable = (m.app() + "_" + m.name()).toLowerCase(Locale.ROOT);
        } else if (table instanceof Value.Str s) {
            newTable = s.value();
        } else {
            ctx.reportUnknown(this, "AlterModelTable " + m.label() + ": table=" + Py.source(table)
                    + " is not a literal, so whether " + m.table() + " is renamed cannot be told",
                    "write the table name as a string literal");
            return;
        }
        String oldTable = m.table();
        if (oldTable.equals(newTable)) {
            return; // Django's alter_db_table does nothing when the name stays
        }
        List<String> m2m = new ArrayList<>();
        for (Field f : m.fields().values()) {
            if (Relations.autoManyToMany(f) && !f.has("db_table")) {
                m2m.add((oldTable + "_" + f.name()).toLowerCase(Locale.ROOT));
            }
        }
        String also = m2m.isEmpty() ? "" : " (and its many-to-many table" + (m2m.size() > 1 ? "s " : " ")
                + Relations.list(m2m, 3) + ")";
        ctx.report(this, "AlterModelTable " + m.label() + " renames table " + oldTable + " to " + newTable + also
                + ": old code still queries " + oldTable + " during the rollout and fails", fix(m, oldTable, newTable)
                + (m2m.isEmpty() ? "" : "; rename " + Relations.list(m2m, 3) + " the same way (Django names it after the "
                + "table)"));
    }

    private static String fix(ModelState m, String oldTable, String newTable) {
        return "keep " + oldTable + " (set db_table = \"" + oldTable + "\" or drop the change); or, on PostgreSQL, "
                + "release 1: SeparateDatabaseAndState(database_operations=[RunSQL('ALTER TABLE \"" + oldTable
                + "\" RENAME TO \"" + newTable + "\"; CREATE VIEW \"" + oldTable + "\" AS SELECT * FROM \"" + newTable
                + "\"')], state_operations=[AlterModelTable(\"" + m.name().toLowerCase(Locale.ROOT) + "\", \""
                + newTable + "\")]); release 2: RunSQL('DROP VIEW \"" + oldTable + "\"')";
    }
}
