package dev.migsafe.rules;

import dev.migsafe.migration.Finding;
import dev.migsafe.state.ReplayProblem;
import java.util.List;

/**
 * The rules' verdicts on the analysed migrations, every finding they made, the operations the
 * replay could not apply, and how many findings are "review" only because the state was unknown.
 */
public record Analysis(List<MigrationVerdict> migrations, List<Finding> findings, List<ReplayProblem> problems,
                       int unknownState) {}
