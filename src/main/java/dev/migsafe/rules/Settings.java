package dev.migsafe.rules;

import dev.migsafe.config.LockTimeout;
import dev.migsafe.config.PostgresqlVersion;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.state.Database;
import java.util.Map;

/**
 * What the rules need to know about the project: its database, its Django version (null when
 * not given: fixes then mention the version a feature needs), how custom operations are
 * classified (qualified name -> class), the PostgreSQL release (never null: configured, else the
 * oldest the Django version supports, else {@link PostgresqlVersion#ASSUMED}; it matters only
 * when the database is PostgreSQL), and the lock_timeout known to be in effect during
 * `migrate`, or null when none is known (not configured, not found in the settings, or declared
 * 0).
 */
public record Settings(Database database, DjangoVersion django, Map<String, DeployClass> customOperations,
                       PostgresqlVersion postgresql, LockTimeout lockTimeout) {

    public static final Settings DEFAULT = new Settings(Database.POSTGRESQL, null, Map.of());

    public Settings {
        if (postgresql == null) {
            postgresql = oldestPostgresql(django);
        }
        if (lockTimeout != null && lockTimeout.millis() <= 0) {
            lockTimeout = null; // 0 disables the timeout; a value the server refuses sets none
        }
    }

    /** Settings whose PostgreSQL release follows the Django version and where no lock_timeout is known. */
    public Settings(Database database, DjangoVersion django, Map<String, DeployClass> customOperations) {
        this(database, django, customOperations, null, null);
    }

    /** The oldest PostgreSQL a Django version supports; {@link PostgresqlVersion#ASSUMED} when it is unknown. */
    public static PostgresqlVersion oldestPostgresql(DjangoVersion django) {
        return django == null ? PostgresqlVersion.ASSUMED
                : PostgresqlVersion.oldestSupportedBy(django.major(), django.minor());
    }

    /** Whether the project's Django has a feature of this version; null when the version is unknown. */
    public Boolean djangoAtLeast(int major, int minor) {
        return django == null ? null : django.atLeast(major, minor);
    }

    /**
     * These settings with another Django version: a PostgreSQL release that was derived from
     * the old one follows it, a configured one stays.
     */
    public Settings withDjango(DjangoVersion version) {
        return new Settings(database, version, customOperations, postgresql.configured() ? postgresql : null,
                lockTimeout);
    }

    public Settings withDatabase(Database db) {
        return new Settings(db, django, customOperations, postgresql, lockTimeout);
    }

    public Settings withPostgresql(PostgresqlVersion version) {
        return new Settings(database, django, customOperations, version, lockTimeout);
    }

    public Settings withLockTimeout(LockTimeout timeout) {
        return new Settings(database, django, customOperations, postgresql, timeout);
    }
}
