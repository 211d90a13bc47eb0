package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.graph.ChangeSet;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Targets;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.FindingPolicy;
import dev.migsafe.rules.MigrationVerdict;
import dev.migsafe.rules.OperationVerdict;
import dev.migsafe.rules.Settings;
import dev.migsafe.rules.suppress.Baseline;
import dev.migsafe.state.ReplayProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `migsafe analyze` output: text grouped by migration (each operation with its class and one
 * line of reason, its findings with their fixes, a summary), and JSON (schema migsafe/analyze/1,
 * docs/analyze-json.md).
 */
public final class AnalyzeReport {

    public static final String SCHEMA = "migsafe/analyze/1";

    private static final String EDITED = "shipped migration edited: deployed databases never run it again, so its "
            + "operations are not judged as new (see G005)";

    private final RangeAnalysis.Result result;
    private final Analysis analysis;
    private final Settings settings;
    private final String version;
    private final List<Finding> findings;
    private final Map<String, MigrationVerdict> verdicts = new HashMap<>();

    public AnalyzeReport(RangeAnalysis.Result result, Analysis analysis, Settings settings, String version) {
        this(result, analysis, settings, version, FindingPolicy.NONE);
    }

    /**
     * @param policy the policy the analyzer applied to rule findings: applied here to the parse and
     *               graph findings, and asked for its own (X001/X002) once all were seen
     */
    public AnalyzeReport(RangeAnalysis.Result result, Analysis analysis, Settings settings, String version,
                         FindingPolicy policy) {
        this.result = result;
        this.analysis = analysis;
        this.settings = settings;
        this.version = version;
        List<Finding> all = new ArrayList<>(policy.applyAll(result.findings()));
        all.addAll(analysis.findings());
        all.addAll(policy.finish());
        all.sort(Comparator.comparing((Finding f) -> f.path() == null ? "" : f.path()).thenComparingInt(Finding::line)
                .thenComparingInt(Finding::column).thenComparing(Finding::rule));
        this.findings = List.copyOf(all);
        for (MigrationVerdict v : analysis.migrations()) {
            verdicts.put(v.path(), v);
        }
    }

    public List<Finding> findings() {
        return findings;
    }

    // What the other formats (SARIF, GitHub, Markdown) render besides the findings.
    public RangeAnalysis.Result result() {
        return result;
    }

    public Analysis analysis() {
        return analysis;
    }

    public String version() {
        return version;
    }

    /** Unsuppressed findings of a severity: what the summary and the exit code count. */
    public int count(Severity severity) {
        return (int) findings.stream().filter(f -> f.severity() == severity && !f.isSuppressed()).count();
    }

    /** Findings suppressed by a comment or another tool's marker (not by the baseline). */
    public int suppressedCount() {
        return (int) findings.stream().filter(f -> f.isSuppressed() && !Baseline.REASON.equals(f.suppressed())).count();
    }

    /** Findings the baseline accepted. */
    public int baselinedCount() {
        return (int) findings.stream().filter(f -> Baseline.REASON.equals(f.suppressed())).count();
    }

