package dev.migsafe.rules.data;

import dev.migsafe.migration.FieldSpec;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RangeRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * D405: a RemoveField and an AddField of the same model with the same definition under another
 * name (in one migration or one analysed range), or a DeleteModel and a CreateModel with the same
 * fields: what makemigrations writes when it does not ask "did you rename?" and someone answered
 * no. The column (or table) is dropped and an empty one created: every value is lost, where a
 * RenameField (RenameModel) keeps them.
 */
public final class AccidentalRename extends RangeRule {

    /** Keyword arguments that change no column: a rename that also edits them is still a rename. */
    private static final Set<String> COSMETIC = Set.of("verbose_name", "help_text", "db_comment", "editable", "blank",
            "choices", "validators", "related_name", "related_query_name");

    public AccidentalRename() {
        super(RuleInfo.of("D405", "accidental-rename", Severity.ERROR).reversibility(Reversibility.LOSSY)
                .summary("RemoveField + AddField (or DeleteModel + CreateModel) with the same definition under another name: the data is dropped where a rename keeps it.")
                .why("""
                        makemigrations asks "Did you rename order.note to order.remark?" only in some cases; when it
                        does not, or the answer is no, it writes RemoveField then AddField. The migration then drops
                        the column with every value in it and adds an empty one: the data is gone, in production, and
                        the reverse cannot bring it back. The same holds for DeleteModel then CreateModel of a model
                        with the same fields under another name: the table and all its rows go. migsafe compares the
                        removed field's definition (from the replayed state) with the added one, ignoring what changes
                        no column (verbose_name, help_text, choices, validators, related_name...), in one migration
                        or across the analysed range. A data step (RunPython, RunSQL) before the removal, in its
                        migration or earlier in the range, may have copied the values elsewhere: then nothing is
                        reported. makemigrations asks "Did you rename...?" when the definitions match; a deliberate
                        "no" (the new field means something else) is recorded with a suppression and its reason.""")
                .example("""
                        migrations.RemoveField("order", "note"),
                        migrations.AddField("order", "remark", models.TextField(null=True)),""")
                .instead("""
                        Rename instead, which keeps the column and its data:
                            migrations.RenameField("order", "note", "remark")
                        (and, for old code during a rolling deploy, keep the column name with db_column="note":
                        see C103). For a model: migrations.RenameModel("Note", "Remark")."""));
    }

    private record Gone(MigrationContext mc, int index, String model, String name, String signature) {}

    /**
     * Whether a data step (RunPython, RunSQL) ran before the removal, in its migration or an
     * earlier one of the range: it may have copied the values elsewhere (netbox moved port
     * positions into a table of their own before dropping the column), so the drop may be meant.
     */
    private static boolean dataStepBefore(MigrationContext mc, int index) {
        for (MigrationContext earlier : mc.earlierInRange()) {
            if (earlier.operations().stream().anyMatch(AccidentalRename::dataStep)) {
                return true;
            }
        }
        return mc.operations().subList(0, index).stream().anyMatch(AccidentalRename::dataStep);
    }

    private static boolean dataStep(Operation op) {
        return "RunPython".equals(op.type()) || "RunSQL".equals(op.type());
    }

    @Override
    public void check(List<MigrationContext> migrations) {
        List<Gone> removedFields = new ArrayList<>();
        List<Gone> deletedModels = new ArrayList<>();
        for (MigrationContext mc : migrations) {
            List<Operation> ops = mc.operations();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                String type = op.type();
                if ("RemoveField".equals(type)) {
                    ModelState m = mc.modelBefore(i);
                    Field f = m == null || !(op.arg(1, "name") instanceof Value.Str n) ? null : m.field(n.value());
                    if (f != null && f.spec() != null && !dataStepBefore(mc, i)) {
                        removedFields.add(new Gone(mc, i, m.key(), f.name(), signature(f.spec())));
                    }
                } else if ("DeleteModel".equals(type)) {
                    ModelState m = mc.modelBefore(i);
                    if (m != null && m.hasTable() && !dataStepBefore(mc, i)) {
                        deletedModels.add(new Gone(mc, i, m.app(), m.name(), modelSignature(m)));
                    }
                } else if ("AddField".equals(type) && op.field() != null && op.arg(0, "model_name") instanceof Value.Str model
                        && op.arg(1, "name") instanceof Value.Str name) {
                    String key = ProjectState.key(mc.app(), model.value());
                    String sig = signature(op.field());
                    for (Gone g : removedFields) {
                        if (g.model().equals(key) && g.signature().equals(sig) && !g.name().equalsIgnoreCase(name.value())
                                && together(g, mc)) {
                            mc.report(this, op, i, "RemoveField " + label(key) + "." + g.name() + where(g, mc) + " and AddField "
                                    + label(key) + "." + name.value() + " with the same definition: the column is dropped with "
                                    + "every value in it and an empty one is added, where a rename keeps the data",
                                    "replace both with migrations.RenameField(\"" + model.value() + "\", \"" + g.name() + "\", \""
                                            + name.value() + "\") (keep db_column=\"" + g.name() + "\" while old code runs: C103)");
                            break;
                        }
                    }
                } else if ("CreateModel".equals(type) && op.arg(0, "name") instanceof Value.Str name) {
                    String sig = createSignature(op);
                    for (Gone g : deletedModels) {
                        if (g.model().equals(mc.app()) && sig != null && g.signature().equals(sig)
                                && !g.name().equalsIgnoreCase(name.value()) && together(g, mc)) {
                            mc.report(this, op, i, "DeleteModel " + mc.app() + "." + g.name() + where(g, mc) + " and CreateModel "
                                    + mc.app() + "." + name.value() + " with the same fields: the table is dropped with all its "
                                    + "rows and an empty one is created, where a rename keeps them",
                                    "replace both with migrations.RenameModel(\"" + g.name() + "\", \"" + name.value() + "\")");
                            break;
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether the removal belongs to the same change as the addition: the same migration, or an
     * earlier one of the analysed range (an audit of all migrations judges each alone, and a
     * field removed years before another is added is no rename).
     */
    private static boolean together(Gone g, MigrationContext here) {
        return g.mc() == here || here.earlierInRange().contains(g.mc());
    }

    private static String where(Gone g, MigrationContext here) {
        return g.mc() == here ? "" : " (in " + g.mc().name() + ")";
    }

    private static String label(String key) {
        return key;
    }

    /** A field's definition as far as its column goes: class, positional arguments, the other keywords. */
    private static String signature(FieldSpec spec) {
        Map<String, String> kw = new TreeMap<>();
        spec.kwargs().forEach((k, v) -> {
            if (!COSMETIC.contains(k)) {
                kw.put(k, Py.source(v));
            }
        });
        List<String> args = new ArrayList<>();
        spec.args().forEach(a -> args.add(Py.source(a)));
        return spec.fieldClass() + args + kw;
    }

    private static String modelSignature(ModelState m) {
        Map<String, String> fields = new TreeMap<>();
        for (Field f : m.fields().values()) {
            if (f.spec() == null) {
                return "?" + m.key(); // unknown: never equal to another
            }
            fields.put(f.nameLower(), signature(f.spec()));
        }
        return fields.toString();
    }

    private static String createSignature(Operation op) {
        Map<String, String> fields = new TreeMap<>();
        for (FieldSpec f : op.fields()) {
            if (f == null || f.name() == null) {
                return null;
            }
            fields.put(f.name().toLowerCase(java.util.Locale.ROOT), signature(f));
        }
        return fields.isEmpty() ? null : fields.toString();
    }
}
