package dev.migsafe.rules.suppress;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.DocumentedRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import java.util.List;

/**
 * The suppression (X) family of RULES.md: findings about `# migsafe: ignore[...]` comments
 * themselves, made by {@link Suppressions} once every finding of the analysed migrations was seen.
 */
public final class SuppressionRules {

    static final Rule NO_REASON = new DocumentedRule(RuleInfo.of("X001", "suppression-without-reason", Severity.WARNING)
            .summary("A `# migsafe: ignore[...]` or `ignore-file[...]` comment that gives no reason.")
            .why("""
                    A suppression records a decision: someone looked at the finding and judged it acceptable
                    here (the column is no longer read, the table is tiny, the SQL only creates a trigger).
                    Without the reason the next reader (a reviewer, or whoever edits the migration next year)
                    cannot tell a considered decision from a way to make CI green, and cannot tell when it stops
                    being true. The suppression still works: the finding is kept in JSON and SARIF, marked
                    suppressed with "no reason given (X001)", and this warning asks for the reason.""")
            .example("""
                    operations = [
                        migrations.RemoveField("order", "note"),  # migsafe: ignore[C102]
                    ]""")
            .instead("""
                    Write why the finding is acceptable after the bracket, in a few words:
                        migrations.RemoveField("order", "note"),  # migsafe: ignore[C102] unused since release 41
                    Text after a further ` # ` (another tool's pragma, such as `# noqa`) is not part of the
                    reason.""")
            .others("""
                    ruff and flake8 accept a bare `# noqa: E501`; eslint can require a description
                    (`eslint-comments/require-description`); strong_migrations' `safety_assured { }` takes no
                    reason either. migsafe asks for one by default, because its suppressions hide findings that
                    would otherwise fail a deploy."""));

    static final Rule UNUSED = new DocumentedRule(RuleInfo.of("X002", "unused-suppression", Severity.INFO)
            .summary("A suppression that matched no finding, names an unknown rule, or is not written as one.")
            .why("""
                    A line suppression covers findings on its own line when it trails code, or on the line below
                    its comment block when it stands alone, and every finding of the operation that starts on
                    that line; `ignore-file` covers its whole file. One that matches nothing is usually stale (the
                    operation was fixed, or the comment sits on the operation's closing line instead of its first
                    line) or names the wrong rule (C102 for a type change that C104 reports), and it would
                    silently hide a real finding that appears there later. Reported with it: ids that are no
                    rule, and comments that start like a directive but are not one, such as
                    `# migsafe: ignore` without rule ids (there is no blanket ignore: a new rule's findings must
                    never be hidden by an old comment). django-migration-linter's IgnoreMigration() is another
                    tool's marker and never reported here.""")
            .example("""
                    operations = [
                        migrations.AlterField(
                            "lineitem", "unit_price", models.DecimalField(decimal_places=4, max_digits=12),
                        ),  # migsafe: ignore[C104] widening is fine   <- on the closing line: covers nothing
                    ]""")
            .instead("""
                    Put the comment on the operation's first line or on the line above it, with the id of
                    the finding it is meant for:
                        # migsafe: ignore[C104] widening numeric(10,2) to numeric(12,4) on a 2,000-row table
                        migrations.AlterField(
                    or remove it when the finding is gone. X002 depends on what a run reports: a lock rule that
                    fires only on PostgreSQL is unused under `--database mysql`."""));

    private SuppressionRules() {}

    public static List<Rule> all() {
        return List.of(NO_REASON, UNUSED);
    }
}
