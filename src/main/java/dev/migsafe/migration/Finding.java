package dev.migsafe.migration;

/**
 * A finding about a migration file or the migration graph: which rule, how serious, where, the
 * message (naming the user's own app and migration) and the concrete fix. Line and column are
 * 1-based (1:1 when a finding concerns a whole file); app and migration may be null for
 * findings about a file that is not a migration.
 */
public record Finding(String rule, Severity severity, String path, int line, int column, String app,
                      String migration, String message, String fix) {}
