package dev.migsafe.graph;

import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.UnreadableFile;
import dev.migsafe.migration.Dependency;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParseCache;
import dev.migsafe.python.SyntaxFingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * One walk over a branch's history: when each migration first appeared, which shipped
 * migrations were edited later (cosmetic or real), past divergences (merge commits whose
 * parents each added migrations to one app since their merge base) and how each was resolved,
 * decided from the app's leaves at the merge and at the later commits that descend from it.
 * Trees are compared commit by commit (identical subtrees are skipped), and every blob is
 * parsed at most once.
 */
public final class HistoryWalker {

    public record Appearance(String path, String commit, int time) {}

    public record Edit(String commit, String path, boolean cosmetic) {}

    public record PastDivergence(String mergeCommit, String app, List<String> first, List<String> second,
                                 String resolvedBy) {}

    /**
     * @param unreadable one sentence per file version that could not be read (missing from the
     *     clone): history around it is incomplete (an edit of it counts as real)
     */
    public record History(int commits, List<Appearance> appearances, List<Edit> edits,
                          List<PastDivergence> divergences, int blobsParsed, List<String> unreadable) {}

    /** What history needs of a parsed blob. */
    private record Summary(String fingerprint, List<Dependency> dependencies, List<String> replaces) {}

    private final GitRepository git;
    private final MigrationReader reader;
    private final Map<String, Summary> parsed = new HashMap<>();
    /** "merge app" -> the folder of the app's migrations, where its leaves are computed. */
    private final Map<String, String> folders = new HashMap<>();
    /** Commit id -> the folders whose migration files it changed (against its first parent). */
    private final Map<String, java.util.Set<String>> touched = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();

    public HistoryWalker(GitRepository git) {
        this.git = git;
        this.reader = new MigrationReader(new ModuleParser(ParseCache.diskOnly(git.commonDir())));
    }

