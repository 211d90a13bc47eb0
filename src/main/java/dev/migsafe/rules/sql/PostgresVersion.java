package dev.migsafe.rules.sql;

import dev.migsafe.rules.Settings;

/** The PostgreSQL release facts are gated on (the `postgresql` configuration key, or its default). */
final class PostgresVersion {

    private PostgresVersion() {}

    static int of(Settings s) {
        return s.postgresql().major();
    }

    static String label(Settings s) {
        return s.postgresql().describe();
    }
}
