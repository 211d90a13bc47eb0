package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OldCodeUses;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;

/** C102: RemoveField drops a column (or a join table) that old code still selects. */
public final class RemoveFieldInUse extends OperationRule {

    public RemoveFieldInUse() {
        super(RuleInfo.classifying("C102", "remove-field", DeployClass.TWO_PHASE)
                .summary("RemoveField on an existing table: old code still selects the column.")
                .why("""
                        Django names every column of a model in its SELECTs, INSERTs and UPDATEs. Once the
                        column is gone, old code still running during the rollout fails on every query of the
                        model, not only where the field is used. Removing a many-to-many field drops its join
                        table, and old code that reads or writes that relation fails the same way.""")
                .example("""
                        migrations.RemoveField(
                            model_name="order",
                            name="note",
                        )""")
                .instead("""
                        Two releases.
                        (1) Stop using the field: remove every reference from the code, and keep the column
                            out of Django's queries, e.g. with django-deprecate-fields:
                                note = deprecate_field(models.TextField())
                            If the column is NOT NULL without a database default, make it nullable in the same
                            release (AlterField with null=True, which deprecate_field does for you) or give it
                            db_default (Django >= 5.0): the new code no longer writes it, so its INSERTs would fail.
                        (2) Once no running code knows the field, RemoveField it (a post-deploy migration, if
                            your deploys run those after the rollout).""")
                .others("""
                        django-migration-linter reports every DROP COLUMN as backward incompatible (DROP_COLUMN);
                        strong_migrations refuses remove_column until the column is in ignored_columns and the
                        code is deployed. migsafe agrees (two-phase) and adds what the first release must also
                        do when the column is NOT NULL without a database default; it does not flag columns of
                        tables created in the analysed range, unmanaged or proxy models, or state-only removals
                        (SeparateDatabaseAndState.state_operations), which drop nothing. Nor does it flag a column
                        an AddField of the analysed range created (renamed since or not): old code never selected
                        it. A column whose name a later operation of the same migration gives back (RemoveField plan,
                        then RenameField plan_tmp -> plan) is not missed by old code either, which only sees the
                        schema before and after the transaction: C104 judges whether the column that takes the name
                        has the type old code knows. That holds for an atomic migration on PostgreSQL or SQLite; on
                        MySQL (every DDL statement commits) or with atomic = False the gap is visible and C102
                        stays, as it does when the name only comes back in a later migration. When the same range
                        also made the column nullable (or gave it a db_default) so that code could stop writing
                        it, S501 reports the removal instead, naming that first phase: one problem, one error.
                        migsafe also reads the deployed code (the range's base side, statically): when its model
                        no longer declares the field, or wraps it in deprecate_field, the removal is the second
                        release and is reported satisfied (info, compatible); otherwise the finding lists where
                        old code declares and uses the field (lookups, attributes, serializers, forms, admin,
                        templates), in JSON `evidence` and SARIF related locations. A model migsafe cannot read
                        completely (a third-party base class) leaves the finding as it is."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RemoveField".equals(ctx.type()) || ctx.modelDeletedLater()) {
            return; // a field of a model this migration deletes: C107 on the DeleteModel says what matters
        }
        String name = ctx.str(1, "name");
        ModelState model = ctx.targetModel();
        if (name == null) {
            ctx.reportUnknown(this, "RemoveField on " + ctx.modelLabel() + ": the field name is not a literal, so which "
                    + "column of " + ctx.table() + " it drops cannot be told",
                    "stop using the field in one release and remove it in the next");
            return;
        }
        if (model == null) {
            ctx.reportUnknown(this, "RemoveField " + ColumnFacts.target(ctx, name) + ": the replayed state has no model "
                    + ctx.modelLabel() + ", so whether it has a table old code reads cannot be told",
                    "check that " + ctx.modelLabel() + " is managed and shipped; if it is, stop using " + name
                            + " in one release and remove it in the next");
            return;
        }
        if (ctx.isNewColumn(name)) {
            return; // added in the analysed range: old code never selects it
        }
        Field f = ctx.oldField();
        String target = ColumnFacts.target(ctx, name);
        if (f != null && !f.hasColumn() && !f.isManyToMany()) {
            return; // a virtual field: nothing in the database
        }
        if (f != null && f.hasColumn() && ColumnReturns.later(ctx, f.column(), name, null)) {
            return; // the column name comes back in this transaction: old code never misses it (C104 judges its type)
        }
        if (f != null && f.hasColumn() && renamedInRange(ctx, model, f.column())) {
            return; // old code knows this column by its former name: the rename's C103 (or C104) already speaks for it
        }
        if (f != null && f.isManyToMany()) {
            if (f.has("through")) {
                return; // the through model keeps its table: no DDL, old code's queries still work
            }
            OldCodeUses.column(ctx, this, model.name(), ctx.table(), name, null, true, "RemoveField " + target
                    + " drops the join table of the many-to-many relation " + name
                    + ": old code that reads or writes it fails during the rollout", fix(ctx, f, name));
            return;
        }
        String column = f != null ? f.column() : name;
        OldCodeUses.column(ctx, this, model.name(), ctx.table(), name, column, true, "RemoveField " + target
                + " drops column " + ctx.table() + "." + column + ": old code still selects it, so every query of "
                + ctx.modelLabel() + " fails during the rollout", fix(ctx, f, name));
    }

    /**
     * Whether the range renamed this column before dropping it (RenameField note -> note_old,
     * then RemoveField note_old): the model is the one old code knows, but no column of that
     * name was in it when the range began.
     */
    private static boolean renamedInRange(OperationContext ctx, ModelState model, String column) {
        return ctx.migration().oldCode().model(model.key()) != null
                && ctx.migration().oldCode().column(model.key(), column) == null;
    }

    private static String fix(OperationContext ctx, Field f, String name) {
        String release1 = "release 1: stop using " + name + " in the code (e.g. `" + name
                + " = deprecate_field(...)` from django-deprecate-fields keeps it out of Django's queries)";
        String notNull = "";
        if (f == null || (f.hasColumn() && !f.hasDbDefault() && !Boolean.TRUE.equals(f.nullable())
                && !f.simpleClass().equals("GeneratedField"))) {
            String dbDefault = Boolean.FALSE.equals(ctx.settings().djangoAtLeast(5, 0)) ? ""
                    : " or give it db_default (Django >= 5.0)";
            notNull = (f == null ? " and, if the column is NOT NULL without a database default, "
                    : " and, as the column is NOT NULL without a database default, ")
                    + "make it nullable with AlterField(null=True)" + dbDefault
                    + ", else the new code's INSERTs fail";
        }
        return release1 + notNull + "; release 2: RemoveField " + name + " once no running code knows it";
    }
}
