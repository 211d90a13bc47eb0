package dev.migsafe.git;

/**
 * Which paths are migration modules: Python files below a folder named {@code migrations}
 * (nested packages included), except modules whose name starts with '_' or '~' (Django's loader
 * skips them; this covers __init__.py), and never inside dependency or VCS folders.
 */
public final class MigrationPaths {

    private MigrationPaths() {}

    /** @param path a '/'-separated path */
    public static boolean isMigrationFile(String path) {
        if (!path.endsWith(".py")) {
            return false;
        }
        int slash = path.lastIndexOf('/');
        String file = path.substring(slash + 1);
        if (file.startsWith("_") || file.startsWith("~")) {
            return false;
        }
        boolean inMigrations = false;
        for (String segment : path.substring(0, Math.max(slash, 0)).split("/")) {
            if (isPrunedFolder(segment)) {
                return false;
            }
            inMigrations |= segment.equals("migrations");
        }
        return inMigrations;
    }

    /** Folders never searched: installed packages and tool caches, not the project's own apps. */
    public static boolean isPrunedFolder(String name) {
        return name.equals(".git") || name.equals("node_modules") || name.equals("site-packages")
                || name.equals("__pycache__") || name.equals(".venv") || name.equals(".tox");
    }
}
