package dev.migsafe.rules.structure;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules of RULES.md's parsing and structure (P) and the migration graph (G) family. */
public final class StructureRules {

    private StructureRules() {}

    public static List<Rule> all() {
        return List.of();
    }
}
