package dev.migsafe.rules;

import dev.migsafe.config.Config;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import java.util.Map;
import java.util.Set;

/**
 * The configuration's decisions about findings: a rule in {@code disable} is dropped, a
 * migration at or before its app's {@code start-after} is not judged (its findings are dropped),
 * and {@code severity} gives a rule's findings another severity.
 */
public final class ConfiguredPolicy implements FindingPolicy {

    private final Set<String> disable;
    private final Map<String, String> startAfter;
    private final Map<String, Severity> severity;

    private ConfiguredPolicy(Config config) {
        this.disable = config.disable();
        this.startAfter = config.startAfter();
        this.severity = config.severity();
    }

    /** The configuration's policy; {@link FindingPolicy#NONE} when it decides nothing. */
    public static FindingPolicy of(Config config) {
        if (config.disable().isEmpty() && config.startAfter().isEmpty() && config.severity().isEmpty()) {
            return NONE;
        }
        return new ConfiguredPolicy(config);
    }

    @Override
    public Finding apply(Finding f) {
        if (disable.contains(f.rule())) {
            return null;
        }
        String start = f.app() == null ? null : startAfter.get(f.app());
        if (start != null && f.migration() != null && atOrBefore(f.migration(), start)) {
            return null;
        }
        Severity s = severity.get(f.rule());
        return s == null || s == f.severity() ? f : f.withSeverity(s);
    }

    /**
     * Whether a migration comes at or before {@code start} in its app, by the number Django's
     * makemigrations puts in front of every name. A start given as a bare number ("0042") covers
     * every migration with that number; a full name covers itself and lower numbers (a sibling with
     * the same number, from a parallel branch, is a later change). Names without numbers compare
     * as text; a name with a number and one without cannot be ordered, so the migration is judged.
     */
    static boolean atOrBefore(String migration, String start) {
        if (migration.equals(start)) {
            return true;
        }
        Long m = number(migration);
        Long s = number(start);
        if (m != null && s != null) {
            return m < s || m.equals(s) && start.chars().allMatch(Character::isDigit);
        }
        return m == null && s == null && migration.compareTo(start) < 0;
    }

    private static Long number(String name) {
        int end = 0;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end == 0 || end > 18 ? null : Long.parseLong(name.substring(0, end));
    }
}
