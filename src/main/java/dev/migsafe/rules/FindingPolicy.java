package dev.migsafe.rules;

import dev.migsafe.migration.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * What the project decided about findings, applied before verdicts are drawn: a policy may drop a
 * finding (a disabled rule, a migration before `start-after`), change its severity, or mark it
 * suppressed with a reason (`# migsafe: ignore[...]`, a baseline). {@link #finish} lets a
 * policy add findings of its own once everything was seen (X001/X002 about suppressions).
 */
public interface FindingPolicy {

    FindingPolicy NONE = f -> f;

    /** The finding as the project wants it, or null to drop it. */
    Finding apply(Finding f);

    /** Findings the policy makes once every finding has passed through it. */
    default List<Finding> finish() {
        return List.of();
    }

    /** This policy, then {@code next}. */
    default FindingPolicy then(FindingPolicy next) {
        FindingPolicy first = this;
        return new FindingPolicy() {
            @Override
            public Finding apply(Finding f) {
                Finding g = first.apply(f);
                return g == null ? null : next.apply(g);
            }

            /** The first policy's own findings pass through the next (a baseline or `disable` may apply to X001). */
            @Override
            public List<Finding> finish() {
                List<Finding> out = next.applyAll(first.finish());
                out.addAll(next.finish());
                return out;
            }
        };
    }

    /** Applies the policy to a list, dropping what it drops. */
    default List<Finding> applyAll(List<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            Finding g = apply(f);
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }
}
