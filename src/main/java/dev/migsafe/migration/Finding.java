package dev.migsafe.migration;

/**
 * A finding about a migration file or the migration graph: which rule, how serious, where, the
 * message (naming the user's own app and migration) and the concrete fix. Line and column are
 * 1-based (1:1 when a finding concerns a whole file); app and migration may be null for
 * findings about a file that is not a migration. {@code deployClass} is the class the finding
 * gives its operation (null for rules about locks, reversibility or the graph);
 * {@code operation} is the index of the migration's top-level operation it concerns, or null.
 */
public record Finding(String rule, Severity severity, String path, int line, int column, String app,
                      String migration, String message, String fix, DeployClass deployClass, Integer operation) {

    /** A finding that concerns no single operation and decides no class (graph, parsing). */
    public Finding(String rule, Severity severity, String path, int line, int column, String app,
                   String migration, String message, String fix) {
        this(rule, severity, path, line, column, app, migration, message, fix, null, null);
    }
}
