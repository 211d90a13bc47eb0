package dev.migsafe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.rules.RuleCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SARIF of the report scenario with C199 suppressed (ReportScenario): valid against the official
 * schema, rules and results consistent, the suppressed result marked.
 */
class SarifReportTest {

    @TempDir
    static Path dir;

    static ObjectNode sarif;

    @BeforeAll
    static void report() throws Exception {
        sarif = new SarifReport(ReportScenario.withC199Suppressed(dir)).json();
    }

    private static JsonNode run() {
        return sarif.get("runs").get(0);
    }

    @Test
    void validAgainstTheSarifSchema() {
        assertEquals(List.of(), SarifSchema.violations(sarif));
    }

    @Test
    void theSchemaRejectsAnInvalidDocument() {
        // Guards the test above: a validator that accepted anything would make it pass vacuously.
        ObjectNode broken = sarif.deepCopy();
        ((ObjectNode) broken.get("runs").get(0).get("results").get(0)).put("level", "fatal");
        broken.remove("version");
        List<String> violations = SarifSchema.violations(broken);
        assertTrue(violations.stream().anyMatch(v -> v.contains("version")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("level")), violations.toString());
    }

    @Test
    void everyRuleOfTheCatalogueWithItsHelpAndLevel() {
        JsonNode rules = run().get("tool").get("driver").get("rules");
        assertEquals(RuleCatalog.all().size(), rules.size());
        JsonNode c101 = rules.get(indexOf(rules, "C101"));
        assertEquals("error", c101.get("defaultConfiguration").get("level").asText());
        assertFalse(c101.get("help").get("markdown").asText().isBlank());
        assertTrue(c101.get("help").get("markdown").asText().contains(RuleCatalog.byId("C101").info().why()));
        JsonNode info = rules.get(indexOf(rules, "R304"));
        assertEquals("note", info.get("defaultConfiguration").get("level").asText());
    }

    @Test
    void resultsPointAtTheirRuleAndLocation() {
        JsonNode rules = run().get("tool").get("driver").get("rules");
        ArrayNode results = (ArrayNode) run().get("results");
        assertEquals(12, results.size()); // the text report's 12 findings, C199 (suppressed here) and L216 among them
        for (JsonNode r : results) {
            assertEquals(r.get("ruleId").asText(), rules.get(r.get("ruleIndex").asInt()).get("id").asText());
        }
        JsonNode c101 = first(results, "C101");
        assertEquals("error", c101.get("level").asText());
        JsonNode location = c101.get("locations").get(0).get("physicalLocation");
        assertEquals("shop/orders/migrations/0008_order_review_changes.py", location.get("artifactLocation").get("uri").asText());
        assertEquals(18, location.get("region").get("startLine").asInt());
        assertEquals(9, location.get("region").get("startColumn").asInt());
        assertTrue(c101.get("message").get("text").asText().contains("Fix: add `db_default='web'`"));
        assertEquals("note", first(results, "R304").get("level").asText());
        assertEquals("warning", first(results, "L206").get("level").asText());
    }

    @Test
    void suppressedFindingIsAResultWithItsJustification() {
        JsonNode c199 = first((ArrayNode) run().get("results"), "C199");
        JsonNode suppression = c199.get("suppressions").get(0);
        assertEquals("inSource", suppression.get("kind").asText());
        assertEquals(ReportScenario.REASON, suppression.get("justification").asText());
        assertEquals(1, run().get("properties").get("suppressed").asInt());
        assertFalse(first((ArrayNode) run().get("results"), "C101").has("suppressions"));
    }

    @Test
    void fingerprintsDifferPerFinding() {
        ArrayNode results = (ArrayNode) run().get("results");
        String c102 = first(results, "C102").get("partialFingerprints").get(SarifReport.FINGERPRINT).asText();
        String r304 = first(results, "R304").get("partialFingerprints").get(SarifReport.FINGERPRINT).asText();
        assertEquals(32, c102.length());
        assertNotEquals(c102, r304); // same operation, different rules
    }

    private static int indexOf(JsonNode rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).get("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no rule " + id);
    }

    private static JsonNode first(ArrayNode results, String rule) {
        for (JsonNode r : results) {
            if (r.get("ruleId").asText().equals(rule)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + rule);
    }
}
