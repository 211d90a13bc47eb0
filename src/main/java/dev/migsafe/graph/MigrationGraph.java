package dev.migsafe.graph;

import dev.migsafe.migration.Dependency;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migration graph of one snapshot, built as Django's loader builds it: a node per migration
 * of the repository's apps, edges from {@code dependencies} and {@code run_before},
 * {@code __first__}/{@code __latest__} resolved, swappable dependencies mapped through the
 * configured setting, apps outside the repository as known-external, and squashed migrations
 * standing in for the nodes they replace (dependencies on replaced nodes are remapped).
 *
 * Structural problems are findings: G001 multiple leaves, G003 missing dependency, G004 cycle,
 * G008 duplicate number.
 */
public final class MigrationGraph {

    /** A migration of the repository. {@code parents} include external ones (apps not in the repo). */
    public record Node(MigrationKey key, String path, MigrationFile file, List<MigrationKey> parents,
                       List<MigrationKey> replaces) {
        public boolean isSquash() {
            return !replaces.isEmpty();
        }

        /** Where the Migration class starts (1 when the file did not parse). */
        public int line() {
            return file.migration() == null ? 1 : file.migration().line();
        }
    }

    /** Django's default for AUTH_USER_MODEL; the configuration's `swappable` map extends it. */
    public static final Map<String, String> DEFAULT_SWAPPABLE = Map.of("AUTH_USER_MODEL", "auth.User");

    private static final Pattern NUMBER = Pattern.compile("^(\\d+)_");

    private final Map<MigrationKey, Node> nodes = new TreeMap<>(MigrationGraph::compare);
    private final Map<MigrationKey, MigrationKey> replacedBy = new HashMap<>();
    private final Set<String> apps = new TreeSet<>();
    private final Set<MigrationKey> external = new TreeSet<>(MigrationGraph::compare);
    private final List<Finding> findings = new ArrayList<>();

    private MigrationGraph() {}

    /** A file of the snapshot with its app label. */
    public record LabeledFile(String app, MigrationFile file) {}

    public static MigrationGraph build(List<LabeledFile> files, Map<String, String> swappable) {
        MigrationGraph g = new MigrationGraph();
        g.load(files, swappable);
        return g;
    }

    static int compare(MigrationKey a, MigrationKey b) {
        int c = a.app().compareTo(b.app());
        return c != 0 ? c : a.name().compareTo(b.name());
    }

