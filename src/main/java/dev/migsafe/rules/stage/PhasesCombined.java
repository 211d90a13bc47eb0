package dev.migsafe.rules.stage;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.FieldSpec;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Stage;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.RangeRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * S501: both phases of one two-phase change inside one analysed range, on the same field:
 * <ul>
 * <li>set NOT NULL: AddField with null=True (phase 1: a column old code does not know, so it
 * leaves it NULL), then AlterField to null=False (phase 2);</li>
 * <li>remove: AlterField that makes a NOT NULL column nullable or gives it a db_default, so that
 * code can stop writing it (phase 1), then RemoveField (phase 2).</li>
 * </ul>
 * Fields are followed through RenameField and RenameModel. Not reported: a phase 2 in a
 * post-deploy migration after a pre-deploy phase 1 (the rollout separates them, which is what
 * stages are for); a model created in the range or without a table (old code cannot use it, or
 * there is no DDL); and, in an audit of every migration (each judged alone), pairs across two
 * migrations. AddField followed by RemoveField is no pair: old code never knew the column.
 */
public final class PhasesCombined extends RangeRule {

    public PhasesCombined() {
        super(RuleInfo.classifying("S501", "phases-combined", DeployClass.TWO_PHASE)
                .summary("Both phases of one two-phase change inside one analysed range (add nullable + set NOT NULL; make nullable + remove).")
                .why("""
                        A two-phase change is safe only because old code is gone between the phases. Shipping both
                        in one release runs them back to back, before the rollout, while old code still serves
                        requests: phase 1 buys nothing. Add a nullable column and set it NOT NULL in the same
                        release, and old code, which does not know the column, keeps inserting rows without it:
                        the migration fails on the rows it left NULL, or old code's INSERTs fail once the
                        constraint is in. Make a column nullable (or give it a db_default) so that code can stop
                        writing it, and remove it in the same release, and old code still selects the column and
                        fails on every query of the model. The finding is on the second phase and names the
                        operation of the first (migration and line).
                        Not reported: the second phase in a post-deploy migration after a pre-deploy first phase
                        (the rollout separates them); a model created in the range or without a table; an
                        AddField then RemoveField of one field (old code never knew it). AlterField to null=True
                        followed by AlterField to null=False is not a pair either: old code was written against
                        the NOT NULL column and always writes a value (C105 still judges the second AlterField).""")
                .example("""
                        # orders/migrations/0012_order_channel.py
                        migrations.AddField("order", "channel", models.CharField(max_length=20, null=True))
                        # orders/migrations/0013_backfill_order_channel.py   (RunPython backfill)
                        # orders/migrations/0014_alter_order_channel.py      (same pull request)
                        migrations.AlterField("order", "channel", models.CharField(max_length=20))""")
                .instead("""
                        Ship the phases in separate releases. Release 1: 0012 (AddField null=True), the code that
                        always writes channel, and the backfill. Release 2, once no old code runs: 0014
                        (AlterField to null=False). Likewise for a removal: release 1 makes the column nullable
                        and stops using the field; release 2 removes it.
                        With stages, one release can hold both: keep phase 1 in a pre-deploy migration and mark
                        the migration with phase 2 post-deploy (`stage = Stage.POST_DEPLOY`,
                        `safe = Safe.after_deploy()` or `is_post_deployment = True`); for NOT NULL, backfill the
                        rows old code wrote during the rollout in that post-deploy migration, before the AlterField.""")
                .others("""
                        django-migration-linter and strong_migrations judge each migration (or each operation) on
                        its own: they accept the nullable AddField and then flag the NOT NULL change or the
                        removal without saying that the safe first step sits in the same release. syzygy splits
                        such changes into pre- and post-deploy operations itself when it generates migrations.
                        migsafe looks at the whole analysed range, so it can point at the first phase. Where S501
                        reports an operation, C105 (set NOT NULL) and C102 (remove field) do not report it too:
                        they would state the same fact, C105 in words that do not hold for a column old code never
                        knew. Disable S501 and they report it again."""));
    }

