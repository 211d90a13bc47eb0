package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;

/** C115: AlterField whose db_column change renames the column. */
public final class ChangeDbColumn extends OperationRule {

    public ChangeDbColumn() {
        super(RuleInfo.classifying("C115", "change-db-column", DeployClass.DOWNTIME)
                .summary("AlterField that changes db_column: the column is renamed.")
                .why("""
                        Changing db_column (setting it, changing it, or removing it so that the field name is used)
                        renames the column. Old code still running during the rollout selects the old name and
                        fails on every query of the model; no deploy order makes old and new code both work.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="title",
                            field=models.CharField(max_length=100, db_column="headline"),  # was db_column="title_text"
                        )""")
                .instead("""
                        The column name is invisible to the code: keep the old db_column. To really rename the
                        column, expand and contract: add a field with the new column, write both, backfill, switch
                        reads, stop writing the old one and remove it.""")
                .others("""
                        django-migration-linter sees the RENAME COLUMN in the SQL (RENAME_COLUMN); strong_migrations
                        treats it as rename_column. migsafe compares the column names of the replayed field, so the
                        AlterField makemigrations writes before a field rename, which sets db_column to the name the
                        column already has, is not flagged; nor is a column added earlier in the analysed range, which
                        old code does not select (if the new name is one old code knows, C104 judges it)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Field[] sides = ColumnFacts.alteredColumn(ctx);
        if (sides == null) {
            return;
        }
        Field before = sides[0];
        Field after = sides[1];
        if (before.primaryKey() || after.primaryKey() || before.isToOne() != after.isToOne()) {
            return; // primary keys: C114; a field turned into or out of a relation: C118
        }
        if (ctx.isNewColumn(before.name())) {
            return; // added in the analysed range: old code does not select it (C104 judges a name it brings back)
        }
        if (before.has("db_column") && after.has("db_column")
                && Py.source(before.kw("db_column")).equals(Py.source(after.kw("db_column")))) {
            return; // the same db_column, literal or not
        }
        if (!literalColumn(before) || !literalColumn(after)) {
            ctx.reportUnknown(this, "AlterField " + ColumnFacts.target(ctx, after.name()) + ": db_column is not a literal "
                    + (literalColumn(before) ? "after" : "before") + " the change, so whether the column of "
                    + ctx.table() + " is renamed cannot be told", "keep db_column unchanged");
            return;
        }
        if (before.column().equals(after.column())) {
            return;
        }
        ctx.report(this, "AlterField " + ColumnFacts.target(ctx, after.name()) + " renames column " + ctx.table() + "."
                + before.column() + " to " + after.column() + " (db_column): old code still selects " + before.column()
                + " and fails on every query of " + ctx.modelLabel() + " during the rollout",
                "keep db_column=\"" + before.column() + "\" (the column name does not show in the code); to rename "
                        + "the column anyway, add a field with db_column=\"" + after.column() + "\", write both, "
                        + "backfill, switch reads, then remove " + after.name());
    }

    private static boolean literalColumn(Field f) {
        return !f.has("db_column") || f.string("db_column") != null;
    }
}
