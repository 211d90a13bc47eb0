package dev.migsafe.graph;

import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
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
 * parents each added migrations to one app since their merge base) and the merge migrations
 * that resolved them. Trees are compared commit by commit (identical subtrees are skipped), and
 * every blob is parsed at most once.
 */
public final class HistoryWalker {

    public record Appearance(String path, String commit, int time) {}

    public record Edit(String commit, String path, boolean cosmetic) {}

    public record PastDivergence(String mergeCommit, String app, List<String> first, List<String> second,
                                 String resolvedBy) {}

    public record History(int commits, List<Appearance> appearances, List<Edit> edits,
                          List<PastDivergence> divergences, int blobsParsed) {}

    /** What history needs of a parsed blob. */
    private record Summary(String fingerprint, List<Dependency> dependencies) {}

    private final GitRepository git;
    private final MigrationReader reader;
    private final Map<String, Summary> parsed = new HashMap<>();
    /** "merge app name" -> path of a side's migration, for checking whether it survived. */
    private final Map<String, String> sidePaths = new HashMap<>();

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
            resolved.add(d.resolvedBy() != null ? d : new PastDivergence(d.mergeCommit(), d.app(), d.first(), d.second(),
                    resolution(d, firstSeen, commits, order)));
        }
        return new History(commits.size(), List.copyOf(firstSeen.values()), List.copyOf(edits), List.copyOf(resolved),
                parsed.size());
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
                for (String path : concat(first, second)) {
                    sidePaths.put(merge.name() + " " + e.getKey() + " " + MigrationGraph.migrationName(path), path);
                }
                String renamed = renamedInMerge(merge, first, second);
                out.add(new PastDivergence(merge.name(), e.getKey(), names(first), names(second), renamed));
            }
        }
        return out;
    }

    /**
     * How the merge commit itself resolved the divergence, if it did: teams renumber one side's
     * file, or point one side's migration at the other side's leaf.
     */
    private String renamedInMerge(RevCommit merge, List<String> first, List<String> second) throws GitException {
        for (List<String> side : List.of(second, first)) {
            for (String path : side) {
                if (git.blobAt(merge.name(), path) == null) {
                    return "renaming " + MigrationGraph.migrationName(path) + " in the merge";
                }
            }
        }
        for (List<String> side : List.of(second, first)) {
            List<String> other = names(side == second ? first : second);
            for (String path : side) {
                ObjectId blob = git.blobAt(merge.name(), path);
                for (Dependency d : summary(path, blob).dependencies()) {
                    if (other.contains(d.name())) {
                        return "making " + MigrationGraph.migrationName(path) + " depend on " + d.name() + " in the merge";
                    }
                }
            }
        }
        return null;
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

    private static String appOf(String path) {
        String folder = AppLabels.appFolder(path);
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    /** The first migration of the app, added at or after the merge, that depends on two of the app's migrations. */
    private String resolution(PastDivergence d, Map<String, Appearance> firstSeen, List<RevCommit> commits,
                              Map<String, Integer> order) throws GitException {
        int mergeAt = order.get(d.mergeCommit());
        for (Appearance a : firstSeen.values()) {
            Integer at = order.get(a.commit());
            if (at == null || at < mergeAt || !appOf(a.path()).equals(d.app())) {
                continue;
            }
            ObjectId blob = git.blobAt(a.commit(), a.path());
            if (blob == null) {
                continue;
            }
            String name = MigrationGraph.migrationName(a.path());
            List<String> sameApp = summary(a.path(), blob).dependencies().stream()
                    .filter(dep -> d.app().equals(dep.app())).map(Dependency::name).toList();
            // A merge migration of this divergence joins two leaves, one of them from its sides;
            // a later one that joins other leaves resolves a different split.
            if (sameApp.size() >= 2 && sameApp.stream().anyMatch(n -> d.first().contains(n) || d.second().contains(n))) {
                return "merge migration " + name;
            }
            if (!d.first().contains(name) && !d.second().contains(name)
                    && (unnumbered(d.first()).contains(unnumbered(name)) || unnumbered(d.second()).contains(unnumbered(name)))) {
                return "renumbering as " + name;
            }
        }
        // Teams also delete or rename one side's migration in a later commit.
        RevCommit head = commits.get(commits.size() - 1);
        for (String name : concat(d.second(), d.first())) {
            String path = sidePaths.get(d.mergeCommit() + " " + d.app() + " " + name);
            if (path != null && git.blobAt(head.name(), path) == null) {
                return "removing or renaming " + name + " later";
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String unnumbered(String name) {
        return name.replaceFirst("^\\d+_", "");
    }

    private static List<String> unnumbered(List<String> names) {
        return names.stream().map(HistoryWalker::unnumbered).toList();
    }

    private Summary summary(String path, ObjectId blob) {
        return parsed.computeIfAbsent(blob.name(), id -> {
            MigrationFile f = reader.read(path, blob.name(), () -> git.readBlob(blob));
            String fp = f.module() == null ? null : sha256(SyntaxFingerprint.of(f.module()));
            return new Summary(fp, f.migration() == null ? List.of() : f.migration().dependencies());
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
