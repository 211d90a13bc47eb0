package dev.migsafe.rules;

import dev.migsafe.migration.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that report one fact about one operation: one problem, one finding. When the rule that
 * says it best has a finding on an operation, the other rule's finding on that operation is
 * dropped. Applied after the project's policy, so that a disabled rule hands the fact back to the
 * other one, and a suppression written for either still counts as used.
 *
 * <p>S501 (phases combined) says what C105 (set NOT NULL) and C102 (remove field) would say about
 * the same AlterField or RemoveField, and says it truthfully: the first phase sits in the same
 * range, so old code never knew the column it "still writes None into" (C105's wording).
 */
final class Overlaps {

    /** rule -> the rules whose finding on the same operation replaces it. */
    static final Map<String, Set<String>> REPLACED_BY = Map.of(
            "C105", Set.of("S501"),
            "C102", Set.of("S501"));

    private Overlaps() {}

    /** The findings of one migration without those another rule's finding on the same operation replaces. */
    static List<Finding> fold(List<Finding> findings) {
        Set<String> present = new HashSet<>();
        for (Finding f : findings) {
            if (f.operation() != null) {
                present.add(f.rule() + "#" + f.operation());
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            Set<String> by = REPLACED_BY.get(f.rule());
            if (by != null && f.operation() != null && by.stream().anyMatch(r -> present.contains(r + "#" + f.operation()))) {
                continue;
            }
            out.add(f);
        }
        return out;
    }
}
