package dev.migsafe.rules.sql;

import dev.migsafe.config.LockTimeout;
import dev.migsafe.rules.Settings;

/**
 * The lock_timeout the configuration or the project's settings put in effect for migrate, or null.
 * A timeout that covers Django's schema operations only (django-pg-zero-downtime-migrations sets
 * it around them, not around RunSQL) does not count for a migration whose locks come from SQL.
 */
final class LockTimeoutSettings {

    private LockTimeoutSettings() {}

    static LockTimeout of(Settings s, boolean rawSql) {
        LockTimeout t = s.lockTimeout();
        return t == null || rawSql && !t.coversRawSql() ? null : t;
    }
}
