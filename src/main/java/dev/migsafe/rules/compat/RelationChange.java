package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.Objects;

/**
 * C118: AlterField that turns a field into or out of a relation, points a relation at another
 * model (or column), or switches between a to-one relation and a many-to-many one.
 */
public final class RelationChange extends OperationRule {

    public RelationChange() {
        super(RuleInfo.classifying("C118", "relation-change", DeployClass.DOWNTIME)
                .summary("AlterField that turns a field into or out of a relation, changes its target, or FK <-> M2M.")
                .why("""
                        A relation is a column holding another table's keys (or, for many-to-many, a table of
                        pairs). Pointing a foreign key at another model keeps the old ids in the column while
                        the constraint now checks them against a different table: the migration fails, or the
                        rows point at the wrong objects, and old code keeps writing ids of the old model.
                        Turning a plain field into a ForeignKey renames its column (customer -> customer_id)
                        and usually changes its type; the reverse renames it back. Django cannot alter a field
                        to or from a many-to-many field at all (the migration raises ValueError). When a plain
                        field becomes a ForeignKey on the same column with the same type, only a constraint is
                        added: old code may write ids that match no row, so that case is two-phase (release 1
                        writes only valid ids and cleans up, release 2 adds the relation).""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="coupon",
                            field=models.ForeignKey(on_delete=models.PROTECT, to="shop.voucher"),
                        )""")
                .instead("""
                        Add the new relation as a new field, next to the old one (nullable), write both and
                        backfill it (mapping old ids to new ones), switch reads, then remove the old field in a
                        later release (RemoveField, C102). To turn an integer column that already holds ids into
                        a ForeignKey without renaming it, keep the column: `db_column="customer_id"`, same type
                        as the target's key; the new constraint then only needs valid ids.""")
                .others("""
                        django-migration-linter sees the SQL: RENAME_COLUMN or ALTER_COLUMN when the column is
                        renamed or retyped, nothing when only the constraint is re-pointed. strong_migrations
                        flags new foreign keys for the validation lock. migsafe compares the replayed relation
                        with the new one: a ForeignKey <-> OneToOneField change to the same target is not a
                        relation change (see C106 for the unique constraint), and a relation turned into a
                        plain field that keeps its column and type only drops a constraint. A foreign key moved from
                        a multi-table child to its parent (or to the model a one-to-one primary key points at) keeps
                        its ids, which all exist in the parent's table: not flagged (the new constraint's validation
                        is L204). The reverse, parent to child, is flagged: a parent row need not be a child. A field
                        an AddField of the analysed range created is not flagged: old code neither reads nor writes
                        it (a column name old code knows that it takes is judged by C104). A foreign key pointed
                        at another model whose key has the same column type, with db_constraint=False on the new
                        field, makes Django run no SQL at all: nothing fails, so the finding is info (compatible),
                        saying that existing rows and old code's writes still hold ids of the old target."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AlterField".equals(ctx.type())) {
            return;
        }
        Field newF = ctx.newField();
        Field oldF = ctx.oldField();
        ModelState m = ctx.targetModel();
        if (newF == null || isGeneric(newF) || oldF != null && isGeneric(oldF)) {
            return;
        }
        String target = ctx.modelLabel() + "." + newF.name();
        if (oldF == null || m == null) {
            if (relation(newF)) {
                ctx.reportUnknown(this, "AlterField " + target + " declares a relation, but the replayed state does "
                        + "not have the field: whether its target or kind changes cannot be told",
                        "check the field's previous definition");
            }
            return;
        }
        if (!relation(oldF) && !relation(newF)) {
            return;
        }
        if (ctx.isNewColumn(oldF.name())) {
            return; // added in the analysed range: old code neither reads nor writes it (C104 judges a name it brings back)
        }
        String table = m.table();
        if (oldF.isManyToMany() != newF.isManyToMany()) {
            ctx.report(this, "AlterField " + target + " turns a " + oldF.simpleClass() + " into a "
                    + newF.simpleClass() + ": Django cannot alter a field to or from a many-to-many field, so the "
                    + "migration fails (ValueError)", "add the new field under another name, copy the data "
                    + "(RunPython), switch the code to it, and remove " + oldF.name() + " in a later release");
            return;
        }
        if (oldF.isManyToMany()) {
            manyToMany(ctx, target, oldF, newF);
            return;
        }
        if (oldF.isToOne() && newF.isToOne()) {
            toOne(ctx, target, table, oldF, newF);
            return;
        }
        // One side is a plain field, the other a to-one relation.
        boolean into = newF.isToOne();
        Field rel = into ? newF : oldF;
        String kind = into ? "turns " + oldF.simpleClass() + " " + oldF.name() + " into a " + newF.simpleClass()
                + " to " + label(ctx, rel)
                : "turns " + oldF.simpleClass() + " " + oldF.name() + " (to " + label(ctx, rel) + ") into a plain "
                + newF.simpleClass();
        String fix = "add the " + (into ? "relation" : "plain field") + " as a new field, write both, backfill it, "
                + "switch reads, and remove " + oldF.name() + " in a later release; or keep the column with "
                + "db_column=\"" + oldF.column() + "\" and the same type";
        if (!oldF.column().equals(newF.column())) {
            ctx.report(this, "AlterField " + target + " " + kind + ", renaming column " + table + "." + oldF.column()
                    + " to " + newF.column() + ": old code selects " + oldF.column() + " and fails during the rollout",
                    fix);
            return;
        }
        ColumnType from = ctx.columnType(oldF);
        ColumnType to = ctx.columnType(newF);
        if (from == null || to == null) {
            ctx.reportUnknown(this, "AlterField " + target + " " + kind + ": the column type of "
                    + (from == null ? "the old field" : "the new field") + " is unknown, so whether " + table + "."
                    + oldF.column() + " is rewritten cannot be told", fix);
            return;
        }
        if (!from.equals(to)) {
            ctx.report(this, "AlterField " + target + " " + kind + ", changing column " + table + "." + oldF.column()
                    + " from " + from.sql() + " to " + to.sql() + ": the table is rewritten and old code may write "
                    + "values the new column rejects", fix);
            return;
        }
        if (into) {
            // Same column, same type: only a foreign key constraint (and an index) is added.
            ctx.report(this, DeployClass.TWO_PHASE, ctx.op().line(), ctx.op().column(), "AlterField " + target + " "
                    + kind + ", adding a foreign key constraint on " + table + "." + oldF.column() + ": old code may "
                    + "write ids that match no row and fail; existing dangling ids fail the migration",
                    "release 1: make sure the code writes only existing ids and clean up dangling rows; release 2: "
                            + "the AlterField (on PostgreSQL the constraint is validated under lock, see L204)");
        }
        // Out of a relation with the same column and type: only the constraint goes; old code is unaffected.
    }

    private void toOne(OperationContext ctx, String target, String table, Field oldF, Field newF) {
        String oldTo = oldF.target();
        String newTo = newF.target();
        if (oldTo == null || newTo == null) {
            if (oldTo == null && newTo == null && Objects.equals(Py.source(to(oldF)), Py.source(to(newF)))) {
                return; // the same unresolved target, written the same way
            }
            ctx.reportUnknown(this, "AlterField " + target + ": the relation's target ("
                    + Py.source(oldTo == null ? to(oldF) : to(newF)) + ") cannot be resolved, so whether it "
                    + "points at another model cannot be told", "write `to` as a literal \"app.Model\"");
            return;
        }
        String oldToField = oldF.string("to_field");
        String newToField = newF.string("to_field");
        if (!oldTo.equals(newTo) && Objects.equals(oldToField, newToField) && oldToField == null
                && ctx.keyAncestors(oldTo).contains(newTo)) {
            return; // from a child to its parent (or the model its one-to-one key points at): the ids are the same
        }
        boolean constraint = !Boolean.FALSE.equals(newF.bool("db_constraint", true));
        if (!oldTo.equals(newTo) && !constraint && oldF.column().equals(newF.column())) {
            ColumnType from = ctx.columnType(oldF);
            ColumnType to = ctx.columnType(newF);
            if (from != null && from.equals(to)) {
                // No constraint to add and the same column type: Django runs no SQL (at most it drops
                // the old constraint). Nothing fails; the ids already there are the data's problem.
                ctx.report(this, DeployClass.COMPATIBLE, ctx.op().line(), ctx.op().column(), "AlterField " + target
                        + " points " + table + "." + oldF.column() + " at " + label(ctx, newF) + " instead of "
                        + label(ctx, oldF) + " without a database constraint (db_constraint=False) and with the same "
                        + "column type (" + to.sql() + "): no SQL runs, but existing rows, and old code's writes during "
                        + "the rollout, hold " + label(ctx, oldF) + " ids that new code reads as " + label(ctx, newF)
                        + " ids", "make sure the values in " + oldF.column() + " are " + label(ctx, newF) + " ids "
                        + "(map or clear them in a data migration) if new code follows the relation");
                return;
            }
        }
        if (!oldTo.equals(newTo)) {
            ctx.report(this, "AlterField " + target + " points " + table + "." + oldF.column() + " at " + label(ctx, newF)
                    + " instead of " + label(ctx, oldF) + ": existing rows hold " + label(ctx, oldF) + " ids, which "
                    + (constraint ? "the new constraint checks against another table (the migration fails or rows "
                    + "point at the wrong objects)" : "no constraint checks, while Django changes the column type ("
                    + typeChange(ctx, oldF, newF) + ") and rows point at the wrong objects")
                    + ", and old code keeps writing " + label(ctx, oldF) + " ids", "add a new field for the "
                    + label(ctx, newF) + " relation (null=True), write both and backfill it by mapping the ids, switch "
                    + "reads, then remove " + oldF.name() + " in a later release");
        } else if (!Objects.equals(oldToField, newToField)) {
            ctx.report(this, "AlterField " + target + " makes " + table + "." + oldF.column() + " reference "
                    + label(ctx, newF) + "." + (newToField == null ? "its primary key" : newToField) + " instead of "
                    + (oldToField == null ? "its primary key" : oldToField) + ": existing values and old code's "
                    + "writes hold the old column's values", "add a new field with the new to_field, write both and "
                    + "backfill it, switch reads, then remove " + oldF.name() + " in a later release");
        }
    }

    /** "integer to bigint", or which side's type is unknown. */
    private static String typeChange(OperationContext ctx, Field oldF, Field newF) {
        ColumnType from = ctx.columnType(oldF);
        ColumnType to = ctx.columnType(newF);
        if (from == null || to == null) {
            return "the column type of " + (from == null ? "the old" : "the new") + " target's key is unknown";
        }
        return from.sql() + " to " + to.sql();
    }

    private void manyToMany(OperationContext ctx, String target, Field oldF, Field newF) {
        boolean oldAuto = Relations.autoManyToMany(oldF);
        boolean newAuto = Relations.autoManyToMany(newF);
        if (oldAuto != newAuto) {
            ctx.report(this, "AlterField " + target + (newAuto ? " removes" : " adds") + " the through model of a "
                    + "many-to-many field: Django cannot alter that, so the migration fails (ValueError)",
                    "to move an existing many-to-many table under a through model: SeparateDatabaseAndState with "
                            + "state_operations=[CreateModel(<through>, options={\"db_table\": \""
                            + Relations.m2mTable(ctx.targetModel(), oldF) + "\"}), AlterField(...)] and no database "
                            + "operations");
            return;
        }
        if (!oldAuto) {
            return; // both through models: Django changes nothing in the database
        }
        String oldTo = oldF.target();
        String newTo = newF.target();
        if (oldTo == null || newTo == null) {
            ctx.reportUnknown(this, "AlterField " + target + ": the many-to-many target cannot be resolved, so whether "
                    + "it points at another model cannot be told", "write `to` as a literal \"app.Model\"");
            return;
        }
        if (!oldTo.equals(newTo)) {
            ctx.report(this, "AlterField " + target + " points the many-to-many table "
                    + Relations.m2mTable(ctx.targetModel(), oldF) + " at " + label(ctx, newF) + " instead of " + label(ctx, oldF)
                    + ": Django renames and re-points its column, existing pairs hold " + label(ctx, oldF) + " ids, and old "
                    + "code still queries the old column", "add a new many-to-many field to " + label(ctx, newF)
                    + ", fill it, switch the code, and remove " + oldF.name() + " in a later release");
        }
    }

    private static boolean relation(Field f) {
        return f.isToOne() || f.isManyToMany();
    }

    private static boolean isGeneric(Field f) {
        return f.simpleClass().equals("GenericForeignKey") || f.simpleClass().equals("GenericRelation");
    }

    /** "app.Model" of a relation's target: the model's label when the state has it, else its key or source. */
    private static String label(OperationContext ctx, Field f) {
        ModelState m = ctx.state().model(f.target());
        if (m != null) {
            return m.label();
        }
        return f.target() != null ? f.target() : Py.source(to(f));
    }

    /** The relation's `to`, keyword or first positional argument. */
    private static dev.migsafe.python.eval.Value to(Field f) {
        if (f.kw("to") != null) {
            return f.kw("to");
        }
        return f.spec().args().isEmpty() ? null : f.spec().args().get(0);
    }
}
