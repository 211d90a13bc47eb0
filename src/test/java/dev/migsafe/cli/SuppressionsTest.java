package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppressions fixtures/shop carries, through `analyze --all`: a comment and
 * django-migration-linter's IgnoreMigration() suppress (the finding stays in JSON with the
 * reason), and comments that name the wrong rule or sit on an operation's closing line are X002.
 */
class SuppressionsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void repository() {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project");
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("analyze", "--all", "--repo=" + dir));
        all.addAll(List.of(args));
        Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals("", err.toString());
        return out.toString();
    }

    /** "RULE path:line suppressed-reason" for the findings of one file. */
    private static List<String> findings(JsonNode report, String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("path").asText().equals(path)) {
                out.add(f.get("rule").asText() + " " + f.get("line").asInt() + " " + f.get("suppressed").asText());
            }
        }
        return out;
    }

    @Test
    void commentsAndTheLinterMarkerSuppressAndStayInJson() throws Exception {
        JsonNode report = new ObjectMapper().readTree(run("--format", "json"));
        assertEquals(List.of(
                "L216 7 null", // the migration's lock-timeout finding: IgnoreMigration() covers compatibility rules only
                "C107 15 django-migration-linter IgnoreMigration()",
                "R304 15 null",
                "C102 18 coupon feature removed two releases ago",
                "R304 18 null"), findings(report, "shop/orders/migrations/0007_delete_ordernote.py"));
        assertEquals(2, report.get("summary").get("suppressed").asInt());
        for (JsonNode m : report.get("migrations")) {
            if (m.get("name").asText().equals("0007_delete_ordernote")) {
                // Suppressed findings decide nothing: both operations are judged on R304 alone.
                assertEquals("compatible", m.get("class").asText());
                assertEquals("[\"R304\"]", m.get("operations").get(1).get("findings").toString());
            }
        }
    }

    @Test
    void commentsThatSuppressNothingAreX002() throws Exception {
        JsonNode report = new ObjectMapper().readTree(run("--format", "json"));
        List<String> gift = findings(report, "shop/orders/migrations/0005_order_gift_options.py");
        assertTrue(gift.contains("X002 22 null"), gift.toString()); // C102 above an AlterField that has no finding
        assertTrue(gift.contains("X002 32 null"), gift.toString()); // on the closing line of the AlterField
        assertTrue(gift.contains("C104 28 null"), gift.toString()); // which keeps its finding
        List<String> flags = findings(report, "shop/catalog/migrations/0006_product_flags.py");
        assertTrue(flags.contains("X002 24 null"), flags.toString()); // C102 above an index build
    }

    @Test
    void theTextReportCountsSuppressedFindingsWithoutListingThem() {
        String text = run();
        assertFalse(text.contains("coupon_code drops column"), text);
        assertTrue(text.contains("0007_delete_ordernote.py:15:9: info R304"), text);
        assertTrue(text.lines().reduce((a, b) -> b).orElse("").endsWith(", 2 suppressed"), text);
    }
}
