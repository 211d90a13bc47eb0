package dev.migsafe.report;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;

/**
 * `analyze --format github`: one GitHub Actions workflow command per unsuppressed finding
 * (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows as an annotation on the
 * pull request's diff, then the summary line as plain log output.
 */
public final class GithubReport {

    private GithubReport() {}

    public static String render(AnalyzeReport report) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : report.findings()) {
            if (!f.isSuppressed()) {
                sb.append(command(f)).append('\n');
            }
        }
        sb.append(summary(report)).append('\n');
        return sb.toString();
    }

    static String command(Finding f) {
        StringBuilder sb = new StringBuilder("::").append(command(f.severity())).append(' ');
        if (f.path() != null) {
            sb.append("file=").append(property(f.path())).append(',');
            if (f.line() >= 1) {
                sb.append("line=").append(f.line()).append(',');
                if (f.column() >= 1) {
                    sb.append("col=").append(f.column()).append(',');
                }
            }
        }
        Rule rule = RuleCatalog.byId(f.rule());
        sb.append("title=").append(property(f.rule() + (rule == null ? "" : " " + rule.info().name())));
        sb.append("::").append(data(f.message() + (f.fix() == null ? "" : "\n\nFix: " + f.fix())
                + (f.evidence().isEmpty() ? "" : "\n\nOld code: " + dev.migsafe.migration.Evidence.summary(f.evidence()))));
        return sb.toString();
    }

    private static String command(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "notice";
        };
    }

    /** A command's message: GitHub's toolkit escapes %, CR and LF (escapeData). */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A property value: also `:` and `,`, which would end the value (escapeProperty). */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }

    private static String summary(AnalyzeReport report) {
        int errors = report.count(Severity.ERROR);
        int warnings = report.count(Severity.WARNING);
        int infos = report.count(Severity.INFO);
        return "migsafe: " + plural(report.result().changes().changed().size(), "migration") + " changed: "
                + plural(errors, "error") + ", " + plural(warnings, "warning") + ", " + plural(infos, "info")
                + (report.suppressedCount() > 0 ? ", " + report.suppressedCount() + " suppressed" : "");
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
