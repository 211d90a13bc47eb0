package dev.migsafe.config;

/**
 * A lock_timeout known to be in effect while `migrate` runs: a statement that waits longer than
 * this for its lock fails instead of queueing every later query on the table behind it.
 *
 * @param value the timeout as written ("2s", "5000"), in PostgreSQL's duration syntax
 * @param source where it is set, in words a user recognises: {@code lock-timeout = "2s" in
 *               pyproject.toml [tool.migsafe]}, {@code proj/settings.py:14:
 *               DATABASES["default"]["OPTIONS"]["options"] sets -c lock_timeout=5s}, ...
 * @param scope which statements it covers
 */
public record LockTimeout(String value, String source, Scope scope) {

    /** Which statements of a migration a timeout covers. */
    public enum Scope {
        /** Every statement of the connection: Django's operations, RunSQL and SQL run from RunPython. */
        EVERY_STATEMENT,
        /**
         * Only the statements Django's schema operations run that take ACCESS EXCLUSIVE on an
         * existing table: django-pg-zero-downtime-migrations sets lock_timeout around those, not
         * around RunSQL, SQL run from RunPython, or CREATE/DROP TABLE.
         */
        SCHEMA_OPERATIONS
    }

    /** A timeout that covers every statement. */
    public LockTimeout(String value, String source) {
        this(value, source, Scope.EVERY_STATEMENT);
    }

    /** The timeout in milliseconds (0: none), or -1 if the value is not a duration PostgreSQL reads. */
    public long millis() {
        Long ms = PostgresDuration.millis(value);
        return ms == null ? -1 : ms;
    }

    /** Whether it covers raw SQL too (RunSQL, SQL run from RunPython), not only Django's own operations. */
    public boolean coversRawSql() {
        return scope == Scope.EVERY_STATEMENT;
    }
}
