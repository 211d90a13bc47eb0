package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the rule fixtures' comments cannot say: the class of a finding, and what its message names. */
class FixtureVerdictsTest {

    private static List<Finding> findings(String fixture, String rule) {
        Analysis a = RuleFixtures.load(Path.of("fixtures/rules", fixture)).analysis();
        return a.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    @Test
    void deleteModelTheReplayDoesNotKnowIsStillTwoPhase() {
        List<Finding> c107 = findings("regression_delete_model_unknown_to_replay", "C107");
        assertEquals(1, c107.size());
        assertEquals(DeployClass.TWO_PHASE, c107.get(0).deployClass());
        assertTrue(c107.get(0).message().contains("drops table shop_ghost"), c107.get(0).message());
        assertTrue(c107.get(0).message().contains("do not define this model"), c107.get(0).message());
    }

    @Test
    void aColumnNameBroughtBackIsATypeChangeOfTheColumnOldCodeKnows() {
        List<Finding> c104 = findings("regression_column_replaced_in_one_migration", "C104");
        assertEquals(2, c104.size());
        assertEquals(DeployClass.DOWNTIME, c104.get(0).deployClass());
        assertTrue(c104.get(0).message().contains("nutrition_meal.plan_id the type uuid, but old code knows "
                + "nutrition_meal.plan_id as integer"), c104.get(0).message());
    }

    @Test
    void fieldsRemovedBeforeTheirModelShareTheDeleteModelsClass() {
        Analysis a = RuleFixtures.load(Path.of("fixtures/rules", "regression_fields_removed_before_their_model")).analysis();
        List<OperationVerdict> ops = a.migrations().stream().filter(m -> m.key().name().startsWith("0002"))
                .findFirst().orElseThrow().operations();
        assertEquals(List.of(DeployClass.TWO_PHASE, DeployClass.TWO_PHASE, DeployClass.TWO_PHASE),
                ops.stream().map(OperationVerdict::deployClass).toList());
        assertTrue(ops.get(0).reason().contains("part of deleting shop.Patch (DeleteModel on line 13)"), ops.get(0).reason());
    }
}
