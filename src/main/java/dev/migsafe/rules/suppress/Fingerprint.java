package dev.migsafe.rules.suppress;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Targets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What identifies a finding across commits, without its line: rule, app, migration and the
 * operation it concerns, named by type and target ("RemoveField orders.order.note") or, for an
 * operation without a model target, by type and its rank among the migration's operations of that
 * type ("RunSQL#1"). Migration-level findings have an empty anchor. A finding about a file that
 * is no app's migration is identified by its path instead.
 */
public record Fingerprint(String rule, String app, String migration, String anchor, String path)
        implements Comparable<Fingerprint> {

    private static final Comparator<Fingerprint> ORDER = Comparator
            .comparing((Fingerprint f) -> f.app == null ? "" : f.app)
            .thenComparing(f -> f.migration == null ? "" : f.migration)
            .thenComparing(f -> f.path == null ? "" : f.path)
            .thenComparing(Fingerprint::rule)
            .thenComparing(Fingerprint::anchor);

    public Fingerprint {
        Objects.requireNonNull(rule);
        anchor = anchor == null ? "" : anchor;
        if (migration != null) {
            path = null; // a moved app folder keeps its findings
        }
    }

    /** @param migration the finding's migration as read from the same snapshot, or null */
    public static Fingerprint of(Finding f, Migration migration) {
        return new Fingerprint(f.rule(), f.app(), f.migration(), anchor(f.app(), f.operation(), migration), f.path());
    }

    static String anchor(String app, Integer index, Migration migration) {
        if (index == null) {
            return "";
        }
        List<Operation> ops = migration == null ? List.of() : migration.operations();
        if (index < 0 || index >= ops.size()) {
            return "#" + index;
        }
        Operation op = ops.get(index);
        String type = op.type() == null ? "?" : op.type();
        String target = app == null ? null : Targets.of(app, op);
        if (target != null) {
            return type + " " + target;
        }
        int rank = 0;
        for (int i = 0; i < index; i++) {
            if (type.equals(ops.get(i).type() == null ? "?" : ops.get(i).type())) {
                rank++;
            }
        }
        return type + "#" + rank;
    }

    @Override
    public int compareTo(Fingerprint o) {
        return ORDER.compare(this, o);
    }
}
