package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;

/**
 * C114: AlterField on a primary key that changes its type, its column, or its auto-increment, or
 * that moves the primary key to another field: the table and every column that references it
 * are rewritten under lock.
 */
public final class AlterPrimaryKey extends OperationRule {

    public AlterPrimaryKey() {
        super(RuleInfo.classifying("C114", "alter-primary-key", DeployClass.DOWNTIME)
                .summary("AlterField that changes a primary key's type or column, or moves the primary key.")
                .why("""
                        A primary key's type change (AutoField -> BigAutoField is integer -> bigint) rewrites the
                        whole table and rebuilds its primary key index under an ACCESS EXCLUSIVE lock, and
                        Django then alters every foreign key column that references it, rewriting those tables
                        too: reads and writes of all of them wait until the last rewrite is done. Renaming the
                        key's column breaks old code's queries. Turning an auto-incrementing key into a plain
                        one of the same type only drops the sequence that old code's INSERTs rely on: that one
                        is two-phase (release 1 sets the key explicitly, release 2 drops the sequence).""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="id",
                            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False),
                        )""")
                .instead("""
                        If the change comes from DEFAULT_AUTO_FIELD, keep today's keys: set
                        `default_auto_field = "django.db.models.AutoField"` on the app's AppConfig (or declare
                        `id = models.AutoField(primary_key=True)` on the model) and drop the AlterField.
                        To really widen a big table's key: add a bigint column, keep it in sync with a trigger,
                        backfill it in batches, do the same for every referencing column, then swap the keys in
                        a short maintenance window and record the change with a state-only
                        SeparateDatabaseAndState(state_operations=[AlterField(...)]).""")
                .others("""
                        django-migration-linter reports ALTER_COLUMN for any column type change, and
                        strong_migrations flags change_column; neither follows the key into the referencing
                        tables. migsafe reads the replayed state: it names every foreign key that points at the
                        key, ignores binary-compatible widenings (varchar(n) -> varchar(m > n)), and points at
                        DEFAULT_AUTO_FIELD, the usual cause of AutoField -> BigAutoField. A key that is a relation
                        (a multi-table child's parent link, <parent>_ptr, or a one-to-one primary key) has the type
                        of the key it points at, followed up the parents: rewriting such a field with the same
                        column and target changes nothing."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AlterField".equals(ctx.type())) {
            return;
        }
        Field newF = ctx.newField();
        Field oldF = ctx.oldField();
        ModelState m = ctx.targetModel();
        if (newF == null) {
            return;
        }
        String target = ctx.modelLabel() + "." + newF.name();
        if (oldF == null || m == null) {
            if (newF.primaryKey()) {
                ctx.reportUnknown(this, "AlterField " + target + " declares a primary key, but the replayed state does "
                        + "not have the field: whether its type or column changes cannot be told",
                        "check the field's previous definition");
            }
            return;
        }
        boolean oldPk = oldF.primaryKey();
        boolean newPk = newF.primaryKey();
        if (!oldPk && !newPk) {
            return;
        }
        String refs = referrers(ctx, m, oldPk ? oldF : m.primaryKey());
        String fix = fix(oldF, newF);
        if (!oldPk) {
            Field current = m.primaryKey();
            ctx.report(this, "AlterField " + target + " makes " + newF.column() + " the primary key of " + m.table()
                    + (current == null ? "" : " instead of " + current.column()) + ": Django drops and re-creates the "
                    + "primary key under an ACCESS EXCLUSIVE lock" + (refs.isEmpty() ? "" : " and alters the "
                    + "columns that reference it (" + refs + ")"), fix);
            return;
        }
        if (!newPk) {
            ctx.report(this, "AlterField " + target + " removes the primary key of " + m.table() + " (" + oldF.column()
                    + ")" + (refs.isEmpty() ? "" : ", which " + refs + " reference"), fix);
            return;
        }
        List<String> changes = new ArrayList<>();
        if (!oldF.column().equals(newF.column())) {
            changes.add("renames its column " + oldF.column() + " to " + newF.column() + " (old code selects "
                    + oldF.column() + ")");
        }
        ColumnType from = ctx.columnType(oldF);
        ColumnType to = ctx.columnType(newF);
        if (from == null || to == null) {
            if (changes.isEmpty() && FieldDefinitions.sameType(oldF, newF)) {
                return;
            }
            if (changes.isEmpty()) {
                String change = oldF.fieldClass().equals(newF.fieldClass()) ? "new " + newF.simpleClass() + " arguments"
                        : oldF.simpleClass() + " -> " + newF.simpleClass();
                ctx.reportUnknown(this, "AlterField " + target + " changes the primary key of " + m.table() + " ("
                        + change + "), whose column type migsafe does not know: whether the table and its "
                        + "referencing columns are rewritten cannot be told", fix);
                return;
            }
        } else if (!from.widensTo(to)) {
            changes.add("changes its type from " + from.sql() + " to " + to.sql() + ", rewriting " + m.table()
                    + (refs.isEmpty() ? "" : " and the columns that reference it (" + refs + ")")
                    + " under ACCESS EXCLUSIVE locks");
        }
        boolean onlyAuto = changes.isEmpty();
        if (FieldDefinitions.isAuto(oldF) && !FieldDefinitions.isAuto(newF)) {
            changes.add("drops its auto-increment, so old code's INSERTs, which leave " + oldF.column() + " out, fail");
        } else {
            onlyAuto = false;
        }
        if (changes.isEmpty()) {
            return;
        }
        String msg = "AlterField " + target + " is the primary key of " + m.table() + " and "
                + String.join("; it also ", changes);
        if (onlyAuto) {
            // Same column, same type: only the sequence goes, which is cheap; old code must stop relying on it first.
            ctx.report(this, DeployClass.TWO_PHASE, ctx.op().line(), ctx.op().column(), msg, "release 1: make the "
                    + "code set " + oldF.name() + " on every INSERT (and bulk_create); release 2: this AlterField");
            return;
        }
        ctx.report(this, msg, fix);
    }

    /** The fields that reference the model's primary key, as "app.Model.field" (many-to-many ones marked). */
    private static String referrers(OperationContext ctx, ModelState m, Field pk) {
        List<String> out = new ArrayList<>();
        for (Relations.Referrer r : Relations.referrers(ctx.state(), m.key())) {
            String toField = r.field().string("to_field");
            if (toField != null && (pk == null || !toField.equalsIgnoreCase(pk.name()))) {
                continue; // references another column
            }
            out.add(r.label() + (r.field().isManyToMany() ? " via " + Relations.m2mTable(r.model(), r.field()) : ""));
        }
        for (Field f : m.fields().values()) {
            if (Relations.autoManyToMany(f)) {
                out.add(m.label() + "." + f.name() + " via " + Relations.m2mTable(m, f));
            }
        }
        return out.isEmpty() ? "" : Relations.list(out, 6);
    }

    private static String fix(Field oldF, Field newF) {
        if (oldF.simpleClass().equals("AutoField") && newF.simpleClass().equals("BigAutoField")) {
            return "if DEFAULT_AUTO_FIELD caused this, keep the key: set default_auto_field = "
                    + "\"django.db.models.AutoField\" on the app's AppConfig (or declare " + oldF.name()
                    + " = models.AutoField(primary_key=True)) and drop this AlterField; to widen it for real, add a "
                    + "bigint column kept in sync by a trigger, backfill it (and every referencing column), swap the "
                    + "keys in a short maintenance window, and record it with a state-only SeparateDatabaseAndState";
        }
        return "no online path: change the key in a maintenance window, or add the new key column, keep it in sync, "
                + "backfill it and every referencing column, swap in a short lock, and record it with a state-only "
                + "SeparateDatabaseAndState(state_operations=[AlterField(...)])";
    }
}
