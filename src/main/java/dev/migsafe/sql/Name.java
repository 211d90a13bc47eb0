package dev.migsafe.sql;

import java.util.Locale;

/**
 * A possibly schema-qualified name as PostgreSQL resolves it: unquoted parts folded to lower case,
 * quoted parts kept as written. {@code placeholder} marks a name that a Python template fills in
 * (%s, {table}): the statement's shape is known, its target is not.
 */
public record Name(String schema, String name, boolean placeholder) {

    public static Name of(String name) {
        return new Name(null, name, false);
    }

    /** The name without a schema, or with public (the default search_path): what db_table holds. */
    public boolean inDefaultSchema() {
        return schema == null || schema.equals("public");
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    /** One part of a name as PostgreSQL reads it: "Quoted" kept, unquoted folded to lower case. */
    static String part(String text) {
        if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("`") && text.endsWith("`"))) {
            char q = text.charAt(0);
            return text.substring(1, text.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
        }
        if (text.startsWith("U&\"") || text.startsWith("u&\"")) {
            return text.substring(3, Math.max(3, text.length() - 1));
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
