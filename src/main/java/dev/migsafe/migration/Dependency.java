package dev.migsafe.migration;

/**
 * One entry of a migration's {@code dependencies}. For {@link Kind#SWAPPABLE} the app is not
 * known until the graph maps {@code setting} (e.g. AUTH_USER_MODEL) to a model; name is then
 * {@code __first__}, as Django's swappable_dependency() returns. For {@link Kind#UNRESOLVED}
 * only {@code source} is known.
 */
public record Dependency(String app, String name, Kind kind, String setting, String source, int line, int column) {

    public enum Kind { LITERAL, FIRST, LATEST, SWAPPABLE, UNRESOLVED }
}
