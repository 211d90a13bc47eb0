package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OldCodeUses;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;

/** C103: RenameField that renames the column (or a many-to-many join table) old code uses. */
public final class RenameFieldColumn extends OperationRule {

    public RenameFieldColumn() {
        super(RuleInfo.classifying("C103", "rename-field", DeployClass.DOWNTIME)
                .summary("RenameField that renames the column: old code keeps using the old name.")
                .why("""
                        Renaming a field renames its column (and, for a many-to-many field, its join table).
                        Old code still running during the rollout selects the old column name and fails on
                        every query of the model; new code fails the same way against a database the
                        migration has not reached yet. No deploy order makes both work.""")
                .example("""
                        migrations.RenameField(
                            model_name="order",
                            old_name="title",
                            new_name="headline",
                        )""")
                .instead("""
                        Rename only in Python: keep the column with db_column,
                            headline = models.CharField(max_length=100, db_column="title")
                        makemigrations then writes AlterField(name="title", field=...(db_column="title")) before
                        the RenameField, and neither touches the database.
                        To rename the column too, expand and contract: (1) add the new field and write both;
                        (2) backfill, then read the new one; (3) stop writing the old one; (4) remove it.""")
                .others("""
                        django-migration-linter flags RENAME COLUMN in the generated SQL (RENAME_COLUMN), and
                        strong_migrations refuses rename_column and suggests the same expand-and-contract steps.
                        migsafe reads the replayed field: a rename that keeps the column (db_column equal to the
                        old column name, as makemigrations writes it), or renames a many-to-many field with its
                        own through model or db_table, changes nothing in the database and is not flagged. A field
                        whose column an AddField of the analysed range created (0043 AddField status_next, 0046
                        RenameField status_next -> status) is unknown to old code and not flagged; if the new name
                        is a column old code knows, C104 judges its type. A rename whose old column name a later
                        operation of the same atomic migration gives back (a swap) is left to C104 as well, and a
                        rename on a model the same migration deletes is left to C107.
                        As for C102, the deployed code (the range's base side) is read: a column its model no
                        longer maps (field removed or in deprecate_field) makes the rename satisfied; otherwise
                        the finding lists where old code uses the field."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RenameField".equals(ctx.type()) || ctx.modelDeletedLater()) {
            return; // a field of a model this migration deletes: C107 on the DeleteModel says what matters
        }
        String oldName = ctx.str(1, "old_name");
        String newName = ctx.str(2, "new_name");
        Field f = ctx.oldField();
        String target = ColumnFacts.target(ctx, oldName);
        if (oldName == null) {
            ctx.reportUnknown(this, "RenameField on " + ctx.modelLabel() + ": old_name is not a literal, so whether a "
                    + "column of " + ctx.table() + " is renamed cannot be told", "keep the column with db_column");
            return;
        }
        if (f == null || newName == null) {
            ctx.reportUnknown(this, "RenameField " + target + ": the field is not in the replayed state"
                    + (newName == null ? " or the new name is not a literal" : "")
                    + ", so whether its column keeps its name cannot be told",
                    "if the field has no db_column, keep the column with db_column=\"" + oldName + "\"");
            return;
        }
        if (ctx.isNewColumn(oldName)) {
            return; // added in the analysed range (and perhaps renamed since): old code does not know it
        }
        Field renamed = f.withName(newName);
        if (f.isManyToMany()) {
            if (f.has("through") || f.has("db_table")) {
                return; // the join table is named by the through model or db_table, not by the field
            }
            String before = ctx.table() + "_" + f.nameLower();
            String after = ctx.table() + "_" + renamed.nameLower();
            OldCodeUses.column(ctx, this, modelClass(ctx), ctx.table(), oldName, null, true, "RenameField " + target
                    + " -> " + newName + " renames the join table " + before + " to " + after + ": old code that uses "
                    + oldName + " fails during the rollout",
                    "keep the table: add db_table=\"" + before + "\" to the ManyToManyField (no database change), "
                            + "or add a new relation, write both, copy the rows, switch reads, remove " + oldName);
            return;
        }
        if (!f.hasColumn() || f.column().equals(renamed.column())) {
            return;
        }
        if (ColumnReturns.later(ctx, f.column(), oldName, newName)) {
            return; // another column takes the old name in this transaction: C104 judges what old code then sees
        }
        OldCodeUses.column(ctx, this, modelClass(ctx), ctx.table(), oldName, f.column(), true, "RenameField " + target
                + " -> " + newName + " renames column " + ctx.table() + "." + f.column() + " to " + renamed.column() + ": old code still selects " + f.column()
                + " and fails on every query of " + ctx.modelLabel() + " during the rollout",
                "keep the column: declare the renamed field with db_column=\"" + f.column() + "\" (makemigrations "
                        + "then writes an AlterField with db_column before the RenameField, and neither changes the "
                        + "database); or expand and contract: add " + newName + ", write both, backfill, switch reads, "
                        + "then remove " + oldName + " in a later release");
    }

    private static String modelClass(OperationContext ctx) {
        return ctx.targetModel() == null ? null : ctx.targetModel().name();
    }
}