    public static String migrationName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.endsWith(".py") ? file.substring(0, file.length() - 3) : file;
    }

    // ------------------------------------------------------------------ building

    private record Pending(MigrationKey key, String path, MigrationFile file) {}

    private void load(List<LabeledFile> files, Map<String, String> swappable) {
        List<Pending> pending = new ArrayList<>();
        for (LabeledFile f : files) {
            if (f.file().status() == MigrationFile.Status.NOT_A_MIGRATION) {
                continue;
            }
            apps.add(f.app());
            pending.add(new Pending(new MigrationKey(f.app(), migrationName(f.file().path())), f.file().path(), f.file()));
        }
        // Squashes stand in for what they replace, whether or not the replaced files remain.
        for (Pending p : pending) {
            if (p.file().migration() != null) {
                for (MigrationKey r : p.file().migration().replaces()) {
                    replacedBy.put(r, p.key());
                }
            }
        }
        Map<MigrationKey, Pending> byKey = new LinkedHashMap<>();
        for (Pending p : pending) {
            if (!replacedBy.containsKey(p.key())) {
                byKey.put(p.key(), p);
            }
        }
        // First pass: literal dependencies; __first__/__latest__/swappable need the app's shape.
        Map<MigrationKey, List<MigrationKey>> parents = new HashMap<>();
        for (Pending p : byKey.values()) {
            List<MigrationKey> ps = new ArrayList<>();
            if (p.file().migration() != null) {
                for (Dependency d : p.file().migration().dependencies()) {
                    if (d.kind() == Dependency.Kind.LITERAL) {
                        addParent(p, ps, remap(new MigrationKey(d.app(), d.name())), byKey, d.line(), d.column());
                    }
                }
            }
            parents.put(p.key(), ps);
        }
        for (Pending p : byKey.values()) {
            if (p.file().migration() == null) {
                continue;
            }
            for (Dependency d : p.file().migration().dependencies()) {
                String app = d.kind() == Dependency.Kind.SWAPPABLE ? swappableApp(d.setting(), swappable) : d.app();
                if (app == null || d.kind() == Dependency.Kind.LITERAL || d.kind() == Dependency.Kind.UNRESOLVED) {
                    continue;
                }
                if (!apps.contains(app)) {
                    MigrationKey ext = new MigrationKey(app, d.kind() == Dependency.Kind.LATEST ? "__latest__" : "__first__");
                    external.add(ext);
                    parents.get(p.key()).add(ext);
                    continue;
                }
                MigrationKey target = d.kind() == Dependency.Kind.LATEST ? firstOf(leaves(app, byKey, parents))
                        : firstOf(roots(app, byKey, parents));
                if (target == null) {
                    findings.add(new Finding("G003", Severity.ERROR, p.path(), d.line(), d.column(), p.key().app(),
                            p.key().name(), "dependency on app '" + app + "', which has no migrations",
                            "Add migrations to '" + app + "' or remove the dependency."));
                } else if (!target.equals(p.key())) {
                    parents.get(p.key()).add(target);
                }
            }
        }
        // run_before: the named migration depends on this one.
        for (Pending p : byKey.values()) {
            if (p.file().migration() == null) {
                continue;
            }
            for (MigrationKey before : p.file().migration().runBefore()) {
                MigrationKey target = remap(before);
                if (byKey.containsKey(target)) {
                    parents.get(target).add(p.key());
                } else if (apps.contains(target.app())) {
                    findings.add(missing(p, target, p.file().migration().line(), 1, byKey));
                }
            }
        }
        for (Pending p : byKey.values()) {
            List<MigrationKey> replaces = p.file().migration() == null ? List.of() : p.file().migration().replaces();
            nodes.put(p.key(), new Node(p.key(), p.path(), p.file(), List.copyOf(new LinkedHashSet<>(parents.get(p.key()))),
                    replaces));
        }
        checkLeaves();
        checkCycles();
        checkNumbers();
    }

    private void addParent(Pending p, List<MigrationKey> ps, MigrationKey target, Map<MigrationKey, Pending> byKey,
                           int line, int column) {
        if (!apps.contains(target.app())) {
            external.add(target);
            ps.add(target);
        } else if (byKey.containsKey(target)) {
            ps.add(target);
        } else {
            findings.add(missing(p, target, line, column, byKey));
        }
    }

    private Finding missing(Pending p, MigrationKey target, int line, int column, Map<MigrationKey, Pending> byKey) {
        List<String> ofApp = byKey.keySet().stream().filter(k -> k.app().equals(target.app()))
                .map(MigrationKey::name).sorted().toList();
        String hint = ofApp.isEmpty() ? "" : " (its latest is " + ofApp.get(ofApp.size() - 1) + ")";
        return new Finding("G003", Severity.ERROR, p.path(), line, column, p.key().app(), p.key().name(),
                p.key().app() + "." + p.key().name() + " depends on " + target.app() + "." + target.name()
                        + ", which does not exist in this commit",
                "Point the dependency at an existing migration of '" + target.app() + "'" + hint
                        + ", or restore the missing file.");
    }

    private MigrationKey remap(MigrationKey key) {
        MigrationKey k = key;
        for (int i = 0; i < 10 && replacedBy.containsKey(k); i++) {
            k = replacedBy.get(k);
        }
        return k;
    }

    private static String swappableApp(String setting, Map<String, String> swappable) {
        String model = swappable.getOrDefault(setting, DEFAULT_SWAPPABLE.get(setting));
        if (model == null || !model.contains(".")) {
            return null;
        }
        return model.substring(0, model.indexOf('.'));
    }

    private static MigrationKey firstOf(List<MigrationKey> keys) {
        return keys.isEmpty() ? null : keys.get(0);
    }

    /** Nodes of an app with no parent in the same app, sorted (Django's root_nodes(app)). */
    private static List<MigrationKey> roots(String app, Map<MigrationKey, Pending> byKey,
                                            Map<MigrationKey, List<MigrationKey>> parents) {
        List<MigrationKey> out = new ArrayList<>();
        for (MigrationKey k : byKey.keySet()) {
            if (k.app().equals(app) && parents.get(k).stream().noneMatch(p -> p.app().equals(app))) {
                out.add(k);
            }
        }
        out.sort(MigrationGraph::compare);
        return out;
    }

    /** Nodes of an app with no child in the same app, sorted (Django's leaf_nodes(app)). */
    private static List<MigrationKey> leaves(String app, Map<MigrationKey, ?> keys,
                                             Map<MigrationKey, List<MigrationKey>> parents) {
        Set<MigrationKey> hasChild = new java.util.HashSet<>();
        for (MigrationKey k : keys.keySet()) {
            if (k.app().equals(app)) {
                for (MigrationKey p : parents.get(k)) {
                    if (p.app().equals(app)) {
                        hasChild.add(p);
                    }
                }
            }
        }
        List<MigrationKey> out = new ArrayList<>();
        for (MigrationKey k : keys.keySet()) {
            if (k.app().equals(app) && !hasChild.contains(k)) {
                out.add(k);
            }
        }
        out.sort(MigrationGraph::compare);
        return out;
    }

    private Map<MigrationKey, List<MigrationKey>> parentMap() {
        Map<MigrationKey, List<MigrationKey>> m = new HashMap<>();
        nodes.forEach((k, n) -> m.put(k, n.parents()));
        return m;
    }

    // ------------------------------------------------------------------ checks

    /** The leaves of every app in one pass (asking per app costs apps x migrations). */
    private Map<String, List<MigrationKey>> leavesByApp() {
        Set<MigrationKey> hasChild = new java.util.HashSet<>();
        for (Node n : nodes.values()) {
            for (MigrationKey p : n.parents()) {
                if (p.app().equals(n.key().app())) {
                    hasChild.add(p);
                }
            }
        }
        Map<String, List<MigrationKey>> out = new HashMap<>();
        for (MigrationKey k : nodes.keySet()) {
            if (!hasChild.contains(k)) {
                out.computeIfAbsent(k.app(), a -> new ArrayList<>()).add(k);
            }
        }
        out.values().forEach(l -> l.sort(MigrationGraph::compare));
        return out;
    }

    private void checkLeaves() {
        Map<String, List<MigrationKey>> all = leavesByApp();
        for (String app : apps) {
            List<MigrationKey> leaves = all.getOrDefault(app, List.of());
            if (leaves.size() > 1) {
                Node first = nodes.get(leaves.get(leaves.size() - 1));
                String names = String.join(", ", leaves.stream().map(MigrationKey::name).toList());
                findings.add(new Finding("G001", Severity.ERROR, first.path(), first.line(), 1, app, first.key().name(),
                        "app '" + app + "' has " + leaves.size() + " leaf migrations (" + names
                                + "): Django refuses to migrate (\"Conflicting migrations detected\")",
                        "Run `python manage.py makemigrations --merge " + app + "`, or renumber "
                                + leaves.get(leaves.size() - 1).name() + " and make it depend on ('" + app + "', '"
                                + leaves.get(0).name() + "')."));
            }
        }
    }

    private void checkCycles() {
        Map<MigrationKey, Integer> state = new HashMap<>();
        Set<Set<MigrationKey>> reported = new java.util.HashSet<>();
        for (MigrationKey start : nodes.keySet()) {
            if (!state.containsKey(start)) {
                List<MigrationKey> stack = new ArrayList<>();
                dfs(start, state, stack, reported);
            }
        }
    }

    /** Iterative-enough DFS: graphs are a few thousand nodes deep at most, run on the big stack. */
    private void dfs(MigrationKey k, Map<MigrationKey, Integer> state, List<MigrationKey> stack,
                     Set<Set<MigrationKey>> reported) {
        state.put(k, 1);
        stack.add(k);
        for (MigrationKey p : nodes.get(k).parents()) {
            if (!nodes.containsKey(p)) {
                continue;
            }
            Integer s = state.get(p);
            if (s == null) {
                dfs(p, state, stack, reported);
            } else if (s == 1) {
                List<MigrationKey> cycle = new ArrayList<>(stack.subList(stack.indexOf(p), stack.size()));
                if (reported.add(new java.util.HashSet<>(cycle))) {
                    Node at = nodes.get(k);
                    cycle.add(p);
                    String path = String.join(" -> ", cycle.stream().map(c -> c.app() + "." + c.name()).toList());
                    findings.add(new Finding("G004", Severity.ERROR, at.path(), at.line(), 1, k.app(), k.name(),
                            "dependency cycle: " + path,
                            "Remove one of the dependencies (or run_before entries) that close the cycle."));
                }
            }
        }
        stack.remove(stack.size() - 1);
        state.put(k, 2);
    }

    private void checkNumbers() {
        Map<String, List<Node>> byNumber = new TreeMap<>();
        for (Node n : nodes.values()) {
            Matcher m = NUMBER.matcher(n.key().name());
            if (m.find()) {
                byNumber.computeIfAbsent(n.key().app() + " " + Integer.parseInt(m.group(1)), x -> new ArrayList<>()).add(n);
            }
        }
        for (List<Node> same : byNumber.values()) {
            if (same.size() < 2) {
                continue;
            }
            // One finding per member, at its own file: a range that adds one of them shows it.
            for (Node n : same) {
                String others = String.join(", ", same.stream().filter(o -> o != n).map(o -> o.key().name()).toList());
                findings.add(new Finding("G008", Severity.INFO, n.path(), n.line(), 1, n.key().app(), n.key().name(),
                        n.key().app() + "." + n.key().name() + " shares its number with " + others,
                        "Usually the trace of a divergence fixed without a merge migration; renumbering is "
                                + "only safe for migrations no database has applied yet."));
            }
        }
    }

    // ------------------------------------------------------------------ queries

    public Map<MigrationKey, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    public Node node(MigrationKey key) {
        return nodes.get(remap(key));
    }

    public Set<String> apps() {
        return Collections.unmodifiableSet(apps);
    }

    public Set<MigrationKey> external() {
        return Collections.unmodifiableSet(external);
    }

    public List<Finding> findings() {
        return Collections.unmodifiableList(findings);
    }

    /** What a replaced migration is stood in for by, or null. */
    public MigrationKey replacedBy(MigrationKey key) {
        return replacedBy.get(key);
    }

    /** Leaf migrations of an app (no child in the same app), sorted. */
    public List<MigrationKey> leaves(String app) {
        return leaves(app, nodes, parentMap());
    }

    /** Every node in an order where parents come before children (Django's plan for all apps). */
    public List<Node> topologicalOrder() {
        List<Node> out = new ArrayList<>();
        Set<MigrationKey> done = new java.util.HashSet<>();
        Set<MigrationKey> visiting = new java.util.HashSet<>();
        for (MigrationKey k : nodes.keySet()) {
            visit(k, done, visiting, out);
        }
        return out;
    }

    private void visit(MigrationKey k, Set<MigrationKey> done, Set<MigrationKey> visiting, List<Node> out) {
        if (done.contains(k) || !visiting.add(k)) {
            return; // finished, or part of a cycle (reported as G004)
        }
        for (MigrationKey p : nodes.get(k).parents()) {
            if (nodes.containsKey(p)) {
                visit(p, done, visiting, out);
            }
        }
        visiting.remove(k);
        done.add(k);
        out.add(nodes.get(k));
    }
}
