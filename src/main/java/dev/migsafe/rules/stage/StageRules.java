package dev.migsafe.rules.stage;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules of RULES.md's stages (S, and G010) family. */
public final class StageRules {

    private StageRules() {}

    public static List<Rule> all() {
        return List.of(new StageOrder(), new PhasesCombined(), new ExpandInPostDeploy());
    }
}
