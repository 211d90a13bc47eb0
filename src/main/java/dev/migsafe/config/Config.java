package dev.migsafe.config;

import dev.migsafe.git.MigrationPaths;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * migsafe's configuration (docs/configuration.md), read and checked by {@link ConfigReader}.
 * Names the layers above own (database, Django version) are kept as the user wrote them, already
 * checked; a key that is not set is null or empty.
 *
 * @param source where it was read from, for messages ("pyproject.toml [tool.migsafe]",
 *               ".migsafe.toml", the --config path), or null when there was no configuration
 * @param database postgresql, mysql or sqlite (or an alias the database layer accepts), or null
 * @param django the Django version, e.g. "5.1", or null
 * @param defaultBranch the branch ranges are compared with, or null
 * @param include globs of migration files that replace the default discovery; empty keeps it
 * @param exclude globs of paths that are never migrations
 * @param appLabels app folder (e.g. "shop/catalog") -> app label
 * @param swappable setting (e.g. AUTH_USER_MODEL) -> "app.Model"
 * @param disable rule ids whose findings are dropped
 * @param severity rule id -> the severity its findings get
 * @param failOn error, warning or never, or null
 * @param baseline the baseline file's path relative to the repository root, or null
 * @param startAfter app label -> migration name: that app's migrations up to and including it are not judged
 * @param customOperations an operation's qualified name -> its class
 * @param fieldTypes a field class migsafe cannot follow (qualified, or a bare class name) -> the
 *                   Django field class whose column it has, canonical (django.db.models.CharField)
 * @param postgresql the PostgreSQL release configured with `postgresql`, or null (then the rules
 *                   take the oldest the Django version supports: see rules/Settings)
 * @param lockTimeout the lock_timeout declared with `lock-timeout`, or null; one of 0 declares
 *                    that none is in effect (the project's settings are then not read for one)
 */
public record Config(String source, String database, String django, String defaultBranch, List<String> include,
                     List<String> exclude, Map<String, String> appLabels, Map<String, String> swappable,
                     Set<String> disable, Map<String, Severity> severity, String failOn, String baseline,
                     Map<String, String> startAfter, Map<String, DeployClass> customOperations,
                     Map<String, String> fieldTypes, PostgresqlVersion postgresql, LockTimeout lockTimeout) {

    public static final Config EMPTY = new Config(null, null, null, null, List.of(), List.of(), Map.of(), Map.of(),
            Set.of(), Map.of(), null, null, Map.of(), Map.of(), Map.of(), null, null);

    /** A configuration that sets neither `postgresql` nor `lock-timeout`. */
    public Config(String source, String database, String django, String defaultBranch, List<String> include,
                  List<String> exclude, Map<String, String> appLabels, Map<String, String> swappable,
                  Set<String> disable, Map<String, Severity> severity, String failOn, String baseline,
                  Map<String, String> startAfter, Map<String, DeployClass> customOperations,
                  Map<String, String> fieldTypes) {
        this(source, database, django, defaultBranch, include, exclude, appLabels, swappable, disable, severity,
                failOn, baseline, startAfter, customOperations, fieldTypes, null, null);
    }

    /** Thrown for a file that is not valid TOML, or a key or value that is not valid. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Which files are migrations under {@code include} and {@code exclude} (checked when read). */
    public MigrationPaths migrationPaths() {
        return MigrationPaths.of(include, exclude);
    }
}
