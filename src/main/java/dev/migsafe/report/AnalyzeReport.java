package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.graph.ChangeSet;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Targets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `migsafe analyze` output: text grouped by migration, and JSON (schema migsafe/analyze/1). */
public final class AnalyzeReport {

    public static final String SCHEMA = "migsafe/analyze/1";

    private final RangeAnalysis.Result result;
    private final String version;

    public AnalyzeReport(RangeAnalysis.Result result, String version) {
        this.result = result;
        this.version = version;
    }

    public int count(Severity severity) {
        return (int) result.findings().stream().filter(f -> f.severity() == severity).count();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("migsafe analyze: ").append(describeRange()).append('\n');
        List<ChangeSet.Change> changed = result.changes().changed();
        Map<String, List<Finding>> byPath = byPath();
        for (ChangeSet.Change c : changed) {
            String path = c.file().path();
            sb.append('\n').append(c.app()).append('.').append(MigrationGraph.migrationName(path)).append("  (")
                    .append(c.kind().label()).append(c.oldPath() != null ? " from " + c.oldPath() : "").append(")  ")
                    .append(path).append('\n');
            for (Finding f : byPath.getOrDefault(path, List.of())) {
                sb.append("  ").append(FindingJson.text(f).replace("\n", "\n  ")).append('\n');
            }
            byPath.remove(path);
        }
        List<Finding> rest = new ArrayList<>();
        byPath.values().forEach(rest::addAll);
        if (!rest.isEmpty()) {
            sb.append('\n');
            for (Finding f : rest) {
                sb.append(FindingJson.text(f)).append('\n');
            }
        }
        sb.append('\n').append(changed.size()).append(changed.size() == 1 ? " migration" : " migrations")
                .append(" changed; ").append(plural(count(Severity.ERROR), "error")).append(", ")
                .append(plural(count(Severity.WARNING), "warning")).append(", ")
                .append(plural(count(Severity.INFO), "info")).append('\n');
        return sb.toString();
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private String describeRange() {
        String head = result.headLabel() + (result.headId() == null ? "" : " " + result.headId().substring(0, 12));
        if (result.baseId() == null && result.baseLabel() == null) {
            return "every migration at " + head;
        }
        String base = result.baseLabel() + (result.baseId() == null ? "" : " " + result.baseId().substring(0, 12));
        return base + " -> " + head;
    }

    private Map<String, List<Finding>> byPath() {
        Map<String, List<Finding>> m = new LinkedHashMap<>();
        for (Finding f : result.findings()) {
            m.computeIfAbsent(f.path(), p -> new ArrayList<>()).add(f);
        }
        return m;
    }

    public ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("schema", SCHEMA);
        o.putObject("tool").put("name", "migsafe").put("version", version);
        o.putObject("range").put("mode", result.mode().label()).put("base", result.baseId()).put("head", result.headId());
        ArrayNode migrations = o.putArray("migrations");
        int operations = 0;
        for (ChangeSet.Change c : result.changes().changed()) {
            String path = c.file().path();
            ObjectNode m = migrations.addObject();
            m.put("app", c.app());
            m.put("name", MigrationGraph.migrationName(path));
            m.put("path", path);
            m.put("change", c.kind().label());
            if (c.oldPath() != null) {
                m.put("old_path", c.oldPath());
            }
            ArrayNode ops = m.putArray("operations");
            if (c.file().migration() != null) {
                int index = 0;
                for (Operation op : c.file().migration().operations()) {
                    ObjectNode on = ops.addObject();
                    on.put("index", index++);
                    on.put("type", op.type());
                    on.put("target", Targets.of(c.app(), op));
                    on.put("line", op.line());
                    on.put("column", op.column());
                    on.putArray("findings");
                    operations++;
                }
            }
        }
        o.set("findings", FindingJson.list(result.findings()));
        ObjectNode summary = o.putObject("summary");
        summary.put("migrations", result.changes().changed().size());
        summary.put("operations", operations);
        summary.put("errors", count(Severity.ERROR));
        summary.put("warnings", count(Severity.WARNING));
        summary.put("infos", count(Severity.INFO));
        return o;
    }
}
