package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import java.util.HashMap;
import java.util.Map;

/**
 * `analyze --format gitlab`: a GitLab Code Quality report (a JSON array of issues, the Code
 * Climate subset GitLab reads), for `artifacts: reports: codequality`. One issue per unsuppressed
 * finding: GitLab has no suppression state, so a suppressed or baselined finding is left out, as
 * in the github format. The fingerprint is the SARIF one (no line: it survives lines moving
 * above the finding), so GitLab's comparison of the merge request with its target branch sees the
 * same finding as the same issue.
 */
public final class GitlabReport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private GitlabReport() {}

    public static ArrayNode json(AnalyzeReport report) {
        ArrayNode issues = F.arrayNode();
        Map<String, Integer> seen = new HashMap<>();
        for (Finding f : report.findings()) {
            if (!f.isSuppressed()) {
                issues.add(issue(f, seen));
            }
        }
        return issues;
    }

    /**
     * GitLab's five levels for migsafe's three: an error (a deploy that breaks, the default
     * fail-on) is critical, a warning major, an info info. minor and blocker are not used.
     */
    static String severity(Severity s) {
        return switch (s) {
            case ERROR -> "critical";
            case WARNING -> "major";
            case INFO -> "info";
        };
    }

    /** The Code Climate category: compatibility rules are Compatibility, lock rules Performance. */
    static String category(String rule) {
        return switch (SarifReport.family(rule)) {
            case "compatibility" -> "Compatibility";
            case "locks" -> "Performance";
            default -> "Bug Risk";
        };
    }

    private static ObjectNode issue(Finding f, Map<String, Integer> seen) {
        ObjectNode issue = F.objectNode();
        Rule rule = RuleCatalog.byId(f.rule());
        String name = rule == null ? f.rule() : f.rule() + " " + rule.info().name();
        issue.put("type", "issue");
        issue.put("check_name", name);
        issue.put("description", f.rule() + ": " + f.message());
        if (f.fix() != null) {
            issue.putObject("content").put("body", "Fix: " + f.fix());
        }
        issue.putArray("categories").add(category(f.rule()));
        issue.put("severity", severity(f.severity()));
        issue.put("fingerprint", fingerprint(f, seen));
        ObjectNode location = issue.putObject("location");
        // GitLab needs a path; every finding has one today (a graph finding names a migration).
        location.put("path", f.path() == null ? "." : f.path());
        location.putObject("lines").put("begin", Math.max(1, f.line()));
        return issue;
    }

    /**
     * The SARIF fingerprint; a second identical finding (same rule, operation and message) gets
     * its occurrence number hashed in, since GitLab shows one issue per fingerprint.
     */
    static String fingerprint(Finding f, Map<String, Integer> seen) {
        String base = SarifReport.fingerprint(f);
        int n = seen.merge(base, 1, Integer::sum);
        return n == 1 ? base : SarifReport.hash(base + "\u0000" + n);
    }
}
