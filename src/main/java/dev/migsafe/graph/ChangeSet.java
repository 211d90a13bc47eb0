package dev.migsafe.graph;

import dev.migsafe.git.SourceFile;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.SyntaxFingerprint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a range changes in the migrations: added, modified, deleted and renamed files between a
 * base and a head snapshot, with the findings about shipped migrations (G005 modified, G006
 * deleted, G007 renamed: the same content, or the same operations and code with other dependencies
 * or run_before, as when a migration is renumbered onto a new predecessor). What an edit of a
 * shipped migration means is judged by {@link ShippedEdit}.
 */
public final class ChangeSet {

    public enum Kind {
        ADDED("added"), MODIFIED("modified"), RENAMED("renamed"), UNCHANGED("unchanged");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A head migration file and how the range changed it; {@code oldPath} for renames;
     * {@code base} the base version of a modified or renamed file (null otherwise).
     */
    public record Change(String app, MigrationFile file, Kind kind, String oldPath, MigrationFile base) {}

    private final List<Change> changes;
    private final List<Finding> findings;

    private ChangeSet(List<Change> changes, List<Finding> findings) {
        this.changes = changes;
        this.findings = findings;
    }

    /** Every head migration as ADDED: an audit of one commit (--all) analyses them all. */
    public static ChangeSet all(LoadedSnapshot head) {
        List<Change> changes = new ArrayList<>();
        for (MigrationGraph.LabeledFile f : head.files()) {
            changes.add(new Change(f.app(), f.file(), Kind.ADDED, null, null));
        }
        return new ChangeSet(Collections.unmodifiableList(changes), List.of());
    }

    public static ChangeSet between(LoadedSnapshot base, LoadedSnapshot head) {
        Map<String, MigrationGraph.LabeledFile> baseFiles = byPath(base);
        Map<String, MigrationGraph.LabeledFile> headFiles = byPath(head);
        Map<String, SourceFile> baseSources = base.snapshot().migrations();
        Map<String, SourceFile> headSources = head.snapshot().migrations();
        List<Change> changes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();

        // Deleted paths are rename candidates, matched by blob id or by syntax tree.
        Map<String, String> goneByBlob = new HashMap<>();
        Map<String, String> goneByTree = new HashMap<>();
        // A renumbering usually points the dependencies at the new predecessor as well.
        Map<String, String> goneByOperations = new HashMap<>();
        for (String path : baseFiles.keySet()) {
            if (!headFiles.containsKey(path)) {
                goneByBlob.put(baseSources.get(path).blobId(), path);
                String fp = fingerprint(baseFiles.get(path).file());
                if (fp != null) {
                    goneByTree.put(fp, path);
                    if (hasOperations(baseFiles.get(path).file())) {
                        goneByOperations.putIfAbsent(orderless(baseFiles.get(path).file()), path);
                    }
                }
            }
        }
        Map<String, String> renamedFrom = new HashMap<>();
        for (Map.Entry<String, MigrationGraph.LabeledFile> e : headFiles.entrySet()) {
            String path = e.getKey();
            MigrationGraph.LabeledFile f = e.getValue();
            if (baseFiles.containsKey(path)) {
                MigrationGraph.LabeledFile old = baseFiles.get(path);
                String oldBlob = baseSources.get(path).blobId();
                String newBlob = headSources.get(path).blobId();
                if (oldBlob != null && oldBlob.equals(newBlob)) {
                    changes.add(new Change(f.app(), f.file(), Kind.UNCHANGED, null, null));
                    continue;
                }
                changes.add(new Change(f.app(), f.file(), Kind.MODIFIED, null, old.file()));
                findings.add(ShippedEdit.judge(f, old, base, head));
                continue;
            }
            String blob = headSources.get(path).blobId();
            String from = blob == null ? null : goneByBlob.get(blob);
            boolean reordered = false;
            if (from == null && !goneByTree.isEmpty()) { // (no deleted file: no rename to find)
                String fp = fingerprint(f.file());
                from = fp == null ? null : goneByTree.get(fp);
                if (from == null && fp != null && hasOperations(f.file())) {
                    from = goneByOperations.get(orderless(f.file()));
                    reordered = from != null;
                }
            }
            if (from != null && !renamedFrom.containsValue(from)) {
                renamedFrom.put(path, from);
                changes.add(new Change(f.app(), f.file(), Kind.RENAMED, from, baseFiles.get(from).file()));
                if (isMigration(f.file())) {
                    findings.add(new Finding("G007", Severity.ERROR, path, line(f.file()), 1, f.app(), MigrationGraph.migrationName(path),
                            "migration " + from + " was renamed to " + path
                                    + (reordered ? " (and only its dependencies or run_before edited)" : "")
                                    + ": databases that applied "
                                    + MigrationGraph.migrationName(from) + " will apply it again as "
                                    + MigrationGraph.migrationName(path),
                            "Keep the old name. If the rename is needed, keep the old file and make the new one a no-op, or "
                                    + "fake it on every database: `python manage.py migrate " + f.app() + " "
                                    + MigrationGraph.migrationName(path) + " --fake`."));
                }
            } else {
                changes.add(new Change(f.app(), f.file(), Kind.ADDED, null, null));
            }
        }
        for (Map.Entry<String, MigrationGraph.LabeledFile> e : baseFiles.entrySet()) {
            String path = e.getKey();
            MigrationGraph.LabeledFile old = e.getValue();
            if (headFiles.containsKey(path) || renamedFrom.containsValue(path) || !isMigration(old.file())) {
                continue;
            }
            MigrationKey key = new MigrationKey(old.app(), MigrationGraph.migrationName(path));
            if (head.graph().replacedBy(key) != null) {
                continue; // a squash in head stands in for it
            }
            findings.add(new Finding("G006", Severity.ERROR, path, 1, 1, old.app(), key.name(),
                    "migration " + old.app() + "." + key.name() + " was deleted, and no squashed migration replaces it",
                    "Restore " + path + ". To retire old migrations, squash them (`python manage.py squashmigrations "
                            + old.app() + " " + key.name() + "`) and delete the originals only once every database has "
                            + "applied the squash."));
        }
        return new ChangeSet(Collections.unmodifiableList(changes), Collections.unmodifiableList(findings));
    }

