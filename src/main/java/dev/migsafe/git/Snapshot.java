package dev.migsafe.git;

import java.util.List;
import java.util.Map;

/**
 * The files of one side of an analysis: a commit's tree, the index or the work tree. Holds the
 * migration files and the apps.py files that can rename an app label, by path.
 *
 * @param label what the user would call it ("main", "HEAD", "the index", a short commit id)
 * @param commitId the commit's full id, or null for the index and the work tree
 */
public record Snapshot(String label, String commitId, Map<String, SourceFile> migrations,
                       Map<String, SourceFile> appConfigs) {

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
        for (Snapshot s : snapshots) {
            s.migrations().forEach(migrations::putIfAbsent);
            s.appConfigs().forEach(apps::putIfAbsent);
        }
        return new Snapshot(label, snapshots.get(0).commitId(), migrations, apps);
    }
}
