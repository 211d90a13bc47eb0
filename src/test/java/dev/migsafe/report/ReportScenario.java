package dev.migsafe.report;

import dev.migsafe.GitScenario;
import dev.migsafe.config.Config;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.FindingPolicy;
import dev.migsafe.rules.Settings;
import java.nio.file.Path;

/**
 * The scenario of cli/AnalyzeReportApprovalTest (fixtures/shop on main, fixtures/report's two
 * migrations on feature) as an AnalyzeReport of main...feature, with C199 suppressed so that the
 * formats' handling of a suppressed finding is seen.
 */
final class ReportScenario {

    static final String REASON = "reviewed: the UPDATE touches a few hundred rows";

    private ReportScenario() {}

    static AnalyzeReport withC199Suppressed(Path dir) throws Exception {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py")
                    .copy("report/0009_order_channel_index.py", "shop/orders/migrations/0009_order_channel_index.py")
                    .commit("feature: order review changes");
        }
        FindingPolicy policy = f -> f.rule().equals("C199") ? f.suppress(REASON) : f;
        try (GitRepository git = GitRepository.open(dir.toFile())) {
            RangeAnalysis.Result result = new RangeAnalysis(git, Config.EMPTY, null).run(RangeAnalysis.Mode.THREE_DOT,
                    "main...feature");
            Analysis analysis = new Analyzer(Settings.DEFAULT, Config.EMPTY.swappable()).withPolicy(policy)
                    .run(result.head(), AnalyzeReport.analysedKeys(result), false);
            return new AnalyzeReport(result, analysis, Settings.DEFAULT, "1.2.3", policy);
        }
    }
}
