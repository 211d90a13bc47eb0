package dev.migsafe.git;

import java.util.List;

/**
 * Which paths are migration modules. By default, Python files below a folder named
 * {@code migrations} (nested packages included). The configuration's {@code include} globs
 * replace that default and its {@code exclude} globs remove paths from it. Always: modules whose
 * name starts with '_' or '~' are not migrations (Django's loader skips them; this covers
 * __init__.py), and dependency or VCS folders are never searched.
 */
public final class MigrationPaths {

    /** The default discovery, with no include or exclude globs. */
    public static final MigrationPaths DEFAULT = new MigrationPaths(List.of(), List.of());

    private final List<Glob> include;
    private final List<Glob> exclude;

    private MigrationPaths(List<Glob> include, List<Glob> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /**
     * @param include globs that replace the default (below a folder named migrations); empty keeps it
     * @param exclude globs of paths that are not migrations even when included
     * @throws IllegalArgumentException for a pattern that is not a glob
     */
    public static MigrationPaths of(List<String> include, List<String> exclude) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return DEFAULT;
        }
        return new MigrationPaths(include.stream().map(Glob::of).toList(), exclude.stream().map(Glob::of).toList());
    }

    /** Whether a path is a migration module under these globs. @param path a '/'-separated path */
    public boolean matches(String path) {
        if (!isLoadableModule(path)) {
            return false;
        }
        boolean included = include.isEmpty() ? belowMigrationsFolder(path)
                : include.stream().anyMatch(g -> g.matches(path));
        return included && exclude.stream().noneMatch(g -> g.matches(path));
    }

    /** Whether a path is a migration module under the default discovery. */
    public static boolean isMigrationFile(String path) {
        return DEFAULT.matches(path);
    }

    /** A .py module Django's loader would import, outside the folders that are never searched. */
    private static boolean isLoadableModule(String path) {
        if (!path.endsWith(".py")) {
            return false;
        }
        int slash = path.lastIndexOf('/');
        String file = path.substring(slash + 1);
        if (file.startsWith("_") || file.startsWith("~")) {
            return false;
        }
        for (String segment : path.substring(0, Math.max(slash, 0)).split("/")) {
            if (isPrunedFolder(segment)) {
                return false;
            }
        }
        return true;
    }

    private static boolean belowMigrationsFolder(String path) {
        int slash = path.lastIndexOf('/');
        for (String segment : path.substring(0, Math.max(slash, 0)).split("/")) {
            if (segment.equals("migrations")) {
                return true;
            }
        }
        return false;
    }

    /** Folders never searched: installed packages and tool caches, not the project's own apps. */
    public static boolean isPrunedFolder(String name) {
        return name.equals(".git") || name.equals("node_modules") || name.equals("site-packages")
                || name.equals("__pycache__") || name.equals(".venv") || name.equals(".tox");
    }
}
