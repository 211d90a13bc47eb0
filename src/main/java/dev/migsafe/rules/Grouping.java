package dev.migsafe.rules;

import dev.migsafe.migration.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the findings of one migration that state the same fact about several operations (a
 * rule's {@link GroupsFindings} kind) into one finding that names every column, located at the
 * first of them. Runs after the project's policy, on findings it has already judged one by one:
 * a `# migsafe: ignore[R303]` on any grouped operation's line suppresses that operation's part
 * (it stays a finding of its own, marked suppressed), a baseline matches operation by operation
 * as before, and the suppressed parts of one reason are merged among themselves. A group of one
 * stays the finding it was. Verdicts are drawn from the findings before merging, so every
 * grouped operation keeps its own reversibility.
 */
final class Grouping {

    /** What a grouped finding contributes: its kind, the column it names, its repair. */
    record Member(String kind, String item, String repair) {}

    private Grouping() {}

    /** The key that finds a finding's member after the policy rebuilt the finding (suppression, severity). */
    static String key(String rule, Integer operation, String message) {
        return rule + "#" + operation + "#" + message;
    }

    static List<Finding> apply(List<Finding> findings, Map<String, Member> members, List<Rule> rules, String app) {
        Map<List<Object>, List<Finding>> groups = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (Finding f : findings) {
            Member m = members.get(key(f.rule(), f.operation(), f.message()));
            if (m == null || rule(rules, f.rule()) == null) {
                order.add(f);
                continue;
            }
            List<Object> k = List.of(f.rule(), m.kind(), f.severity(), Objects.toString(f.suppressed(), ""));
            List<Finding> g = groups.get(k);
            if (g == null) {
                g = new ArrayList<>();
                groups.put(k, g);
                order.add(k);
            }
            g.add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof Finding f) {
                out.add(f);
                continue;
            }
            List<Finding> g = groups.get(o);
            if (g.size() == 1) {
                out.add(g.get(0));
                continue;
            }
            Finding first = g.get(0);
            Member fm = members.get(key(first.rule(), first.operation(), first.message()));
            List<String> items = new ArrayList<>();
            List<String> repairs = new ArrayList<>();
            List<dev.migsafe.migration.Evidence> evidence = new ArrayList<>();
            for (Finding f : g) {
                evidence.addAll(f.evidence());
                Member m = members.get(key(f.rule(), f.operation(), f.message()));
                items.add(m.item());
                repairs.add(m.repair());
            }
            GroupsFindings rule = rule(rules, first.rule());
            out.add(new Finding(first.rule(), first.severity(), first.path(), first.line(), first.column(), first.app(),
                    first.migration(), rule.groupMessage(fm.kind(), items), rule.groupFix(fm.kind(), app, repairs),
                    first.deployClass(), first.operation(), first.suppressed(), evidence));
        }
        return out;
    }

    private static GroupsFindings rule(List<Rule> rules, String id) {
        for (Rule r : rules) {
            if (r.id().equals(id) && r instanceof GroupsFindings g) {
                return g;
            }
        }
        return null;
    }
}
