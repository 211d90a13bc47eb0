package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;

/** C105: AlterField null=True -> null=False on a column old code may still write NULL to. */
public final class SetNotNull extends OperationRule {

    public SetNotNull() {
        super(RuleInfo.classifying("C105", "set-not-null", DeployClass.TWO_PHASE)
                .summary("AlterField from null=True to null=False on an existing column.")
                .why("""
                        Old code still running during the rollout has null=True in its model: it saves None
                        whenever the value is unset, and those INSERTs and UPDATEs fail once the column is NOT
                        NULL. Without a default, the migration itself fails if any row already holds NULL.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="note",
                            field=models.TextField(default=""),  # was models.TextField(null=True)
                        )""")
                .instead("""
                        Two releases. (1) Make every code path write a value (give the field a default in the
                        model, keep null=True) and backfill the NULL rows in batches:
                            Order.objects.filter(note__isnull=True).update(note="")
                        (2) AlterField to null=False. On PostgreSQL, SET NOT NULL scans the table under an
                        ACCESS EXCLUSIVE lock (L207); from PostgreSQL 12 a validated
                        CHECK (note IS NOT NULL) added NOT VALID first lets it skip the scan.""")
                .others("""
                        django-migration-linter flags a NOT NULL added to a column (NOT_NULL) unless a database
                        default remains. strong_migrations flags setting NOT NULL on an existing column for its
                        lock and recommends the NOT VALID check constraint. migsafe judges the rolling deploy
                        first: old code writes NULL, so the change needs a release of its own (two-phase); the
                        lock is reported separately (L207), and a post-deploy migration counts as that release.
                        When the column was added as nullable in the same analysed range, old code never knew it:
                        S501 reports the AlterField instead (both phases in one release), and C105 stays silent
                        so that one problem gives one error. On any other column the analysed range created
                        (through SeparateDatabaseAndState, or after a detour S501 does not follow), old code does
                        not save None: it leaves the column out of its INSERTs. C105 then says so, and reports
                        only a column without a database default (C101's hazard, on the AlterField that brings
                        it); with db_default, old code's rows get the default and nothing is reported. Nor is a
                        field old code always fills: auto_now/auto_now_add, or a non-None default on a field that
                        is not editable (a uuid token with default=uuid.uuid4, editable=False), which no form or
                        serializer built from the model offers; code that assigns None by hand is a bug the NOT NULL
                        now reports, not a contract."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Field[] sides = ColumnFacts.alteredColumn(ctx);
        if (sides == null) {
            return; // unknown field before: C104 asks for the review
        }
        Field before = sides[0];
        Field after = sides[1];
        if (before.primaryKey() || after.primaryKey() || after.simpleClass().equals("GeneratedField")) {
            return;
        }
        Boolean wasNullable = before.nullable();
        Boolean nullable = after.nullable();
        if (Boolean.FALSE.equals(wasNullable) || Boolean.TRUE.equals(nullable)) {
            return;
        }
        String target = ColumnFacts.target(ctx, after.name());
        if (wasNullable == null || nullable == null) {
            ctx.reportUnknown(this, "AlterField " + target + ": null=" + Py.source(before.kw("null")) + " before and null="
                    + Py.source(after.kw("null")) + " after are not both literals, so whether it sets NOT NULL cannot be told",
                    fix(ctx, after));
            return;
        }
        if (!ctx.isNewColumn(after.name()) && alwaysWritten(before)) {
            return; // old code's saves always carry a value: the ORM fills it and no form offers it
        }
        Value dflt = after.kw("default");
        String existing = dflt != null && !(dflt instanceof Value.None)
                ? " (Django fills existing NULL rows with the default first)"
                : ", and the migration fails if a row already holds NULL";
        if (ctx.isNewColumn(after.name())) {
            newColumn(ctx, target, after, existing);
            return;
        }
        ctx.report(this, "AlterField " + target + " sets " + ctx.table() + "." + after.column()
                + " NOT NULL: old code still saves None into it during the rollout and fails" + existing, fix(ctx, after));
    }

    /**
     * Whether old code never saves None into the field: it is filled by the ORM on every save
     * (auto_now, auto_now_add), or it has a default that is not None and is not editable, so no
     * form or serializer built from the model offers it (a uuid token with default=uuid.uuid4,
     * editable=False). Code that assigns None by hand is left out of this: it is a bug the NOT
     * NULL now reports, not a contract old code relies on.
     */
    private static boolean alwaysWritten(Field before) {
        if (Boolean.TRUE.equals(before.bool("auto_now", false)) || Boolean.TRUE.equals(before.bool("auto_now_add", false))) {
            return true;
        }
        Value dflt = before.kw("default");
        return dflt != null && !(dflt instanceof Value.None) && Boolean.FALSE.equals(before.bool("editable", true));
    }

    /**
     * A column the analysed range created: old code does not know it, so it never saves None into
     * it; it leaves the column out of its INSERTs, which get the database default. With one, old
     * code's rows get a value and nothing fails for it; without one (a Python default is not one),
     * they fail on NOT NULL, the hazard C101 reports for an AddField.
     */
    private void newColumn(OperationContext ctx, String target, Field after, String existing) {
        if (after.hasDbDefault()) {
            return;
        }
        ModelState m = ctx.targetModel();
        MigrationKey created = m == null ? null : m.columnCreatedBy(after.name());
        String where = created == null ? "" : " (" + created.app() + "." + created.name() + " created it in the analysed range)";
        ctx.report(this, "AlterField " + target + " sets " + ctx.table() + "." + after.column() + " NOT NULL" + where
                        + ": old code does not know it and leaves it out of its INSERTs, which fail during the rollout once "
                        + after.column() + " is NOT NULL without a database default" + existing,
                "give " + after.name() + " a database default (db_default=..., Django >= 5.0) so that old code's INSERTs "
                        + "get a value, or ship this AlterField in the next release, after a backfill of the rows old code "
                        + "wrote meanwhile (or in a post-deploy migration)");
    }

    private static String fix(OperationContext ctx, Field f) {
        Value dflt = f.kw("default");
        String value = dflt != null && Py.isConstant(dflt) && !(dflt instanceof Value.None) ? Py.source(dflt) : "<value>";
        String model = ctx.targetModel() != null ? ctx.targetModel().name() : ctx.modelName();
        return "release 1: keep null=True, make every code path write " + f.name() + " (e.g. default=" + value
                + " in the model) and backfill: " + model + ".objects.filter(" + f.name() + "__isnull=True).update("
                + f.name() + "=" + value + "); release 2: AlterField " + f.name() + " to null=False";
    }
}
