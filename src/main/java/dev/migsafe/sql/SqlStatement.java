package dev.migsafe.sql;

import java.util.List;

/**
 * One statement of a SQL text: its text (comments kept, as written), the line it starts on within
 * that text (1-based), and what it changes. A statement the grammar could not read has one change
 * of kind UNKNOWN.
 */
public record SqlStatement(String text, int line, List<DbChange> changes) {

    /** The statement on one line, shortened to {@code max} characters for a message. */
    public String brief(int max) {
        String s = text.strip().replaceAll("\\s+", " ");
        return s.length() > max ? s.substring(0, Math.max(0, max - 3)) + "..." : s;
    }

    public boolean unknown() {
        return changes.stream().anyMatch(c -> c.kind() == DbChange.Kind.UNKNOWN);
    }
}
