package dev.migsafe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Code Quality report of the report scenario with C199 suppressed (ReportScenario): the fields
 * GitLab requires, the severity mapping, suppressed findings left out, stable unique fingerprints.
 */
class GitlabReportTest {

    @TempDir
    static Path dir;

    static ArrayNode issues;

    @BeforeAll
    static void report() throws Exception {
        issues = GitlabReport.json(ReportScenario.withC199Suppressed(dir));
    }

    @Test
    void everyIssueHasTheFieldsGitlabRequires() {
        assertEquals(11, issues.size()); // L216 on 0008 among them
        Set<String> severities = Set.of("info", "minor", "major", "critical", "blocker");
        for (JsonNode i : issues) {
            assertFalse(i.get("description").asText().isBlank(), i.toString());
            assertFalse(i.get("check_name").asText().isBlank(), i.toString());
            assertTrue(i.get("fingerprint").asText().matches("[0-9a-f]{32}"), i.toString());
            assertTrue(severities.contains(i.get("severity").asText()), i.toString());
            assertTrue(i.get("location").get("path").asText().startsWith("shop/orders/migrations/"), i.toString());
            assertTrue(i.get("location").get("lines").get("begin").asInt() >= 1, i.toString());
        }
    }

    @Test
    void suppressedFindingsAreLeftOut() {
        for (JsonNode i : issues) {
            assertFalse(i.get("check_name").asText().startsWith("C199"), i.toString());
        }
    }

    @Test
    void severitiesMapToGitlabLevels() {
        assertEquals("critical", GitlabReport.severity(Severity.ERROR));
        assertEquals("major", GitlabReport.severity(Severity.WARNING));
        assertEquals("info", GitlabReport.severity(Severity.INFO));
        JsonNode c101 = issue("C101 ");
        assertEquals("critical", c101.get("severity").asText());
        assertEquals("Compatibility", c101.get("categories").get(0).asText());
        assertTrue(c101.get("content").get("body").asText().startsWith("Fix: "), c101.toString());
    }

    @Test
    void fingerprintsAreUniqueAndDoNotDependOnTheLine() {
        Set<String> all = new HashSet<>();
        issues.forEach(i -> all.add(i.get("fingerprint").asText()));
        assertEquals(issues.size(), all.size());

        Finding f = new Finding("C102", Severity.ERROR, "shop/a/migrations/0002_x.py", 12, 9, "a", "0002_x", "drops", null);
        Finding moved = new Finding("C102", Severity.ERROR, "shop/a/migrations/0002_x.py", 40, 9, "a", "0002_x", "drops",
                null);
        assertEquals(GitlabReport.fingerprint(f, new HashMap<>()), GitlabReport.fingerprint(moved, new HashMap<>()));
        assertEquals(SarifReport.fingerprint(f), GitlabReport.fingerprint(f, new HashMap<>()));
        Map<String, Integer> seen = new HashMap<>();
        assertNotEquals(GitlabReport.fingerprint(f, seen), GitlabReport.fingerprint(moved, seen),
                "a second identical finding is a second issue");
    }

    private static JsonNode issue(String prefix) {
        for (JsonNode i : issues) {
            if (i.get("check_name").asText().startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no issue " + prefix + " in " + issues);
    }
}