    private static boolean isMigration(MigrationFile f) {
        return f.status() != MigrationFile.Status.NOT_A_MIGRATION;
    }

    private static int line(MigrationFile f) {
        return f.migration() == null ? 1 : f.migration().line();
    }

    private static String fingerprint(MigrationFile f) {
        return f.module() == null ? null : SyntaxFingerprint.of(f.module());
    }

    /**
     * Whether the migration has operations: a merge migration is nothing but its dependencies,
     * so one deleted and another added are no rename.
     */
    private static boolean hasOperations(MigrationFile f) {
        return f.migration() != null && !f.migration().operations().isEmpty();
    }

    /** The syntax tree without the Migration class's dependencies and run_before. */
    private static String orderless(MigrationFile f) {
        return SyntaxFingerprint.of(ShippedEdit.withoutOrdering(f.module()));
    }

    private static Map<String, MigrationGraph.LabeledFile> byPath(LoadedSnapshot s) {
        Map<String, MigrationGraph.LabeledFile> m = new LinkedHashMap<>();
        for (MigrationGraph.LabeledFile f : s.files()) {
            m.put(f.file().path(), f);
        }
        return m;
    }

    /** The changes and findings of the given head paths only (FILE operands name what to analyse). */
    public ChangeSet only(java.util.Set<String> paths) {
        return new ChangeSet(changes.stream().filter(c -> paths.contains(c.file().path())).toList(),
                findings.stream().filter(f -> paths.contains(f.path())).toList());
    }

    public List<Change> changes() {
        return changes;
    }

    /** Added, modified and renamed files: what the range brings. */
    public List<Change> changed() {
        return changes.stream().filter(c -> c.kind() != Kind.UNCHANGED).toList();
    }

    public List<Finding> findings() {
        return findings;
    }

    /** Keys of the migrations the range adds (added or renamed), per app. */
    public Map<String, List<String>> addedByApp() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (Change c : changes) {
            if ((c.kind() == Kind.ADDED || c.kind() == Kind.RENAMED) && isMigration(c.file())) {
                out.computeIfAbsent(c.app(), a -> new ArrayList<>()).add(MigrationGraph.migrationName(c.file().path()));
            }
        }
        out.values().forEach(Collections::sort);
        return out;
    }
}