    private enum Kind { ADDED_NULLABLE, STOPPED_WRITING }

    /** The first phase of a change to one field. */
    private record Phase1(Kind kind, MigrationContext mc, Operation op) {}

    @Override
    public void check(List<MigrationContext> migrations) {
        Map<String, Phase1> open = new HashMap<>();
        for (MigrationContext mc : migrations) {
            List<Operation> ops = mc.operations();
            for (int i = 0; i < ops.size(); i++) {
                visit(mc, ops.get(i), i, open);
            }
        }
    }

    private void visit(MigrationContext mc, Operation op, int index, Map<String, Phase1> open) {
        if (op.type() == null) {
            return;
        }
        String app = mc.app();
        switch (op.type()) {
            case "AddField" -> {
                String key = key(app, str(op, 0, "model_name"), str(op, 1, "name"));
                Field f = field(op);
                if (key != null && f != null && f.hasColumn() && Boolean.TRUE.equals(f.nullable()) && !f.hasDbDefault()) {
                    open.put(key, new Phase1(Kind.ADDED_NULLABLE, mc, op));
                } else if (key != null) {
                    open.remove(key);
                }
            }
            case "AlterField" -> alterField(mc, op, index, open);
            case "RemoveField" -> {
                String key = key(app, str(op, 0, "model_name"), str(op, 1, "name"));
                Phase1 first = key == null ? null : open.remove(key);
                if (first != null && first.kind() == Kind.STOPPED_WRITING && applies(first, mc, index)) {
                    Field before = fieldBefore(mc, index, str(op, 1, "name"));
                    String target = label(mc, index, str(op, 0, "model_name")) + "." + str(op, 1, "name");
                    String column = before != null ? before.column() : str(op, 1, "name");
                    mc.report(this, op, index, "RemoveField " + target + " drops column " + column + ", which "
                                    + where(first) + " " + what(first) + " in this same range so that code could"
                                    + " stop writing it: old code still selects " + column + " during the rollout and"
                                    + " fails on every query of the model",
                            release1(first, mc, "the AlterField") + " and the code that no longer reads or writes "
                                    + str(op, 1, "name") + "; release 2 = this RemoveField. Or put the RemoveField in a post-deploy migration ("
                                    + StageOrder.marker(mc) + ").");
                }
            }
            case "RenameField" -> {
                String model = str(op, 0, "model_name");
                String from = key(app, model, str(op, 1, "old_name"));
                String to = key(app, model, str(op, 2, "new_name"));
                Phase1 first = from == null ? null : open.remove(from);
                if (first != null && to != null) {
                    open.put(to, first);
                }
            }
            case "RenameModel" -> {
                String from = modelKey(app, str(op, 0, "old_name"));
                String to = modelKey(app, str(op, 1, "new_name"));
                if (from != null && to != null) {
                    Map<String, Phase1> moved = new HashMap<>();
                    open.entrySet().removeIf(e -> {
                        if (e.getKey().startsWith(from + ".")) {
                            moved.put(to + e.getKey().substring(from.length()), e.getValue());
                            return true;
                        }
                        return false;
                    });
                    open.putAll(moved);
                }
            }
            case "DeleteModel" -> {
                String model = modelKey(app, str(op, 0, "name"));
                if (model != null) {
                    open.keySet().removeIf(k -> k.startsWith(model + "."));
                }
            }
            case "SeparateDatabaseAndState" -> {
                // The state operations rename fields and models too; database-only steps are not followed.
                for (Operation s : op.stateOperations()) {
                    if ("RenameField".equals(s.type()) || "RenameModel".equals(s.type())) {
                        visit(mc, s, index, open);
                    }
                }
            }
            default -> { }
        }
    }

