package dev.migsafe.rules.reverse;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules of RULES.md's reversibility (R) family. */
public final class ReversibilityRules {

    private ReversibilityRules() {}

    public static List<Rule> all() {
        return List.of(new RunPythonIrreversible(), new RunSqlIrreversible(), new ReverseMayFail(),
                new ReverseLosesData(), new IrreversibleMigration());
    }
}
