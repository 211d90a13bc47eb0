package dev.migsafe.report;

import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import java.util.List;

/** A rule's documentation as `explain` prints it and as docs/rules/ID.md holds it, and the `rules` table. */
public final class RuleDocs {

    private RuleDocs() {}

    /** "error, two-phase" / "warning" / "info, reversible: lossy". */
    public static String verdict(RuleInfo i) {
        StringBuilder sb = new StringBuilder(i.severity().label());
        if (i.deployClass() != null) {
            sb.append(", ").append(i.deployClass().label());
        }
        if (i.reversibility() != null) {
            sb.append(", reversible: ").append(i.reversibility().label());
        }
        return sb.toString();
    }

    public static String text(Rule rule) {
        RuleInfo i = rule.info();
        StringBuilder sb = new StringBuilder();
        sb.append(i.id()).append(' ').append(i.name()).append("  (").append(verdict(i)).append(")\n\n");
        sb.append(i.summary()).append('\n');
        section(sb, "Why", i.why(), "");
        section(sb, "Example", i.example(), "    ");
        section(sb, "Instead", i.instead(), "");
        section(sb, "Other tools", i.others(), "");
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, String body, String indent) {
        if (body == null || body.isBlank()) {
            return;
        }
        sb.append('\n').append(title).append('\n');
        body.lines().forEach(l -> sb.append(l.isEmpty() ? "" : indent + l).append('\n'));
    }

    public static String markdown(Rule rule) {
        RuleInfo i = rule.info();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(i.id()).append(" ").append(i.name()).append("\n\n");
        sb.append("Default: **").append(verdict(i)).append("**\n\n");
        sb.append(i.summary()).append('\n');
        md(sb, "Why", i.why(), false);
        md(sb, "Example", i.example(), true);
        md(sb, "Instead", i.instead(), false);
        md(sb, "Other tools", i.others(), false);
        sb.append("\n<!-- generated from the rule class by RuleDocsTest; edit the class, not this file -->\n");
        return sb.toString();
    }

    private static void md(StringBuilder sb, String title, String body, boolean code) {
        if (body == null || body.isBlank()) {
            return;
        }
        sb.append("\n## ").append(title).append("\n\n");
        if (code) {
            sb.append("```python\n").append(body).append("\n```\n");
        } else {
            sb.append(body).append('\n');
        }
    }

    /** The `rules` listing: one line per rule. */
    public static String table(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            RuleInfo i = r.info();
            sb.append(String.format("%-5s %-28s %-30s %s%n", i.id(), i.name(), verdict(i), i.summary()));
        }
        return sb.toString();
    }

    /** docs/rules/README.md: the index. */
    public static String index(List<Rule> rules) {
        StringBuilder sb = new StringBuilder("# Rules\n\n`migsafe rules` lists them; `migsafe explain ID` prints one.\n\n");
        sb.append("| id | name | default | what it flags |\n|---|---|---|---|\n");
        for (Rule r : rules) {
            RuleInfo i = r.info();
            sb.append("| [").append(i.id()).append("](").append(i.id()).append(".md) | ").append(i.name()).append(" | ")
                    .append(verdict(i)).append(" | ").append(i.summary().replace("|", "\\|")).append(" |\n");
        }
        sb.append("\n<!-- generated from the rule classes by RuleDocsTest -->\n");
        return sb.toString();
    }
}
