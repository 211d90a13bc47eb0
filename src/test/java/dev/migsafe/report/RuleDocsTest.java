package dev.migsafe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.migsafe.rules.DocumentedRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/rules/ is generated from the rule classes: this test fails when a page is stale or
 * missing. Regenerate with `mvn test -Dtest=RuleDocsTest -Dmigsafe.writeDocs=true`.
 */
class RuleDocsTest {

    private static final Path DOCS = Path.of("docs", "rules");

    @Test
    void everyRuleIsDocumentedInAllFourParts() {
        List<String> missing = new ArrayList<>();
        for (Rule r : RuleCatalog.all()) {
            var i = r.info();
            boolean example = !i.example().isBlank() || r instanceof DocumentedRule;
            if (i.summary().isBlank() || i.why().isBlank() || !example || i.instead().isBlank()) {
                missing.add(r.id());
            }
        }
        assertEquals(List.of(), missing, "rules without summary, why, example and instead");
    }

    @Test
    void docsPagesMatchTheRuleClasses() throws IOException {
        boolean write = Boolean.getBoolean("migsafe.writeDocs");
        List<String> stale = new ArrayList<>();
        check(DOCS.resolve("README.md"), RuleDocs.index(RuleCatalog.all()), write, stale);
        for (Rule r : RuleCatalog.all()) {
            check(DOCS.resolve(r.id() + ".md"), RuleDocs.markdown(r), write, stale);
        }
        assertEquals(List.of(), stale, "stale docs/rules pages: regenerate with -Dmigsafe.writeDocs=true");
        assertFalse(RuleCatalog.all().isEmpty());
    }

    private static void check(Path page, String expected, boolean write, List<String> stale) throws IOException {
        if (write) {
            Files.createDirectories(page.getParent());
            Files.writeString(page, expected, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(page) || !Files.readString(page, StandardCharsets.UTF_8).equals(expected)) {
            stale.add(page.toString());
        }
    }
}
