package dev.migsafe.report;

import static dev.migsafe.report.MarkdownText.cell;
import static dev.migsafe.report.MarkdownText.code;
import static dev.migsafe.report.MarkdownText.text;

import dev.migsafe.graph.ChangeSet;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.MigrationVerdict;
import dev.migsafe.rules.OperationVerdict;
import dev.migsafe.state.ReplayProblem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `analyze --format markdown`: a pull-request comment. A title that gives the verdict, the
 * summary (operations per class, findings per severity), then per migration a table of its
 * operations (class, reversibility, findings) and its findings with their fixes; suppressed
 * findings are listed with their reason. GitHub and GitLab render it alike.
 */
public final class MarkdownReport {

    /** First line of the comment: lets a CI job find and update its earlier comment. */
    public static final String MARKER = "<!-- migsafe analyze -->";

    private final AnalyzeReport report;
    private final Map<String, MigrationVerdict> verdicts = new HashMap<>();

    private MarkdownReport(AnalyzeReport report) {
        this.report = report;
        for (MigrationVerdict v : report.analysis().migrations()) {
            verdicts.put(v.path(), v);
        }
    }

    public static String render(AnalyzeReport report) {
        return new MarkdownReport(report).render();
    }

    private String render() {
        StringBuilder sb = new StringBuilder(MARKER).append('\n');
        List<ChangeSet.Change> changed = report.result().changes().changed();
        int errors = report.count(Severity.ERROR);
        int warnings = report.count(Severity.WARNING);
        sb.append("## migsafe: ").append(errors > 0 ? plural(errors, "error") : warnings > 0
                ? plural(warnings, "warning") : "no errors or warnings").append(" in ")
                .append(plural(changed.size(), "migration")).append("\n\n");
        sb.append("Range: ").append(code(report.describeRange())).append("\n\n");
        summary(sb);

        Map<String, List<Finding>> byPath = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            byPath.computeIfAbsent(f.path(), p -> new ArrayList<>()).add(f);
        }
        for (ChangeSet.Change c : changed) {
            migration(sb, c, byPath.getOrDefault(c.file().path(), List.of()));
            byPath.remove(c.file().path());
        }
        List<Finding> rest = new ArrayList<>();
        byPath.values().forEach(rest::addAll);
        if (!rest.isEmpty()) {
            sb.append("\n### Other findings\n\n");
            findings(sb, rest);
        }
        return sb.toString();
    }

    private void summary(StringBuilder sb) {
        Map<DeployClass, Integer> classes = new EnumMap<>(DeployClass.class);
        for (DeployClass c : DeployClass.values()) {
            classes.put(c, 0);
        }
        int operations = 0;
        for (MigrationVerdict v : report.analysis().migrations()) {
            for (OperationVerdict op : v.operations()) {
                classes.merge(op.deployClass(), 1, Integer::sum);
                operations++;
            }
        }
        sb.append("| operations |");
        classes.keySet().forEach(c -> sb.append(' ').append(c.label()).append(" |"));
        sb.append("\n|---:|");
        classes.keySet().forEach(c -> sb.append("---:|"));
        sb.append("\n| ").append(operations).append(" |");
        classes.values().forEach(n -> sb.append(' ').append(n).append(" |"));
        sb.append("\n\n");
        sb.append("**").append(plural(report.count(Severity.ERROR), "error")).append("**, ")
                .append(plural(report.count(Severity.WARNING), "warning")).append(", ")
                .append(plural(report.count(Severity.INFO), "info"));
        if (report.suppressedCount() > 0) {
            sb.append(" (and ").append(report.suppressedCount()).append(" suppressed)");
        }
        sb.append("\n");
    }

    private void migration(StringBuilder sb, ChangeSet.Change c, List<Finding> findings) {
        String path = c.file().path();
        MigrationVerdict v = verdicts.get(path);
        sb.append("\n### ").append(code(c.app() + "." + MigrationGraph.migrationName(path)));
        if (v != null) {
            sb.append(": ").append(v.deployClass().label()).append(", reversible: ").append(v.reversible().label())
                    .append(", ").append(v.stage().label());
        }
        sb.append("\n\n").append(code(path)).append(" (").append(c.kind().label())
                .append(c.oldPath() == null ? "" : " from " + code(c.oldPath())).append(")\n");
        if (v == null) {
            if (c.kind() == ChangeSet.Kind.MODIFIED) {
                sb.append("\nA shipped migration was edited: deployed databases never run it again, so its operations "
                        + "are not judged as new (see G005).\n");
            }
        } else {
            if (v.note() != null) {
                sb.append('\n').append(text(v.note())).append('\n');
            }
            table(sb, v, findings);
        }
        for (ReplayProblem p : report.analysis().problems()) {
            if (p.path().equals(path)) {
                sb.append("\nNote (line ").append(p.line()).append("): the state replay could not apply this operation: ")
                        .append(text(p.message())).append('\n');
            }
        }
        if (!findings.isEmpty()) {
            sb.append('\n');
            findings(sb, findings);
        }
    }

    /** The operations; a suppressed finding decides nothing, but its id is shown struck through. */
    private static void table(StringBuilder sb, MigrationVerdict v, List<Finding> findings) {
        if (v.operations().isEmpty()) {
            return;
        }
        sb.append("\n| # | operation | target | class | reversible | findings |\n|---:|---|---|---|---|---|\n");
        for (OperationVerdict op : v.operations()) {
            List<String> ids = new ArrayList<>();
            for (Finding f : op.findings()) {
                if (!f.isSuppressed()) {
                    ids.add(f.rule());
                }
            }
            for (Finding f : findings) {
                if (f.isSuppressed() && f.operation() != null && f.operation() == op.index()) {
                    ids.add("~~" + f.rule() + "~~");
                }
            }
            sb.append("| ").append(op.index()).append(" | ").append(cell(op.op().type() == null ? "?" : op.op().type()))
                    .append(" | ").append(op.target() == null ? "" : cell(code(op.target()))).append(" | ")
                    .append(op.deployClass().label()).append(" | ").append(op.reversible().label()).append(" | ")
                    .append(String.join(", ", ids)).append(" |\n");
        }
    }

    /** Unsuppressed findings with their fixes, then the suppressed ones with their reasons. */
    private static void findings(StringBuilder sb, List<Finding> findings) {
        for (Finding f : findings) {
            if (f.isSuppressed()) {
                continue;
            }
            sb.append("- **").append(f.severity().label()).append(' ').append(f.rule()).append("**")
                    .append(where(f)).append(": ").append(text(f.message())).append('\n');
            if (f.fix() != null) {
                sb.append("  - fix: ").append(text(f.fix())).append('\n');
                if (!f.evidence().isEmpty()) {
                    sb.append("  - old code: ").append(text(dev.migsafe.migration.Evidence.summary(f.evidence()))).append('\n');
                }
            }
        }
        for (Finding f : findings) {
            if (f.isSuppressed()) {
                sb.append("- suppressed ").append(f.rule()).append(where(f)).append(": ")
                        .append(text(f.suppressed())).append('\n');
            }
        }
    }

    /** " (line 28, operation 2)": the operation's index is the table's first column. */
    private static String where(Finding f) {
        List<String> parts = new ArrayList<>();
        if (f.path() != null && f.line() >= 1) {
            parts.add("line " + f.line());
        }
        if (f.operation() != null) {
            parts.add("operation " + f.operation());
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
