package dev.migsafe.rules.structure;

import dev.migsafe.rules.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of RULES.md's parsing and structure (P) and the migration graph (G) family. Only P004
 * judges operations; the others document findings that the migration reader (P001-P003, P005)
 * and the graph code (G001-G009) produce. G010 belongs to the stage family.
 */
public final class StructureRules {

    private StructureRules() {}

    public static List<Rule> all() {
        List<Rule> all = new ArrayList<>(ParsingRuleDocs.all());
        all.add(new UnknownOperation());
        all.addAll(GraphRuleDocs.all());
        all.add(new ModelsAhead());
        return List.copyOf(all);
    }
}
