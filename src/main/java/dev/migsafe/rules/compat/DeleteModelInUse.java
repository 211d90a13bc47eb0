package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.OldCodeUses;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;

/** C107: DeleteModel drops a table that old code still queries, and that other models may still reference. */
public final class DeleteModelInUse extends OperationRule {

    public DeleteModelInUse() {
        super(RuleInfo.classifying("C107", "delete-model", DeployClass.TWO_PHASE)
                .summary("DeleteModel of an existing table that the old code still uses.")
                .why("""
                        Migrations run before the new code rolls out. While the rollout lasts, old code still
                        has the model: every query, join, prefetch or admin page that touches it fails once
                        the table is gone (relation "app_model" does not exist). Rolling back the code does not
                        help either: the table, and its rows, are gone. Foreign keys of other models that
                        point at it silently lose their constraint (Django drops the table with CASCADE).""")
                .example("""
                        migrations.DeleteModel(
                            name="Coupon",
                        )""")
                .instead("""
                        Two releases:
                        (1) remove every use of the model from the code, and the foreign keys and
                            many-to-many fields of other models that point at it (RemoveField, judged by C102);
                            keep the table. To drop the model from Django's state already, wrap the operation:
                                migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Coupon")])
                        (2) once no running code uses it, drop the table in a later migration (or in a
                            post-deploy migration): DeleteModel, or RunSQL('DROP TABLE "shop_coupon"') after the
                            state-only step.""")
                .others("""
                        django-migration-linter reports DROP_TABLE on the DROP TABLE statement it finds in the
                        migration's SQL. strong_migrations has no check for dropping a table. migsafe reads the
                        replayed state: it names the foreign keys that still point at the model, leaves tables
                        created in the analysed range and unmanaged or proxy models alone, and accepts the drop
                        in a post-deploy migration as the second phase. A model the replayed migrations do not
                        define (created by SQL, or by a migration migsafe could not read) is still dropped by
                        DeleteModel: two-phase as well, with the table named as Django would by default and a note
                        that its state is unknown.
                        A table the range creates under the name of a table it dropped or renamed away
                        (DeleteModel "Task" then CreateModel "Task"; a new model renamed, or moved by
                        AlterModelTable, onto the freed name) is no new table to old code, which still
                        queries that name: C107 reports that CreateModel, RenameModel or AlterModelTable too,
                        naming the columns old code selects that the table lacks, the NOT NULL columns without
                        a database default its INSERTs leave out, and the columns whose type changed; with none
                        of these the operation stays compatible and its reason says so (the drop's C107 already
                        says the rows are gone). Later operations on that table are judged as on an existing
                        table for what old code reads and writes, but not for locks: it is empty when the
                        migration runs. An existing table moved onto a freed name is C108/C109's.
                        When the deployed code (the range's base side, read statically) no longer has a model
                        class for the table, or still declares it but names it nowhere else (no query,
                        relation, admin, serializer or form) and nothing reaches it unnamed (no relation to
                        another model, whose deletes query this table; no multi-table parent; no base class
                        migsafe cannot read), the drop is the second release: satisfied (info).
                        Otherwise the finding lists where old code uses the model."""));
    }

    /** It judges the table a new model takes (see {@link TableReuse}); a new table's drop it leaves alone itself. */
    @Override
    public boolean judgesExemptTargets() {
        return true;
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"DeleteModel".equals(ctx.type())) {
            TableReuse.check(this, ctx);
            return;
        }
        String name = ctx.modelName();
        ModelState m = ctx.targetModel();
        if (ctx.exempt(m)) {
            return; // a table the range created under a new name, or no table of its own
        }
        if (name == null) {
            ctx.reportUnknown(this, "DeleteModel with a name that is not a literal: which table it drops cannot be told",
                    "write the model name as a string literal");
            return;
        }
        if (m == null) {
            // Still a DROP TABLE: Django drops the table of the model as its state has it. The replay
            // not knowing the model (created by SQL, or by a migration it could not read) makes the
            // table's name a guess, not the drop any safer.
            ctx.report(this, "DeleteModel " + ctx.app() + "." + name + " drops table " + ctx.table() + " (Django's "
                    + "default name: the replayed migrations do not define this model, so its db_table, and whether it "
                    + "is managed, are unknown) while old code may still query it during the rollout",
                    fix(ctx.modelLabel(), ctx.table(), name, List.of()));
            return;
        }
        List<String> referrers = new ArrayList<>();
        Relations.referrers(ctx.state(), m.key()).forEach(r -> referrers.add(r.label()));
        List<String> m2m = Relations.ownM2mTables(m);
        StringBuilder msg = new StringBuilder("DeleteModel " + m.label() + " drops table " + m.table());
        if (!m2m.isEmpty()) {
            msg.append(" and its many-to-many table").append(m2m.size() > 1 ? "s " : " ").append(Relations.list(m2m, 3));
        }
        msg.append(" while old code still queries it during the rollout");
        if (!referrers.isEmpty()) {
            msg.append("; still referenced by ").append(Relations.list(referrers, 5));
        }
        OldCodeUses.table(ctx, this, m.name(), m.table(), msg.toString(), fix(m.label(), m.table(), m.name(), referrers));
    }

    private static String fix(String label, String table, String name, List<String> referrers) {
        String refs = referrers.isEmpty() ? "" : " and remove the relations that point at it ("
                + Relations.list(referrers, 5) + ")";
        return "release 1: stop using " + label + " in the code" + refs + ", keeping table " + table
                + " (to drop the model from the state now: SeparateDatabaseAndState(state_operations="
                + "[migrations.DeleteModel(\"" + name + "\")])); release 2: drop the table in a later migration "
                + "(DeleteModel, or RunSQL('DROP TABLE \"" + table + "\"') after the state-only step)";
    }
}
