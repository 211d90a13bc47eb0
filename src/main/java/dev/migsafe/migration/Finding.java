package dev.migsafe.migration;

/**
 * A finding about a migration file or the migration graph: which rule, how serious, where, the
 * message (naming the user's own app and migration) and the concrete fix. Line and column are
 * 1-based (1:1 when a finding concerns a whole file); app and migration may be null for
 * findings about a file that is not a migration. {@code deployClass} is the class the finding
 * gives its operation (null for rules about locks, reversibility or the graph);
 * {@code operation} is the index of the migration's top-level operation it concerns, or null.
 * {@code suppressed} is the reason a suppression gave, or null: a suppressed finding stays in the
 * JSON and SARIF reports but decides no class, reversibility or exit code. {@code evidence} lists
 * the places in the deployed code that bear on it (never null; empty for most findings).
 */
public record Finding(String rule, Severity severity, String path, int line, int column, String app,
                      String migration, String message, String fix, DeployClass deployClass, Integer operation,
                      String suppressed, java.util.List<Evidence> evidence) {

    public Finding {
        evidence = evidence == null ? java.util.List.of() : java.util.List.copyOf(evidence);
    }

    public Finding(String rule, Severity severity, String path, int line, int column, String app,
                   String migration, String message, String fix, DeployClass deployClass, Integer operation,
                   String suppressed) {
        this(rule, severity, path, line, column, app, migration, message, fix, deployClass, operation, suppressed,
                java.util.List.of());
    }

    /** A finding that concerns no single operation and decides no class (graph, parsing). */
    public Finding(String rule, Severity severity, String path, int line, int column, String app,
                   String migration, String message, String fix) {
        this(rule, severity, path, line, column, app, migration, message, fix, null, null, null);
    }

    public Finding(String rule, Severity severity, String path, int line, int column, String app,
                   String migration, String message, String fix, DeployClass deployClass, Integer operation) {
        this(rule, severity, path, line, column, app, migration, message, fix, deployClass, operation, null);
    }

    public boolean isSuppressed() {
        return suppressed != null;
    }

    public Finding suppress(String reason) {
        return new Finding(rule, severity, path, line, column, app, migration, message, fix, deployClass, operation,
                reason, evidence);
    }

    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, path, line, column, app, migration, message, fix, deployClass, operation, suppressed,
                evidence);
    }

    public Finding withEvidence(java.util.List<Evidence> places) {
        return new Finding(rule, severity, path, line, column, app, migration, message, fix, deployClass, operation,
                suppressed, places);
    }
}
