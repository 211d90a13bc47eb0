package dev.migsafe.rules;

import dev.migsafe.rules.compat.CompatibilityRules;
import dev.migsafe.rules.data.DataRules;
import dev.migsafe.rules.locks.LockRules;
import dev.migsafe.rules.reverse.ReversibilityRules;
import dev.migsafe.rules.stage.StageRules;
import dev.migsafe.rules.structure.StructureRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every rule of RULES.md, in id order; each family keeps its own list. */
public final class RuleCatalog {

    private static final List<Rule> ALL;
    private static final Map<String, Rule> BY_ID = new LinkedHashMap<>();

    static {
        List<Rule> all = new ArrayList<>();
        all.addAll(StructureRules.all());
        all.addAll(CompatibilityRules.all());
        all.addAll(LockRules.all());
        all.addAll(ReversibilityRules.all());
        all.addAll(DataRules.all());
        all.addAll(StageRules.all());
        all.addAll(dev.migsafe.rules.sql.SqlRules.all());
        all.addAll(dev.migsafe.rules.suppress.SuppressionRules.all());
        all.sort(Comparator.comparing(RuleCatalog::order).thenComparing(Rule::id));
        ALL = Collections.unmodifiableList(all);
        for (Rule r : ALL) {
            if (BY_ID.put(r.id(), r) != null) {
                throw new IllegalStateException("two rules with id " + r.id());
            }
        }
    }

    private RuleCatalog() {}

    /** Families in RULES.md's order: P, G, C, L, R, D, S, X. */
    private static int order(Rule r) {
        return "PGCLRDSX".indexOf(r.id().charAt(0));
    }

    public static List<Rule> all() {
        return ALL;
    }

    public static Rule byId(String id) {
        return BY_ID.get(id);
    }
}
