package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OldCodeUses;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * C108: RenameModel renames the model's table (unless db_table keeps it) and, in every case, the
 * columns of the auto-created many-to-many tables that are named after the model.
 */
public final class RenameModelTable extends OperationRule {

    public RenameModelTable() {
        super(RuleInfo.classifying("C108", "rename-model", DeployClass.DOWNTIME)
                .summary("RenameModel that renames the table, or the many-to-many columns named after the model.")
                .why("""
                        Without `db_table`, a model's table is named after it (shop_order), so RenameModel runs
                        ALTER TABLE ... RENAME TO shop_purchase. Old code, still running during the rollout,
                        queries shop_order and fails on every read and write; new code fails the same way if it
                        starts before the migration. Django also renames the many-to-many tables named after
                        the model (shop_order_tags) and, even when `db_table` keeps the main table, the
                        order_id columns of every auto-created many-to-many table that involves the model.
                        There is no moment when both names work.""")
                .example("""
                        migrations.RenameModel(
                            old_name="Order",
                            new_name="Purchase",
                        )""")
                .instead("""
                        Keep the table: set `db_table = "shop_order"` in the renamed model's Meta and make the
                        rename a state-only change:
                            migrations.SeparateDatabaseAndState(state_operations=[
                                migrations.RenameModel("Order", "Purchase"),
                                migrations.AlterModelTable("purchase", "shop_order"),
                            ])
                        If the model has many-to-many fields, or others point at it with one, their tables have
                        order_id columns: give those fields an explicit `through` model (with
                        `db_table`/`db_column` keeping today's names) before the rename. To really move the data
                        to a new table: create it, write to both, backfill, switch reads, stop writing the old
                        one, drop it, over several releases.""")
                .others("""
                        django-migration-linter reports RENAME_TABLE when the migration's SQL contains
                        ALTER TABLE ... RENAME TO, and RENAME_COLUMN for the renamed many-to-many columns.
                        strong_migrations flags renaming a table and suggests a new table with dual writes.
                        migsafe reads the replayed state: a model with `db_table` keeps its table, so its
                        rename is compatible unless Django renames many-to-many columns named after it.
                        As for C107, the deployed code is read: a table no model class of it maps any longer
                        makes the rename satisfied; otherwise the finding lists where old code uses the model."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RenameModel".equals(ctx.type())) {
            return;
        }
        String newName = ctx.str(1, "new_name");
        ModelState m = ctx.targetModel();
        if (m == null || newName == null) {
            String what = m == null ? "the replayed migrations do not define " + ctx.modelLabel()
                    : "the new name is not a literal";
            ctx.reportUnknown(this, "RenameModel " + ctx.modelLabel() + ": " + what
                    + ", so whether its table is renamed cannot be told",
                    "check that the model sets `db_table` (then only the state changes); otherwise keep the table "
                    + "with `db_table` and a state-only SeparateDatabaseAndState(state_operations=[RenameModel(...), "
                    + "AlterModelTable(...)])");
            return;
        }
        String oldTable = m.table();
        String newTable = m.hasDbTable() ? oldTable : (m.app() + "_" + newName).toLowerCase(Locale.ROOT);
        List<String> columns = renamedM2mColumns(ctx, m, newName);
        if (oldTable.equals(newTable) && columns.isEmpty()) {
            return; // db_table keeps the table, and no many-to-many column is named after the model
        }
        StringBuilder msg = new StringBuilder("RenameModel " + m.label() + " -> " + newName);
        if (!oldTable.equals(newTable)) {
            msg.append(" renames table ").append(oldTable).append(" to ").append(newTable);
            List<String> m2m = new ArrayList<>();
            for (Field f : m.fields().values()) {
                if (Relations.autoManyToMany(f) && !f.has("db_table")) {
                    m2m.add(oldTable + "_" + f.nameLower() + " to " + newTable + "_" + f.nameLower());
                }
            }
            if (!m2m.isEmpty()) {
                msg.append(" (and ").append(Relations.list(m2m, 3)).append(")");
            }
            if (!columns.isEmpty()) {
                msg.append(" and renames ").append(Relations.list(columns, 4));
            }
        } else {
            msg.append(" keeps table ").append(oldTable).append(" (db_table) but renames ")
                    .append(Relations.list(columns, 4));
        }
        msg.append(": old code still uses the old names during the rollout and fails");
        OldCodeUses.table(ctx, this, m.name(), oldTable, msg.toString(), oldTable.equals(newTable) ? m2mFix(m, newName)
                : keepTableFix(m.name(), newName, oldTable) + (columns.isEmpty() ? "" : "; " + m2mFix(m, newName)));
    }

    /**
     * The columns ("column order_id of shop_order_tags to purchase_id") Django renames in auto-created many-to-many tables:
     * those of the model's own many-to-many fields, and those of other models' fields that point at it.
     */
    private static List<String> renamedM2mColumns(OperationContext ctx, ModelState m, String newName) {
        String oldLower = m.name().toLowerCase(Locale.ROOT);
        String newLower = newName.toLowerCase(Locale.ROOT);
        if (oldLower.equals(newLower)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Field f : m.fields().values()) {
            if (Relations.autoManyToMany(f)) {
                boolean self = m.key().equals(f.target());
                String table = Relations.m2mTable(m, f);
                if (self) {
                    out.add(column(table, "from_" + oldLower, "from_" + newLower));
                    out.add(column(table, "to_" + oldLower, "to_" + newLower));
                } else {
                    out.add(column(table, oldLower, newLower));
                }
            }
        }
        for (Relations.Referrer r : Relations.referrers(ctx.state(), m.key())) {
            if (Relations.autoManyToMany(r.field())) {
                out.add(column(Relations.m2mTable(r.model(), r.field()), oldLower, newLower));
            }
        }
        return out;
    }

    private static String column(String table, String oldPrefix, String newPrefix) {
        return "column " + oldPrefix + "_id of " + table + " to " + newPrefix + "_id";
    }

    private static String keepTableFix(String oldName, String newName, String table) {
        String newLower = newName == null ? "<new>" : newName.toLowerCase(Locale.ROOT);
        return "keep the table: add `db_table = \"" + table + "\"` to " + newName + "'s Meta and make the rename "
                + "state-only: migrations.SeparateDatabaseAndState(state_operations=[migrations.RenameModel(\""
                + oldName + "\", \"" + newName + "\"), migrations.AlterModelTable(\"" + newLower + "\", \"" + table
                + "\")])";
    }

    private static String m2mFix(ModelState m, String newName) {
        return "the many-to-many tables name their column after the model: before renaming " + m.name() + " to "
                + newName + ", give those fields an explicit `through` model whose columns keep today's names "
                + "(db_column), or rename in a maintenance window";
    }
}