    // ------------------------------------------------------------------ text

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("migsafe analyze: ").append(describeRange()).append('\n');
        List<ChangeSet.Change> changed = result.changes().changed();
        Map<String, List<Finding>> unplaced = new java.util.LinkedHashMap<>();
        for (Finding f : findings) {
            unplaced.computeIfAbsent(f.path(), p -> new ArrayList<>()).add(f);
        }
        for (ChangeSet.Change c : changed) {
            String path = c.file().path();
            MigrationVerdict v = verdicts.get(path);
            List<Finding> mine = unplaced.getOrDefault(path, new ArrayList<>());
            sb.append('\n').append(c.app()).append('.').append(MigrationGraph.migrationName(path)).append("  (")
                    .append(c.kind().label()).append(c.oldPath() != null ? " from " + c.oldPath() : "").append(")  ")
                    .append(path).append('\n');
            if (v != null) {
                sb.append("  ").append(v.deployClass().label()).append(", reversible: ").append(v.reversible().label())
                        .append(", ").append(v.stage().label()).append('\n');
                if (v.note() != null) {
                    sb.append("  ").append(v.note()).append('\n');
                }
                for (OperationVerdict op : v.operations()) {
                    sb.append("  [").append(op.index()).append("] ").append(op.op().type() == null ? "?" : op.op().type())
                            .append(op.target() == null ? "" : " " + op.target()).append(" - ")
                            .append(op.deployClass().label());
                    // With findings, they say why; without, one line of what the operation does.
                    sb.append(op.findings().isEmpty() ? ": " + op.reason() : "").append('\n');
                    for (String lock : op.locks()) {
                        sb.append("      lock: ").append(lock).append('\n');
                    }
                    for (Finding f : op.findings()) {
                        mine.remove(f);
                        if (f.isSuppressed()) {
                            continue; // kept in JSON/SARIF with the reason; text shows the count
                        }
                        sb.append("      ").append(FindingJson.text(f).replace("\n", "\n      ")).append('\n');
                    }
                }
            }
            if (v == null && c.kind() == ChangeSet.Kind.MODIFIED) {
                sb.append("  ").append(EDITED).append('\n');
            }
            for (Finding f : mine) {
                if (f.isSuppressed()) {
                    continue;
                }
                sb.append("  ").append(FindingJson.text(f).replace("\n", "\n  ")).append('\n');
            }
            unplaced.remove(path);
        }
        List<Finding> rest = new ArrayList<>();
        unplaced.values().forEach(rest::addAll);
        if (!rest.isEmpty()) {
            sb.append('\n');
            for (Finding f : rest) {
                if (!f.isSuppressed()) {
                    sb.append(FindingJson.text(f)).append('\n');
                }
            }
        }
        for (ReplayProblem p : analysis.problems()) {
            if (verdicts.containsKey(p.path())) {
                sb.append('\n').append(p.path()).append(':').append(p.line()).append(':').append(p.column())
                        .append(": note: the state replay could not apply this operation: ").append(p.message()).append('\n');
            }
        }
        Map<DeployClass, Integer> classes = classes();
        sb.append('\n').append(changed.size()).append(changed.size() == 1 ? " migration" : " migrations")
                .append(" changed, ").append(plural(operations(), "operation")).append(" (");
        List<String> parts = new ArrayList<>();
        for (DeployClass c : DeployClass.values()) {
            parts.add(classes.get(c) + " " + c.label());
        }
        sb.append(String.join(", ", parts)).append("); ").append(plural(count(Severity.ERROR), "error")).append(", ")
                .append(plural(count(Severity.WARNING), "warning")).append(", ")
                .append(plural(count(Severity.INFO), "info"))
                .append(suppressedCount() > 0 ? ", " + suppressedCount() + " suppressed" : "")
                .append(baselinedCount() > 0 ? ", " + baselinedCount() + " baselined" : "").append('\n');
        return sb.toString();
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** "merge-base(main, feature) 0123456789ab -> feature 0123456789ab", or "every migration at HEAD ...". */
    public String describeRange() {
        String head = result.headLabel() + (result.headId() == null ? "" : " " + result.headId().substring(0, 12));
        if (result.baseId() == null && result.baseLabel() == null) {
            return "every migration at " + head;
        }
        String base = result.baseLabel() + (result.baseId() == null ? "" : " " + result.baseId().substring(0, 12));
        return base + " -> " + head;
    }

    private int operations() {
        return analysis.migrations().stream().mapToInt(v -> v.operations().size()).sum();
    }

    private Map<DeployClass, Integer> classes() {
        Map<DeployClass, Integer> m = new EnumMap<>(DeployClass.class);
        for (DeployClass c : DeployClass.values()) {
            m.put(c, 0);
        }
        analysis.migrations().forEach(v -> v.operations().forEach(o -> m.merge(o.deployClass(), 1, Integer::sum)));
        return m;
    }

    // ------------------------------------------------------------------ json

