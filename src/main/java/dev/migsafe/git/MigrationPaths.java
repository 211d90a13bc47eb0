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
    /** MIGRATION_MODULES read from the project's settings: folder (a/b for a.b) -> app label. */
    private final java.util.Map<String, String> modules;
    /** Labels whose migrations the settings disable (MIGRATION_MODULES value None). */
    private final java.util.Set<String> disabled;

    private MigrationPaths(List<Glob> include, List<Glob> exclude) {
        this(include, exclude, java.util.Map.of(), java.util.Set.of());
    }

    private MigrationPaths(List<Glob> include, List<Glob> exclude, java.util.Map<String, String> modules,
                           java.util.Set<String> disabled) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.modules = java.util.Map.copyOf(modules);
        this.disabled = java.util.Set.copyOf(disabled);
    }

    /**
     * These paths with the project's MIGRATION_MODULES (app label -> dotted module, null to
     * disable the app's migrations): a module's folder holds that app's migrations wherever it
     * lies below the repository root (the settings do not say which folder is on sys.path).
     * Configured include globs win: they already say exactly which files are migrations.
     */
    public MigrationPaths withModules(java.util.Map<String, String> migrationModules) {
        if (!include.isEmpty() || migrationModules.isEmpty()) {
            return this;
        }
        java.util.Map<String, String> folders = new java.util.TreeMap<>();
        java.util.Set<String> off = new java.util.TreeSet<>();
        migrationModules.forEach((label, module) -> {
            if (module == null) {
                off.add(label);
            } else {
                folders.put(module.replace('.', '/'), label);
            }
        });
        return new MigrationPaths(include, exclude, folders, off);
    }

    /** The app label of a file in a MIGRATION_MODULES folder; null for any other path. */
    public String moduleLabel(String path) {
        if (modules.isEmpty()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        for (java.util.Map.Entry<String, String> e : modules.entrySet()) {
            if (folder.equals(e.getKey()) || folder.endsWith("/" + e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Whether a file labelled {@code label} is no migration Django loads under the settings:
     * the label's migrations are disabled, or live in another module than this file's folder.
     */
    public boolean isShadowed(String path, String label) {
        return disabled.contains(label) || (moduleLabel(path) == null && modules.containsValue(label));
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
        boolean included = include.isEmpty() ? belowMigrationsFolder(path) || moduleLabel(path) != null
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

    /**
     * Below a folder named migrations that has a parent: a {@code migrations} folder at the
     * repository root belongs to no app (Django imports an app's migrations as
     * {@code <app package>.migrations}), so it is a stray copy Django never loads.
     */
    private static boolean belowMigrationsFolder(String path) {
        return defaultAppFolder(path) != null;
    }

    /**
     * The app folder of a path under the default discovery: the parent of its last
     * {@code migrations} folder; null when there is none or it is at the repository root.
     */
    static String defaultAppFolder(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 2; i >= 1; i--) {
            if (segments[i].equals("migrations")) {
                return String.join("/", java.util.Arrays.copyOfRange(segments, 0, i));
            }
        }
        return null;
    }

    /**
     * The names whose presence makes a folder a Python package or a Django app: {@code
     * __init__.py}, {@code apps.py}, {@code models.py} (and a {@code models/} package).
     */
    static boolean isPackageMarker(String fileName) {
        return fileName.equals("__init__.py") || fileName.equals("apps.py") || fileName.equals("models.py");
    }

    /** The folder a package marker file makes a package (and, for models/__init__.py, its app). */
    static void addPackageFolders(String path, java.util.Set<String> packages) {
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !isPackageMarker(path.substring(slash + 1))) {
            return;
        }
        String folder = path.substring(0, slash);
        packages.add(folder);
        if (folder.equals("models") || folder.endsWith("/models")) {
            int up = folder.lastIndexOf('/');
            packages.add(up < 0 ? "" : folder.substring(0, up));
        }
    }

    /**
     * Drops migration files (found by the default discovery) whose app folder is no package and
     * whose migrations folder has no {@code __init__.py} either: a {@code migrations} folder lying
     * next to files that are no app (docs, a moved copy) is never imported by Django and must not
     * shadow a real app of the same label. Only applied
     * when the project marks its apps at all: a sketch of a project with no {@code __init__.py}
     * anywhere (tests, examples) keeps every folder.
     */
    public void keepPackages(java.util.Map<String, ?> migrations, java.util.Set<String> packages) {
        if (!include.isEmpty()) {
            return; // the configured globs say exactly which files are migrations
        }
        boolean anyMarked = false;
        for (String path : migrations.keySet()) {
            if (isMarked(defaultAppFolder(path), packages)) {
                anyMarked = true;
                break;
            }
        }
        if (anyMarked) {
            migrations.keySet().removeIf(path -> {
                String app = defaultAppFolder(path);
                return app != null && !isMarked(app, packages);
            });
        }
    }

    /** The app folder is a package, or its migrations folder is (Django loads no namespace package). */
    private static boolean isMarked(String app, java.util.Set<String> packages) {
        return app != null && (packages.contains(app) || packages.contains(app + "/migrations"));
    }

    /** Folders never searched: installed packages and tool caches, not the project's own apps. */
    public static boolean isPrunedFolder(String name) {
        return name.equals(".git") || name.equals("node_modules") || name.equals("site-packages")
                || name.equals("__pycache__") || name.equals(".venv") || name.equals(".tox");
    }
}
