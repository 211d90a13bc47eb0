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

    public List<SourceFile> migrationFiles() {
        return List.copyOf(migrations.values());
    }
}
