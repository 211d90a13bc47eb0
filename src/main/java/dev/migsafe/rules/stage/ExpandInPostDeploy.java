package dev.migsafe.rules.stage;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Stage;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.List;

/**
 * S502: an expand step in a post-deploy migration. Expand steps are the ones new code needs the
 * moment it runs: a table (CreateModel), a column (AddField), or a column relaxed so that new
 * code can write what it writes (AlterField to null=True, to a db_default, to a wider type).
 * Indexes are not expand steps here (new code works without them, only slower), nor are
 * constraints, which restrict old code and belong after the rollout anyway.
 */
public final class ExpandInPostDeploy extends OperationRule {

    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    public ExpandInPostDeploy() {
        super(RuleInfo.classifying("S502", "expand-in-post-deploy", DeployClass.TWO_PHASE)
                .summary("An expand step (CreateModel, AddField, relaxing AlterField) in a post-deploy migration.")
                .why("""
                        A post-deploy migration runs after the new code is live everywhere. An expand step is
                        what that new code needs from its first request: the table of a new model, a new
                        column, a column made nullable or given a database default because new code stops
                        writing it, a column widened for longer values. Until the post-deploy migration runs,
                        new code selects a column or table that does not exist and its INSERTs are rejected, so
                        the release is broken for the whole rollout (and for longer if post-deploy migrations
                        are run by hand or with a delay). Expand steps belong in a pre-deploy migration; only
                        contract steps (removing fields and models, setting NOT NULL, dropping a default, adding
                        constraints) wait for the rollout to finish.
                        Not flagged: AddIndex/AddIndexConcurrently (new code works without an index, only slower;
                        building big indexes after the rollout is a common reason for post-deploy migrations),
                        constraints (they restrict old code, so after the rollout is their place), data
                        migrations, and operations on models without a table (managed=False, proxy). An
                        AddField on a model the same migration creates is covered by its CreateModel.""")
                .example("""
                        from syzygy import Stage

                        class Migration(migrations.Migration):
                            stage = Stage.POST_DEPLOY
                            operations = [
                                migrations.AddField("order", "channel", models.CharField(max_length=20, null=True)),
                            ]""")
                .instead("""
                        Move the operation into a pre-deploy migration (one without the post-deploy marker) that
                        runs before the new code, and keep only the contract steps in the post-deploy one:
                            # 0012_order_channel.py (pre-deploy)
                            operations = [migrations.AddField("order", "channel", models.CharField(max_length=20, null=True))]
                            # 0013_remove_order_source.py (post-deploy, depends on 0012)
                            stage = Stage.POST_DEPLOY
                            operations = [migrations.RemoveField("order", "source")]""")
                .others("""
                        syzygy infers the stage of unmarked operations (AddField and everything else pre-deploy,
                        RemoveField and DeleteModel post-deploy) and its system check rejects a migration that
                        mixes them, but an explicit `stage = Stage.POST_DEPLOY` bypasses that inference, which is
                        where this rule looks. django-safemigrate and strong_migrations do not judge what a
                        post-deploy migration contains. migsafe does not count a plain index as an expand step:
                        Sentry's post-deployment convention exists largely for index builds on big tables, which
                        are safe after the rollout."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.migration().stage() != Stage.POST_DEPLOY || ctx.type() == null) {
            return;
        }
        switch (ctx.type()) {
            case "CreateModel" -> createModel(ctx);
            case "AddField" -> addField(ctx);
            case "AlterField" -> alterField(ctx);
            default -> { }
        }
    }

    private void createModel(OperationContext ctx) {
        String name = ctx.str(0, "name");
        if (name == null || !hasTable(ctx.op().arg(2, "options"))) {
            return;
        }
        String label = ctx.app() + "." + name;
        ctx.report(this, "CreateModel " + label + " is in post-deploy migration " + ctx.migration().name()
                        + ": the new code that uses " + label + " runs before its table exists",
                "Move CreateModel " + name + " into a pre-deploy migration that " + ctx.migration().name()
                        + " depends on; keep only contract steps after the rollout.");
    }

    /** CreateModel's options: managed=False and proxy=True models get no table. */
    private static boolean hasTable(Value options) {
        if (!(options instanceof Value.DictV d)) {
            return true;
        }
        for (int i = 0; i < d.keys().size(); i++) {
            if (d.keys().get(i) instanceof Value.Str k && d.values().get(i) instanceof Value.Bool b
                    && (k.value().equals("managed") && !b.value() || k.value().equals("proxy") && b.value())) {
                return false;
            }
        }
        return true;
    }

    private void addField(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        Field f = ctx.newField();
        if (f == null || m != null && (!m.hasTable() || ctx.migration().key().equals(m.createdBy()))) {
            return;
        }
        String target = ctx.modelLabel() + "." + f.name();
        if (m == null) {
            ctx.reportUnknown(this, "AddField " + target + " in post-deploy migration " + ctx.migration().name()
                            + ": the model is not in the replayed state, so whether it has a table new code needs"
                            + " cannot be told",
                    "If " + ctx.modelLabel() + " has a table, move this AddField into a pre-deploy migration.");
            return;
        }
        String what = f.isManyToMany() ? "its join table" : "column " + f.column() + " of " + ctx.table();
        ctx.report(this, "AddField " + target + " is in post-deploy migration " + ctx.migration().name()
                        + ": the new code that reads and writes " + f.name() + " runs before " + what + " exists",
                "Move AddField " + f.name() + " into a pre-deploy migration that " + ctx.migration().name()
                        + " depends on" + (f.isManyToMany() ? "." : " (nullable or with db_default, so that old code keeps inserting)."));
    }

    private void alterField(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m != null && !m.hasTable()) {
            return;
        }
        Field old = ctx.oldField();
        Field f = ctx.newField();
        if (f == null) {
            return;
        }
        String target = ctx.modelLabel() + "." + f.name();
        if (old == null) {
            ctx.reportUnknown(this, "AlterField " + target + " in post-deploy migration " + ctx.migration().name()
                            + ": the field's previous state is unknown, so whether new code needs this change"
                            + " before the rollout cannot be told",
                    "If the change relaxes the column (nullable, db_default, wider), move it to a pre-deploy migration.");
            return;
        }
        String relaxed = relaxation(ctx, old, f);
        if (relaxed == null) {
            return;
        }
        ctx.report(this, "AlterField " + target + " " + relaxed + " in post-deploy migration "
                        + ctx.migration().name() + ": the new code that relies on it runs first, and its writes that"
                        + " need it fail until the post-deploy migration has run",
                "Move this AlterField into a pre-deploy migration that " + ctx.migration().name()
                        + " depends on: relaxing a column is safe for old code, so it can run before the rollout.");
    }

    /** What makes the AlterField an expand step, in words, or null when it relaxes nothing. */
    private static String relaxation(OperationContext ctx, Field old, Field f) {
        if (Boolean.FALSE.equals(old.nullable()) && Boolean.TRUE.equals(f.nullable())) {
            return "makes " + old.column() + " nullable";
        }
        if (!old.hasDbDefault() && f.hasDbDefault()) {
            return "gives " + old.column() + " a database default";
        }
        ColumnType from = ctx.columnType(old);
        ColumnType to = ctx.columnType(f);
        if (from == null || to == null || from.equals(to)) {
            return null;
        }
        int a = INTEGERS.indexOf(from.base());
        int b = INTEGERS.indexOf(to.base());
        if (from.widensTo(to) || a >= 0 && b > a) {
            return "widens " + old.column() + " from " + from.sql() + " to " + to.sql();
        }
        return null;
    }
}