    public History walk(RevCommit head) throws GitException {
        List<RevCommit> commits = git.history(head);
        Map<String, Appearance> firstSeen = new LinkedHashMap<>();
        List<Edit> edits = new ArrayList<>();
        List<PastDivergence> divergences = new ArrayList<>();
        for (RevCommit c : commits) {
            RevCommit parent = c.getParentCount() == 0 ? null : c.getParent(0);
            for (GitRepository.TreeChange change : git.diff(parent, c)) {
                touched.computeIfAbsent(c.name(), k -> new java.util.HashSet<>()).add(folderOf(change.path()));
                if (change.newId() == null) {
                    continue; // deleted
                }
                if (change.oldId() == null) {
                    firstSeen.putIfAbsent(change.path(), new Appearance(change.path(), c.name(), c.getCommitTime()));
                } else if (firstSeen.containsKey(change.path()) && c.getParentCount() < 2) {
                    // (a merge brings edits made on its other parent, already counted there)
                    String before = summary(change.path(), change.oldId()).fingerprint();
                    String after = summary(change.path(), change.newId()).fingerprint();
                    edits.add(new Edit(c.name(), change.path(), before != null && before.equals(after)));
                }
            }
            if (c.getParentCount() >= 2) {
                divergences.addAll(divergencesAt(c));
            }
        }
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < commits.size(); i++) {
            order.put(commits.get(i).name(), i);
        }
        List<PastDivergence> resolved = new ArrayList<>();
        for (PastDivergence d : divergences) {
            resolved.add(new PastDivergence(d.mergeCommit(), d.app(), d.first(), d.second(), resolution(d, commits, order)));
        }
        return new History(commits.size(), List.copyOf(firstSeen.values()), List.copyOf(edits), List.copyOf(resolved),
                parsed.size(), List.copyOf(unreadable));
    }

    private List<PastDivergence> divergencesAt(RevCommit merge) throws GitException {
        RevCommit a = merge.getParent(0);
        RevCommit b = merge.getParent(1);
        List<RevCommit> bases = git.mergeBases(a, b);
        if (bases.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> addedA = addedByApp(bases.get(0), a);
        Map<String, List<String>> addedB = addedByApp(bases.get(0), b);
        List<PastDivergence> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : addedA.entrySet()) {
            List<String> first = new ArrayList<>(e.getValue());
            List<String> second = new ArrayList<>(addedB.getOrDefault(e.getKey(), List.of()));
            // The same file added on both sides (a cherry-pick) is no second leaf.
            List<String> common = new ArrayList<>(first);
            common.retainAll(second);
            first.removeAll(common);
            second.removeAll(common);
            if (!first.isEmpty() && !second.isEmpty()) {
                folders.put(merge.name() + " " + e.getKey(), folderOf(first.get(0)));
                out.add(new PastDivergence(merge.name(), e.getKey(), names(first), names(second), null));
            }
        }
        return out;
    }

    private static List<String> names(List<String> paths) {
        return paths.stream().map(MigrationGraph::migrationName).toList();
    }

    /** Paths of migrations added from base to tip, by app folder name (no apps.py per commit). */
    private Map<String, List<String>> addedByApp(RevCommit base, RevCommit tip) throws GitException {
        Map<String, List<String>> out = new TreeMap<>();
        for (GitRepository.TreeChange change : git.diff(base, tip)) {
            if (change.oldId() == null && change.newId() != null) {
                out.computeIfAbsent(appOf(change.path()), k -> new ArrayList<>()).add(change.path());
            }
        }
        return out;
    }

    private String appOf(String path) {
        String label = git.migrationPaths().moduleLabel(path);
        if (label != null) {
            return label;
        }
        String folder = AppLabels.appFolder(path);
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    /** The folder a migration file lies in (the app's migrations package). */
    private static String folderOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /**
     * Decided from the graph, commit by commit: the divergence is resolved at the first commit,
     * the merge itself or a later one that descends from it and changes the app's migrations,
     * where the app has one leaf again; how is read from what that commit changed (a migration
     * joining two leaves, a side's migration renumbered, removed or made to depend on the other
     * side). Null when the app never gets back to one leaf (or its folder moves away first).
     */
    private String resolution(PastDivergence d, List<RevCommit> commits, Map<String, Integer> order)
            throws GitException {
        String folder = folders.get(d.mergeCommit() + " " + d.app());
        int mergeAt = order.get(d.mergeCommit());
        RevCommit merge = commits.get(mergeAt);
        Map<String, List<String>> before = new HashMap<>();
        for (RevCommit p : merge.getParents()) {
            before.putAll(app(p.name(), folder, d.app()));
        }
        java.util.Set<String> descendants = new java.util.HashSet<>();
        descendants.add(merge.name());
        for (int i = mergeAt; i < commits.size(); i++) {
            RevCommit c = commits.get(i);
            if (i > mergeAt) {
                boolean below = false;
                for (RevCommit p : c.getParents()) {
                    below |= descendants.contains(p.name());
                }
                if (!below) {
                    continue;
                }
                descendants.add(c.name());
                if (!touched.getOrDefault(c.name(), java.util.Set.of()).contains(folder)) {
                    continue;
                }
            }
            Map<String, List<String>> now = app(c.name(), folder, d.app());
            if (now.isEmpty()) {
                return null; // the app moved or went away
            }
            if (leaves(now).size() <= 1) {
                return how(d, before, now) + (i == mergeAt ? " in the merge" : " (done in " + c.name().substring(0, 10) + ")");
            }
        }
        return null;
    }

    /**
     * What changed from the merge's parents to the commit that resolved the divergence (the
     * app's migrations as name -> same-app dependencies on both sides): a renumbering can be
     * done in two steps, a copy added in the merge and the original removed later.
     */
    private static String how(PastDivergence d, Map<String, List<String>> before, Map<String, List<String>> now) {
        List<String> added = now.keySet().stream().filter(n -> !before.containsKey(n)).sorted().toList();
        for (String n : added) {
            if (now.get(n).size() >= 2) {
                return "merge migration " + n;
            }
        }
        List<String> sides = concat(d.second(), d.first());
        for (String side : sides) {
            if (!now.containsKey(side)) {
                for (String n : added) {
                    if (unnumbered(n).equals(unnumbered(side))) {
                        return "renumbering " + side + " as " + n;
                    }
                }
            }
        }
        for (String side : sides) {
            if (!now.containsKey(side)) {
                return added.size() == 1 ? "replacing " + side + " with " + added.get(0) : "removing " + side;
            }
        }
        for (String side : sides) {
            List<String> was = before.getOrDefault(side, List.of());
            for (String dep : now.get(side)) {
                if (!was.contains(dep)) {
                    return "making " + side + " depend on " + dep;
                }
            }
        }
        return added.isEmpty() ? "changing the app's dependencies" : "adding " + String.join(", ", added);
    }

    /** The app's migrations at a commit: name -> its dependencies on the same app (squashes standing in). */
    private Map<String, List<String>> app(String commit, String folder, String app) throws GitException {
        Map<String, List<String>> out = new TreeMap<>();
        Map<String, String> replacedBy = new HashMap<>();
        Map<String, Summary> summaries = new TreeMap<>();
        for (Map.Entry<String, ObjectId> e : git.migrationsIn(commit, folder).entrySet()) {
            Summary s = summary(e.getKey(), e.getValue());
            String name = MigrationGraph.migrationName(e.getKey());
            summaries.put(name, s);
            for (String r : s.replaces()) {
                if (r.startsWith(app + ".")) {
                    replacedBy.put(r.substring(app.length() + 1), name);
                }
            }
        }
        for (Map.Entry<String, Summary> e : summaries.entrySet()) {
            if (replacedBy.containsKey(e.getKey())) {
                continue;
            }
            List<String> deps = new ArrayList<>();
            for (Dependency dep : e.getValue().dependencies()) {
                if (app.equals(dep.app()) && dep.name() != null) {
                    deps.add(replacedBy.getOrDefault(dep.name(), dep.name()));
                }
            }
            out.put(e.getKey(), deps);
        }
        return out;
    }

    private static List<String> leaves(Map<String, List<String>> app) {
        java.util.Set<String> parents = new java.util.HashSet<>();
        app.values().forEach(parents::addAll);
        return app.keySet().stream().filter(n -> !parents.contains(n)).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String unnumbered(String name) {
        return name.replaceFirst("^\\d+_", "");
    }

    private Summary summary(String path, ObjectId blob) {
        return parsed.computeIfAbsent(blob.name(), id -> {
            MigrationFile f;
            try {
                f = reader.read(path, blob.name(), () -> git.readBlob(path, blob));
            } catch (UnreadableFile e) {
                unreadable.add(e.getMessage());
                return new Summary(null, List.of(), List.of());
            }
            String fp = f.module() == null ? null : sha256(SyntaxFingerprint.of(f.module()));
            return new Summary(fp, f.migration() == null ? List.of() : f.migration().dependencies(),
                    f.migration() == null ? List.of() : f.migration().replaces().stream().map(k -> k.app() + "." + k.name()).toList());
        });
    }

    /** Fingerprints are kept as hashes: a long history's trees would not fit in memory as text. */
    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
