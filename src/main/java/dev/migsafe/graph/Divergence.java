package dev.migsafe.graph;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.SyntaxFingerprint;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What merging two sides would do to the migration graph: G002 when both added migrations to
 * one app since their merge base (two leaves after the merge), G009 when both touch the same
 * model field, or one deletes or renames a model the other touches.
 */
public final class Divergence {

    /** One side of a merge: its name (branch or commit) and what it changed since the merge base. */
    public record Side(String name, LoadedSnapshot head, ChangeSet changes) {}

    private static final Pattern NUMBER = Pattern.compile("^(\\d+)_(.*)$");

    private Divergence() {}

    public static List<Finding> between(Side a, Side b) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<String>> addedA = a.changes().addedByApp();
        Map<String, List<String>> addedB = b.changes().addedByApp();
        for (Map.Entry<String, List<String>> e : addedB.entrySet()) {
            String app = e.getKey();
            // A migration both sides added under the same name (a cherry-pick) is no second leaf.
            List<String> fromA = new ArrayList<>(addedA.getOrDefault(app, List.of()));
            List<String> fromB = new ArrayList<>(e.getValue());
            List<String> common = new ArrayList<>(fromA);
            common.retainAll(fromB);
            fromA.removeAll(common);
            fromB.removeAll(common);
            if (fromA.isEmpty() || fromB.isEmpty()) {
                continue;
            }
            String leafA = lastLeaf(a, app, fromA);
            String firstB = fromB.get(0);
            String path = pathOf(b, app, firstB);
            out.add(new Finding("G002", Severity.ERROR, path, 1, 1, app, firstB,
                    "merging " + a.name() + " and " + b.name() + " leaves app '" + app + "' with two leaf migrations: "
                            + a.name() + " adds " + String.join(", ", fromA) + "; " + b.name() + " adds "
                            + String.join(", ", fromB),
                    fix(app, leafA, fromB, path)));
        }
        out.addAll(semanticConflicts(a, b));
        return out;
    }

    private static String fix(String app, String leafA, List<String> fromB, String pathB) {
        Matcher leaf = NUMBER.matcher(leafA);
        Matcher first = NUMBER.matcher(fromB.get(0));
        StringBuilder fix = new StringBuilder();
        if (leaf.matches() && first.matches()) {
            int next = Integer.parseInt(leaf.group(1)) + 1;
            String renamed = String.format("%0" + leaf.group(1).length() + "d_%s", next, first.group(2));
            String folder = pathB.contains("/") ? pathB.substring(0, pathB.lastIndexOf('/') + 1) : "";
            fix.append("Rename ").append(pathB).append(" to ").append(folder).append(renamed).append(".py")
                    .append(fromB.size() > 1 ? " (and renumber the rest after it)" : "")
                    .append(" and set its dependencies to [(\"").append(app).append("\", \"").append(leafA)
                    .append("\")]; or, after merging, run `python manage.py makemigrations --merge ").append(app).append("`.");
        } else {
            fix.append("After merging, run `python manage.py makemigrations --merge ").append(app)
                    .append("`, or make ").append(fromB.get(0)).append(" depend on (\"").append(app).append("\", \"")
                    .append(leafA).append("\").");
        }
        return fix.toString();
    }

    private static String lastLeaf(Side side, String app, List<String> added) {
        List<String> leaves = side.head().graph().leaves(app).stream().map(k -> k.name()).toList();
        return leaves.isEmpty() ? added.get(added.size() - 1) : leaves.get(leaves.size() - 1);
    }

    private static String pathOf(Side side, String app, String name) {
        for (ChangeSet.Change c : side.changes().changes()) {
            if (c.app().equals(app) && MigrationGraph.migrationName(c.file().path()).equals(name)) {
                return c.file().path();
            }
        }
        return app + "/migrations/" + name + ".py";
    }

    // ------------------------------------------------------------------ G009

    /** What an added migration touches: "app.model.field" or "app.model" -> operation type and where. */
    private record Touch(String type, String path, int line, int column, String migration, String app) {}

    private static List<Finding> semanticConflicts(Side a, Side b) {
        Map<String, Touch> touchA = touches(a);
        Map<String, Touch> touchB = touches(b);
        List<Finding> out = new ArrayList<>();
        for (String target : new TreeSet<>(touchB.keySet())) {
            Touch tb = touchB.get(target);
            Touch ta = touchA.get(target);
            boolean field = target.chars().filter(ch -> ch == '.').count() == 2;
            if (ta == null && !field) {
                continue;
            }
            if (ta == null) {
                // A field on one side, and a delete or rename of its model on the other.
                String model = target.substring(0, target.lastIndexOf('.'));
                ta = touchA.get(model);
                if (ta == null || !(ta.type().equals("DeleteModel") || ta.type().equals("RenameModel"))) {
                    continue;
                }
            } else if (!field && !isDestructive(ta.type()) && !isDestructive(tb.type())) {
                continue; // two options changes on one model merge fine
            }
            out.add(new Finding("G009", Severity.WARNING, tb.path(), tb.line(), tb.column(), tb.app(), tb.migration(),
                    "both sides change " + target + ": " + a.name() + " with " + ta.type() + " (" + ta.migration() + "), "
                            + b.name() + " with " + tb.type() + " (" + tb.migration() + "); a merge migration alone does not make that safe",
                    "Decide the final state of " + target + " on one branch, rebase the other onto it, and regenerate "
                            + "its migration with `python manage.py makemigrations " + tb.app() + "`."));
        }
        return out;
    }

    private static boolean isDestructive(String type) {
        return type.equals("DeleteModel") || type.equals("RenameModel") || type.equals("RemoveField")
                || type.equals("RenameField") || type.equals("AlterField");
    }

    private static Map<String, Touch> touches(Side side) {
        Map<String, Touch> out = new LinkedHashMap<>();
        for (ChangeSet.Change c : side.changes().changed()) {
            MigrationFile f = c.file();
            if (f.migration() == null) {
                continue;
            }
            String name = MigrationGraph.migrationName(f.path());
            for (Operation op : brought(c)) {
                touch(op, c.app(), f.path(), name, out);
            }
        }
        return out;
    }

    /**
     * The operations a change brings: all of an added or renamed migration's; of a modified one
     * (one that exists at the merge base, e.g. reformatted by black on one side) only those the
     * edit changed, since the others are on both sides already.
     */
    private static List<Operation> brought(ChangeSet.Change c) {
        List<Operation> ops = c.file().migration().operations();
        MigrationFile was = c.base();
        if (c.kind() != ChangeSet.Kind.MODIFIED || was == null || was.migration() == null) {
            return ops;
        }
        if (was.module() != null && c.file().module() != null
                && SyntaxFingerprint.of(was.module()).equals(SyntaxFingerprint.of(c.file().module()))) {
            return List.of();
        }
        Map<String, Integer> before = new HashMap<>();
        OperationText.of(was.migration().operations()).forEach(t -> before.merge(t, 1, Integer::sum));
        List<Operation> out = new ArrayList<>();
        for (Operation op : ops) {
            String t = OperationText.of(op);
            if (before.getOrDefault(t, 0) > 0) {
                before.merge(t, -1, Integer::sum);
            } else {
                out.add(op);
            }
        }
        return out;
    }

    private static void touch(Operation op, String app, String path, String migration, Map<String, Touch> out) {
        if (op.type() == null) {
            return;
        }
        Touch t = new Touch(op.type(), path, op.line(), op.column(), migration, app);
        switch (op.type()) {
            case "AddField", "AlterField", "RemoveField" -> put(out, app, str(op.arg(0, "model_name")), str(op.arg(1, "name")), t);
            case "RenameField" -> {
                put(out, app, str(op.arg(0, "model_name")), str(op.arg(1, "old_name")), t);
                put(out, app, str(op.arg(0, "model_name")), str(op.arg(2, "new_name")), t);
            }
            case "DeleteModel", "AlterModelTable", "AlterUniqueTogether", "AlterIndexTogether", "AlterModelOptions",
                    "AlterOrderWithRespectTo" -> put(out, app, str(op.arg(0, "name")), null, t);
            case "RenameModel" -> {
                put(out, app, str(op.arg(0, "old_name")), null, t);
                put(out, app, str(op.arg(1, "new_name")), null, t);
            }
            default -> { }
        }
    }

    private static void put(Map<String, Touch> out, String app, String model, String field, Touch t) {
        if (model == null) {
            return;
        }
        String key = app + "." + model.toLowerCase(Locale.ROOT) + (field == null ? "" : "." + field.toLowerCase(Locale.ROOT));
        out.putIfAbsent(key, t);
    }

    private static String str(Value v) {
        return v instanceof Value.Str s ? s.value() : null;
    }
}
