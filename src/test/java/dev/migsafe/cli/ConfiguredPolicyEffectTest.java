package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.migsafe.GitScenario;
import dev.migsafe.config.Config;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.report.AnalyzeReport;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.ConfiguredPolicy;
import dev.migsafe.rules.FindingPolicy;
import dev.migsafe.rules.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * disable, severity and start-after decide before verdicts: analyze's own steps with the
 * configuration's policy, on the shop project (feature adds orders 0008 and 0009).
 */
class ConfiguredPolicyEffectTest {

    @TempDir
    Path dir;

    private int repos;

    /** Analyses the range (null: --all) of a new repository whose feature carries {@code config}. */
    private AnalyzeReport analyze(String config, String range) throws Exception {
        Path repoDir = dir.resolve("repo" + ++repos);
        try (GitScenario repo = GitScenario.create(repoDir)) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py")
                    .copy("report/0009_order_channel_index.py", "shop/orders/migrations/0009_order_channel_index.py")
                    .write(".migsafe.toml", config).commit("feature");
        }
        try (GitRepository git = GitRepository.open(repoDir.toFile())) {
            RangeAnalysis.Mode mode = range == null ? RangeAnalysis.Mode.ALL : RangeAnalysis.modeOf(range);
            Config c = ConfigSource.fromCommit(git, git.commit("feature"));
            FindingPolicy policy = ConfiguredPolicy.of(c);
            RangeAnalysis.Result result = new RangeAnalysis(git, c, null).run(mode, range);
            Analysis analysis = new Analyzer(Settings.DEFAULT, c.swappable()).withPolicy(policy)
                    .run(result.head(), AnalyzeReport.analysedKeys(result), mode == RangeAnalysis.Mode.ALL);
            return new AnalyzeReport(result, analysis, Settings.DEFAULT, "test", policy);
        }
    }

    private static List<String> rules(AnalyzeReport r) {
        return r.findings().stream().map(Finding::rule).toList();
    }

    private static Severity severityOf(AnalyzeReport r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow().severity();
    }

    private static String operationClass(AnalyzeReport r, String migration, int index) {
        for (JsonNode m : r.json().get("migrations")) {
            if (m.get("name").asText().equals(migration)) {
                return m.get("operations").get(index).get("class").asText();
            }
        }
        throw new AssertionError(migration + " not in the report");
    }

    @Test
    void withoutConfigurationTheRemoveFieldIsTwoPhase() throws Exception {
        AnalyzeReport r = analyze("", "main...feature");
        assertTrue(rules(r).contains("C102"));
        assertEquals("two-phase", operationClass(r, "0008_order_review_changes", 2));
        assertEquals(4, r.count(Severity.ERROR));
    }

    @Test
    void aDisabledRuleDecidesNothing() throws Exception {
        AnalyzeReport r = analyze("disable = [\"C102\", \"R304\"]\n", "main...feature");
        assertFalse(rules(r).contains("C102"));
        assertFalse(rules(r).contains("R304"));
        assertEquals("compatible", operationClass(r, "0008_order_review_changes", 2));
        assertEquals(3, r.count(Severity.ERROR));
    }

    @Test
    void severityMovesFindingsBetweenCounts() throws Exception {
        AnalyzeReport r = analyze("[severity]\nC102 = \"warning\"\nC199 = \"error\"\n", "main...feature");
        assertEquals(Severity.WARNING, severityOf(r, "C102"));
        assertEquals(Severity.ERROR, severityOf(r, "C199"));
        assertEquals(Severity.ERROR, severityOf(r, "C101"), "other rules keep theirs");
        assertEquals(4, r.count(Severity.ERROR), "one error fewer (C102), one more (C199)");
        assertEquals("two-phase", operationClass(r, "0008_order_review_changes", 2), "a severity is not a class");
    }

    @Test
    void startAfterLeavesTheAppsOldMigrationsUnjudged() throws Exception {
        AnalyzeReport all = analyze("", null);
        assertTrue(all.findings().stream().anyMatch(f -> "orders".equals(f.app()) && f.migration().startsWith("0002")));
        AnalyzeReport after = analyze("[start-after]\norders = \"0007_delete_ordernote\"\n", null);
        List<String> orders = after.findings().stream().filter(f -> "orders".equals(f.app())).map(Finding::migration)
                .distinct().sorted().toList();
        assertEquals(List.of("0008_order_review_changes", "0009_order_channel_index"), orders);
        assertTrue(after.findings().stream().anyMatch(f -> "billing".equals(f.app())), "other apps are untouched");
    }
}
