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

    /**
     * The findings of one migration as shown, with each finding on a django-simple-history mirror
     * table (HistoricalFoo) folded into the same rule's finding on the same field of the tracked
     * model (Foo) in this migration: simple-history writes the mirror only from Foo's save, so the
     * failure surfaces on Foo's table first. The kept finding names the mirror tables. Only for
     * display: verdicts keep every operation's own finding, so the mirror's AlterField keeps its
     * class. A mirror finding without such a partner (a change to the mirror alone) is kept, and
     * so is one whose suppression differs from its partner's. Lock findings (L) are not folded:
     * the mirror is a table of its own, often larger than the tracked one, and its lock is its own.
     */
    static List<Finding> historyTables(List<Finding> findings, MigrationContext mc) {
        java.util.Map<Finding, List<String>> folded = new java.util.LinkedHashMap<>();
        Set<Finding> dropped = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Finding f : findings) {
            MigrationContext.FieldTarget t = f.operation() == null ? null : mc.fieldTarget(f.operation());
            if (t == null || t.tracked() == null || f.rule().startsWith("L")) {
                continue; // locks are per table, and the mirror is often the larger one: its lock stays its own
            }
            for (Finding g : findings) {
                MigrationContext.FieldTarget u = g.operation() == null ? null : mc.fieldTarget(g.operation());
                if (g != f && u != null && g.rule().equals(f.rule()) && u.model().equals(t.tracked())
                        && u.field().equals(t.field()) && g.isSuppressed() == f.isSuppressed() && !dropped.contains(g)) {
                    folded.computeIfAbsent(g, k -> new ArrayList<>()).add(t.table() + ", line " + f.line());
                    dropped.add(f);
                    break;
                }
            }
        }
        if (dropped.isEmpty()) {
            return findings;
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (dropped.contains(f)) {
                continue;
            }
            List<String> tables = folded.get(f);
            if (tables == null) {
                out.add(f);
                continue;
            }
            String message = f.message() + " (and the same on its django-simple-history table "
                    + String.join("; ", tables) + ", which simple-history writes only when this model is saved)";
            Grouping.Member m = mc.members().get(Grouping.key(f.rule(), f.operation(), f.message()));
            if (m != null) {
                mc.members().put(Grouping.key(f.rule(), f.operation(), message), new Grouping.Member(m.kind(),
                        m.item() + " with its history table " + String.join(", ", tables), m.repair()));
            }
            out.add(new Finding(f.rule(), f.severity(), f.path(), f.line(), f.column(), f.app(), f.migration(), message,
                    f.fix(), f.deployClass(), f.operation(), f.suppressed(), f.evidence()));
        }
        return out;
    }

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
