package dev.migsafe.git;

import java.util.List;
import java.util.Map;

/**
 * The files of one side of an analysis: a commit's tree, the index or the work tree. Holds the
 * migration files and the apps.py files that can rename an app label, by path, and every other
 * Python file of the side, read only when asked for (e.g. the module that defines a custom field
 * class a migration uses).
 *
 * @param label what the user would call it ("main", "HEAD", "the index", a short commit id)
 * @param commitId the commit's full id, or null for the index and the work tree
 * @param modules the other .py files, and for a commit its templates, by path (contents read lazily); may be empty
 */
public record Snapshot(String label, String commitId, Map<String, SourceFile> migrations,
                       Map<String, SourceFile> appConfigs, Map<String, SourceFile> modules) {

    /** A side without its other Python files. */
    public Snapshot(String label, String commitId, Map<String, SourceFile> migrations, Map<String, SourceFile> appConfigs) {
        this(label, commitId, migrations, appConfigs, Map.of());
    }

    /**
     * Several snapshots as one: a path is present when any of them has it (the first wins). Used
     * for criss-cross histories, whose several merge bases together stand for the common
     * ancestor: a migration in any of them is not new on either side.
     */
    public static Snapshot union(String label, List<Snapshot> snapshots) {
        if (snapshots.size() == 1) {
            return snapshots.get(0);
        }
        Map<String, SourceFile> migrations = new java.util.TreeMap<>();
        Map<String, SourceFile> apps = new java.util.TreeMap<>();
        Map<String, SourceFile> modules = new java.util.HashMap<>();
        for (Snapshot s : snapshots) {
            s.migrations().forEach(migrations::putIfAbsent);
            s.appConfigs().forEach(apps::putIfAbsent);
            s.modules().forEach(modules::putIfAbsent);
        }
        return new Snapshot(label, snapshots.get(0).commitId(), migrations, apps, modules);
    }
}