    private void alterField(MigrationContext mc, Operation op, int index, Map<String, Phase1> open) {
        String name = str(op, 1, "name");
        String key = key(mc.app(), str(op, 0, "model_name"), name);
        Field f = field(op);
        if (key == null || f == null) {
            return;
        }
        Boolean nullable = f.nullable();
        Phase1 first = open.get(key);
        if (first != null && first.kind() == Kind.ADDED_NULLABLE) {
            if (Boolean.TRUE.equals(nullable)) {
                return; // still nullable: phase 1 continues
            }
            open.remove(key);
            if (Boolean.FALSE.equals(nullable) && applies(first, mc, index)) {
                String target = label(mc, index, str(op, 0, "model_name")) + "." + name;
                mc.report(this, op, index, "AlterField " + target + " sets NOT NULL on a column that "
                                + where(first) + " added as nullable in this same range: old code, which does not know"
                                + " " + name + ", keeps inserting rows without it during the rollout, so the migration"
                                + " fails on rows left NULL or old code's INSERTs fail once it has run",
                        release1(first, mc, "the AddField with null=True") + ", code that always writes " + name
                                + " and a backfill; release 2 = this AlterField to null=False. Or put this AlterField in a post-deploy migration ("
                                + StageOrder.marker(mc) + ") after a backfill of the rows old code wrote meanwhile.");
            }
            return;
        }
        if (first != null && first.kind() == Kind.STOPPED_WRITING) {
            if (!Boolean.TRUE.equals(nullable) && !f.hasDbDefault()) {
                open.remove(key); // written again: no longer on its way out
            }
            return;
        }
        Field before = fieldBefore(mc, index, name);
        if (before != null && Boolean.FALSE.equals(before.nullable()) && !before.hasDbDefault()
                && (Boolean.TRUE.equals(nullable) || f.hasDbDefault())) {
            open.put(key, new Phase1(Kind.STOPPED_WRITING, mc, op));
        }
    }

    /**
     * Whether a pair is reported: not when the rollout separates the phases (pre-deploy, then
     * post-deploy), not in an audit that judges each migration alone (pairs across migrations),
     * not on a model created in the range or without a table.
     */
    private static boolean applies(Phase1 first, MigrationContext second, int index) {
        if (first.mc().stage() == Stage.PRE_DEPLOY && second.stage() == Stage.POST_DEPLOY) {
            return false;
        }
        if (!second.isNew(first.mc().key())) {
            return false;
        }
        ModelState m = second.modelBefore(index);
        return m != null && !second.isNew(m.createdBy()) && m.hasTable();
    }

    /** "Ship them in separate releases: release 1 = ...", or how to split the one migration that holds both. */
    private static String release1(Phase1 first, MigrationContext second, String firstStep) {
        if (first.mc() == second) {
            return "Split " + second.name() + ": keep " + firstStep + " (line " + first.op().line()
                    + ") and move this operation to a new migration of the next release. Release 1 = " + second.name();
        }
        return "Ship them in separate releases: release 1 = " + first.mc().name();
    }

    private static String where(Phase1 first) {
        return first.mc().app() + "." + first.mc().name() + " (line " + first.op().line() + ")";
    }

    private static String what(Phase1 first) {
        Field f = field(first.op());
        return f != null && Boolean.TRUE.equals(f.nullable()) ? "made nullable" : "gave a database default";
    }

    private static Field fieldBefore(MigrationContext mc, int index, String name) {
        ModelState m = mc.modelBefore(index);
        return m == null ? null : m.field(name);
    }

    private static String label(MigrationContext mc, int index, String model) {
        ModelState m = mc.modelBefore(index);
        return m != null ? m.label() : mc.app() + "." + model;
    }

    private static Field field(Operation op) {
        FieldSpec spec = op.field();
        return spec == null ? null : new Field(spec.name() == null ? "" : spec.name(), spec, null);
    }

    private static String str(Operation op, int position, String keyword) {
        return op.arg(position, keyword) instanceof Value.Str s ? s.value() : null;
    }

    private static String modelKey(String app, String model) {
        return model == null ? null : app + "." + model.toLowerCase(Locale.ROOT);
    }

    private static String key(String app, String model, String field) {
        return model == null || field == null ? null : modelKey(app, model) + "." + field.toLowerCase(Locale.ROOT);
    }
}