    public ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("schema", SCHEMA);
        o.putObject("tool").put("name", "migsafe").put("version", version);
        o.putObject("range").put("mode", result.mode().label()).put("base", result.baseId()).put("head", result.headId());
        o.putObject("settings").put("database", settings.database().label())
                .put("django", settings.django() == null ? null : settings.django().toString());
        ArrayNode migrations = o.putArray("migrations");
        for (ChangeSet.Change c : result.changes().changed()) {
            migrations.add(migration(c));
        }
        o.set("findings", FindingJson.list(findings));
        ObjectNode replay = o.putObject("replay");
        replay.put("unknown_state_reviews", analysis.unknownState());
        ArrayNode problems = replay.putArray("problems");
        for (ReplayProblem p : analysis.problems()) {
            problems.addObject().put("path", p.path()).put("line", p.line()).put("column", p.column())
                    .put("message", p.message());
        }
        ObjectNode summary = o.putObject("summary");
        summary.put("migrations", result.changes().changed().size());
        summary.put("operations", operations());
        summary.put("errors", count(Severity.ERROR));
        summary.put("warnings", count(Severity.WARNING));
        summary.put("infos", count(Severity.INFO));
        summary.put("suppressed", suppressedCount());
        summary.put("baselined", baselinedCount());
        ObjectNode classes = summary.putObject("classes");
        classes().forEach((k, v) -> classes.put(k.label(), v));
        return o;
    }

    private ObjectNode migration(ChangeSet.Change c) {
        String path = c.file().path();
        MigrationVerdict v = verdicts.get(path);
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("app", c.app());
        m.put("name", MigrationGraph.migrationName(path));
        m.put("path", path);
        m.put("change", c.kind().label());
        if (c.oldPath() != null) {
            m.put("old_path", c.oldPath());
        }
        m.put("stage", v == null ? null : v.stage().label());
        m.put("class", v == null ? null : v.deployClass().label());
        m.put("reversible", v == null ? null : v.reversible().label());
        if (v != null && v.note() != null) {
            m.put("note", v.note());
        } else if (v == null && c.kind() == ChangeSet.Kind.MODIFIED) {
            m.put("note", EDITED);
        }
        ArrayNode ops = m.putArray("operations");
        if (v != null) {
            for (OperationVerdict op : v.operations()) {
                ObjectNode on = ops.addObject();
                on.put("index", op.index());
                on.put("type", op.op().type());
                on.put("target", op.target());
                on.put("line", op.op().line());
                on.put("column", op.op().column());
                on.put("class", op.deployClass().label());
                on.put("reversible", op.reversible().label());
                on.put("reason", op.reason());
                ArrayNode locks = on.putArray("locks");
                op.locks().forEach(locks::add);
                ArrayNode ids = on.putArray("findings");
                op.findings().forEach(x -> ids.add(x.rule()));
            }
        } else if (c.file().migration() != null) {
            // Not in the head's plan (replaced by a squash): listed without verdicts.
            int index = 0;
            for (Operation op : c.file().migration().operations()) {
                ObjectNode on = ops.addObject();
                on.put("index", index++);
                on.put("type", op.type());
                on.put("target", Targets.of(c.app(), op));
                on.put("line", op.line());
                on.put("column", op.column());
                on.putArray("findings");
            }
        }
        return m;
    }

    /**
     * The migrations whose operations are judged: those the range adds or renames (databases will
     * run them). An edited shipped migration is not run again by deployed databases: G005 is its
     * verdict, and its operations are not judged as new.
     */
    public static java.util.Set<MigrationKey> analysedKeys(RangeAnalysis.Result result) {
        java.util.Set<MigrationKey> keys = new java.util.HashSet<>();
        for (ChangeSet.Change c : result.changes().changed()) {
            if (c.kind() != ChangeSet.Kind.MODIFIED) {
                keys.add(new MigrationKey(c.app(), MigrationGraph.migrationName(c.file().path())));
            }
        }
        return keys;
    }
}
