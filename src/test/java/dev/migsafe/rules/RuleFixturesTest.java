package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Error Prone-style harness: every fixture project under fixtures/rules gets exactly the
 * findings its `# expect:` comments name, and every rule has at least two positive and two
 * negative cases there.
 */
class RuleFixturesTest {

    @TestFactory
    Stream<DynamicTest> eachFixtureGetsExactlyItsExpectedFindings() {
        return RuleFixtures.all().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            RuleFixtures f = RuleFixtures.load(dir);
            assertTrue(!f.analysed().isEmpty(), dir + ": no migration starts with '# migsafe-test: new'");
            List<String> actual = f.actual();
            assertEquals(String.join("\n", f.expected()), String.join("\n", actual), dir.toString());
            assertEquals(List.of(), f.violatedNegatives(actual), dir + ": findings on lines marked `# ok:`");
            assertEquals(List.of(), f.messageMismatches(), dir + ": `# message:` comments");
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachReasonCommentMatchesItsOperationsReason() {
        return RuleFixtures.all().stream().map(RuleFixtures::load).filter(f -> !f.expectedReasons().isEmpty())
                .map(f -> DynamicTest.dynamicTest(f.dir().getFileName().toString(), () -> {
                    Map<String, String> actual = f.actualReasons();
                    List<String> wrong = new ArrayList<>();
                    f.expectedReasons().forEach((where, text) -> {
                        String reason = actual.get(where);
                        if (reason == null || !reason.contains(text)) {
                            wrong.add(where + ": expected a reason containing \"" + text + "\", got \"" + reason + "\"");
                        }
                    });
                    assertEquals(List.of(), wrong);
                }));
    }

    @Test
    void everyCheckedRuleHasTwoPositiveAndTwoNegativeCases() {
        Map<String, int[]> counts = new TreeMap<>();
        for (Path dir : RuleFixtures.all()) {
            RuleFixtures.load(dir).countCases(counts);
        }
        List<String> missing = new ArrayList<>();
        for (Rule r : RuleCatalog.all()) {
            if (r instanceof DocumentedRule) {
                continue; // parse and graph rules: covered by fixtures/python and fixtures/scenarios
            }
            if (r instanceof ProjectRule) {
                continue; // they compare a range's two sides: covered by fixtures/scenarios (31)
            }
            int[] c = counts.getOrDefault(r.id(), new int[2]);
            if (c[0] < 2 || c[1] < 2) {
                missing.add(r.id() + " (" + c[0] + " positive, " + c[1] + " negative)");
            }
        }
        assertEquals(List.of(), missing, "rules without two positive and two negative fixture cases");
    }
}
