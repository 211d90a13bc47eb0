package dev.migsafe.graph;

import dev.migsafe.config.LockTimeout;
import dev.migsafe.config.PostgresDuration;
import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.eval.EvaluationLimit;
import java.util.List;
import java.util.Set;

/**
 * The lock_timeout a project's Django settings put in effect for `migrate`, read statically
 * (never executed) from the settings modules {@link SettingsModules} reads too:
 * <ul>
 * <li>`-c lock_timeout=...` (or `-clock_timeout=`, `--lock_timeout=`, `--lock-timeout=`) in
 * DATABASES["default"]["OPTIONS"]["options"], which libpq passes to the server for every
 * statement of the connection;</li>
 * <li>django-pg-zero-downtime-migrations' ENGINE with ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT set
 * (to anything but None or 0): the backend sets lock_timeout around the statements of Django's
 * schema operations that take ACCESS EXCLUSIVE on an existing table, not around RunSQL, SQL run
 * from RunPython, or CREATE/DROP TABLE ({@link LockTimeout.Scope#SCHEMA_OPERATIONS}). The ENGINE
 * alone sets none: the package's default is None, "the server's setting".</li>
 * </ul>
 * Which settings module `migrate` runs with is not known statically: a timeout that any of them
 * sets counts (the options switch first, as it covers more), and when the ENGINE and the setting
 * are in different modules (base.py and production.py) they are taken together.
 */
public final class SettingsLockTimeout {

    static final String OPTIONS_KEY = "DATABASES[\"default\"][\"OPTIONS\"][\"options\"]";

    /** django-pg-zero-downtime-migrations' backends (the last one is the module's pre-0.5 name). */
    static final Set<String> ZERO_DOWNTIME_ENGINES = Set.of("django_zero_downtime_migrations.backends.postgres",
            "django_zero_downtime_migrations.backends.postgis", "django_zero_downtime_migrations_postgres_backend");

    private SettingsLockTimeout() {}

    /** The timeout the settings modules set, or null when they set none that can be known statically. */
    public static LockTimeout read(List<SourceFile> settings, ModuleParser parser) {
        LockTimeout fromOptions = null;
        String engineAt = null;
        String engine = null;
        String zeroDowntimeAt = null;
        String zeroDowntimeValue = null;
        for (SourceFile f : settings) {
            ModuleParser.Parsed parsed = parser.parse(f.blobId(), f::bytes, f.path());
            if (!parsed.ok()) {
                continue;
            }
            DefaultDatabase d;
            try {
                d = DefaultDatabase.of(parsed.module(), packageOf(f.path()));
            } catch (EvaluationLimit e) {
                continue; // a module that asks the evaluator for more than settings ever build tells nothing
            }
            if (fromOptions == null) {
                fromOptions = fromOptions(f.path(), d.options());
            }
            DefaultDatabase.Setting e = d.engine();
            if (engine == null && e.known() && ZERO_DOWNTIME_ENGINES.contains(e.text().trim())) {
                engine = e.text().trim();
                engineAt = f.path() + ":" + e.line();
            }
            DefaultDatabase.Setting z = d.zeroDowntimeLockTimeout();
            if (zeroDowntimeValue == null && z.known() && positive(z.text())) {
                zeroDowntimeValue = z.text().trim();
                zeroDowntimeAt = f.path() + ":" + z.line();
            }
        }
        if (fromOptions != null) {
            return fromOptions;
        }
        if (engine != null && zeroDowntimeValue != null) {
            return new LockTimeout(zeroDowntimeValue, engineAt + ": ENGINE " + engine + " with "
                    + DefaultDatabase.ZERO_DOWNTIME_LOCK_TIMEOUT + " set to " + zeroDowntimeValue + " (" + zeroDowntimeAt
                    + ") sets lock_timeout for Django's schema operations, not for RunSQL or SQL run from RunPython",
                    LockTimeout.Scope.SCHEMA_OPERATIONS);
        }
        return null;
    }

    private static LockTimeout fromOptions(String path, DefaultDatabase.Setting options) {
        if (!options.known()) {
            return null;
        }
        ConnectionOptions.Switch s = ConnectionOptions.last(options.text(), "lock_timeout");
        if (s == null || !positive(s.value())) {
            return null; // none, 0 (disabled), or a value the server would refuse
        }
        return new LockTimeout(s.value(), path + ":" + options.line() + ": " + OPTIONS_KEY + " sets " + s.written());
    }

    private static boolean positive(String duration) {
        Long ms = PostgresDuration.millis(duration);
        return ms != null && ms > 0;
    }

    /** The dotted package a settings file lives in (for its relative imports). */
    private static String packageOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
    }
}
