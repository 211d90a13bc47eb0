package dev.migsafe.migration;

/**
 * Canonical names for Django's classes: the same operation or field can be imported from several
 * modules (django.db.migrations, django.db.migrations.operations.fields, ...); rules compare one
 * name.
 */
public final class DjangoNames {

    public static final String MIGRATIONS = "django.db.migrations.";
    public static final String MODELS = "django.db.models.";
    public static final String POSTGRES_OPERATIONS = "django.contrib.postgres.operations.";
    public static final String POSTGRES_FIELDS = "django.contrib.postgres.fields.";

    private DjangoNames() {}

    public static String canonical(String qualified) {
        if (qualified == null) {
            return null;
        }
        String rest = strip(qualified, "django.db.migrations.operations.", "fields.", "models.", "special.", "base.");
        if (rest != null) {
            return MIGRATIONS + rest;
        }
        rest = strip(qualified, "django.db.models.fields.", "related.", "files.", "json.", "proxy.", "mixins.");
        if (rest != null) {
            return MODELS + rest;
        }
        rest = strip(qualified, POSTGRES_FIELDS, "array.", "hstore.", "ranges.", "citext.", "jsonb.");
        if (rest != null) {
            return POSTGRES_FIELDS + rest;
        }
        return qualified;
    }

    /** What follows the package and, when present, one of its submodules; null if not in it. */
    private static String strip(String qualified, String pkg, String... submodules) {
        if (!qualified.startsWith(pkg)) {
            return null;
        }
        String rest = qualified.substring(pkg.length());
        for (String sub : submodules) {
            if (rest.startsWith(sub)) {
                return rest.substring(sub.length());
            }
        }
        return rest;
    }

    public static String lastName(String qualified) {
        int dot = qualified.lastIndexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }
}
