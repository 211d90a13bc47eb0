package dev.migsafe.graph;

import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before switching a database from branch FROM to branch TO: the migrations FROM has and TO
 * lacks, per app the `migrate APP TARGET` that unapplies them, and which of them cannot be
 * reversed (RunPython without reverse_code, RunSQL without reverse_sql).
 */
public final class Rewind {

    /** One app to migrate back: its target ("zero" for none), what gets unapplied, what blocks it. */
    public record Step(String app, String target, List<String> unapply, List<String> irreversible) {
        public String command() {
            return "python manage.py migrate " + app + " " + target;
        }
    }

    private Rewind() {}

    public static List<Step> plan(LoadedSnapshot from, LoadedSnapshot to) {
        Map<String, List<MigrationGraph.Node>> extraByApp = new LinkedHashMap<>();
        for (MigrationGraph.Node n : from.graph().topologicalOrder()) {
            if (to.graph().node(n.key()) == null) {
                extraByApp.computeIfAbsent(n.key().app(), a -> new ArrayList<>()).add(n);
            }
        }
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, List<MigrationGraph.Node>> e : extraByApp.entrySet()) {
            String app = e.getKey();
            List<MigrationGraph.Node> extra = e.getValue();
            List<String> unapply = new ArrayList<>();
            List<String> irreversible = new ArrayList<>();
            for (MigrationGraph.Node n : extra) {
                unapply.add(n.key().name());
                String why = irreversibleOperation(n);
                if (why != null) {
                    irreversible.add(n.key().name() + ": " + why);
                }
            }
            steps.add(new Step(app, target(app, extra, from), List.copyOf(unapply), List.copyOf(irreversible)));
        }
        return steps;
    }

    /** The latest migration of the app that both sides have: parent of the earliest extra one. */
    private static String target(String app, List<MigrationGraph.Node> extra, LoadedSnapshot from) {
        java.util.Set<MigrationKey> extraKeys = new java.util.HashSet<>();
        extra.forEach(n -> extraKeys.add(n.key()));
        for (MigrationGraph.Node n : extra) {
            for (MigrationKey p : n.parents()) {
                if (p.app().equals(app) && !extraKeys.contains(p)) {
                    return p.name();
                }
            }
        }
        return "zero";
    }

    private static String irreversibleOperation(MigrationGraph.Node n) {
        if (n.file().migration() == null) {
            return null;
        }
        for (Operation op : n.file().migration().operations()) {
            if ("RunPython".equals(op.type()) && missing(op.arg(1, "reverse_code"))) {
                return "RunPython at line " + op.line() + " has no reverse_code";
            }
            if ("RunSQL".equals(op.type()) && missing(op.arg(1, "reverse_sql"))) {
                return "RunSQL at line " + op.line() + " has no reverse_sql";
            }
        }
        return null;
    }

    private static boolean missing(Value v) {
        return v == null || v instanceof Value.None;
    }
}
