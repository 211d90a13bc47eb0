package dev.migsafe.graph;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upgrade of one site from what its database has applied to the migrations of TO, in the
 * order `manage.py migrate` applies them, split into the steps a deploy runs: `migrate APP NAME`
 * lines for the pre-deploy migrations, the rollout, then `migrate` for the post-deploy ones; and
 * for every step, the commands that take the database back to where it was.
 *
 * <p>Squashes follow Django's loader: a squash counts as applied when every migration it replaces
 * is; one whose replaced migrations are partly applied is set aside and its remaining replaced
 * migrations run instead. The order follows Django's executor: for each leaf node (sorted by app
 * and name) the depth-first plan of its dependencies, parents taken in sorted order.
 */
public final class UpgradePlan {

    /** One command of the deploy. {@code problem} says why it cannot run as written, or is null. */
    public record Step(int number, Stage stage, String command, List<MigrationKey> migrations, String problem) {}

    private final MigrationGraph graph;
    private final Set<MigrationKey> applied;
    private final List<MigrationKey> order;
    private final List<Step> steps;
    private final List<MigrationKey> ahead;
    private final List<MigrationKey> setAside;
    private final List<String> refusals = new ArrayList<>();

    private UpgradePlan(MigrationGraph graph, Set<MigrationKey> applied, List<MigrationKey> order, List<Step> steps,
                        List<MigrationKey> ahead, List<MigrationKey> setAside) {
        this.graph = graph;
        this.applied = applied;
        this.order = order;
        this.steps = steps;
        this.ahead = ahead;
        this.setAside = setAside;
    }

    /** The migrations to apply, in Django's order. */
    public List<MigrationKey> order() {
        return order;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Migrations the site applied that TO does not have: they must be unapplied first, with the code that has them. */
    public List<MigrationKey> ahead() {
        return ahead;
    }

    /** Squashes set aside because the site applied only part of what they replace. */
    public List<MigrationKey> setAside() {
        return setAside;
    }

    /**
     * Why Django's `migrate` would refuse this site (a squash it applied in part whose replaced
     * migrations TO no longer has); empty when it would run.
     */
    public List<String> refusals() {
        return refusals;
    }

    /** What the database counts as applied before the upgrade (squashes resolved). */
    public Set<MigrationKey> applied() {
        return applied;
    }

    public MigrationGraph graph() {
        return graph;
    }

    public Stage stage(MigrationKey k) {
        MigrationGraph.Node n = graph.node(k);
        return n == null || n.file().migration() == null ? Stage.PRE_DEPLOY : Stage.of(n.file().migration());
    }

    /**
     * The commands that take the database back to where it was, once steps 1..{@code afterStep}
     * have run: per app touched, `migrate APP TARGET` with the app's last migration applied before
     * (or `zero`), the app touched last first.
     */
    public List<String> wayBack(int afterStep) {
        List<String> apps = new ArrayList<>();
        for (Step s : steps) {
            if (s.number() > afterStep) {
                break;
            }
            for (MigrationKey k : s.migrations()) {
                apps.remove(k.app());
                apps.add(k.app());
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = apps.size() - 1; i >= 0; i--) {
            out.add("python manage.py migrate " + apps.get(i) + " " + targetBefore(apps.get(i)));
        }
        return out;
    }

    /** The migrations applied by steps 1..{@code afterStep}, in order. */
    public List<MigrationKey> appliedBy(int afterStep) {
        List<MigrationKey> out = new ArrayList<>();
        steps.stream().filter(s -> s.number() <= afterStep).forEach(s -> out.addAll(s.migrations()));
        return out;
    }

    private Map<String, String> targetsBefore;

    /** The app's last migration the site had applied before the upgrade, or "zero" (one walk of the graph per plan). */
    String targetBefore(String app) {
        if (targetsBefore == null) {
            targetsBefore = new java.util.HashMap<>();
            for (MigrationGraph.Node n : graph.topologicalOrder()) {
                if (applied.contains(n.key())) {
                    targetsBefore.put(n.key().app(), n.key().name());
                }
            }
        }
        return targetsBefore.getOrDefault(app, "zero");
    }

    public static UpgradePlan compute(LoadedSnapshot to, Set<MigrationKey> siteApplied, Map<String, String> swappable) {
        // Squashes the site applied only in part are set aside: their replaced migrations run instead.
        Set<MigrationKey> setAside = new LinkedHashSet<>();
        Set<MigrationKey> squashApplied = new HashSet<>();
        for (MigrationGraph.LabeledFile f : to.files()) {
            if (f.file().migration() == null || f.file().migration().replaces().isEmpty()) {
                continue;
            }
            MigrationKey s = new MigrationKey(f.app(), MigrationGraph.migrationName(f.file().path()));
            List<MigrationKey> replaces = f.file().migration().replaces();
            long done = replaces.stream().filter(siteApplied::contains).count();
            if (siteApplied.contains(s) || done == replaces.size()) {
                squashApplied.add(s);
            } else if (done > 0) {
                setAside.add(s);
            }
        }
        List<MigrationGraph.LabeledFile> files = new ArrayList<>();
        for (MigrationGraph.LabeledFile f : to.files()) {
            MigrationKey k = new MigrationKey(f.app(), MigrationGraph.migrationName(f.file().path()));
            if (!setAside.contains(k) && f.file().status() != MigrationFile.Status.NOT_A_MIGRATION) {
                files.add(f);
            }
        }
        MigrationGraph g = setAside.isEmpty() ? to.graph() : MigrationGraph.build(files, swappable);
        Set<MigrationKey> applied = new LinkedHashSet<>();
        List<MigrationKey> ahead = new ArrayList<>();
        for (MigrationKey k : siteApplied) {
            if (g.nodes().containsKey(k)) {
                applied.add(k);
            } else if (g.replacedBy(k) == null && g.apps().contains(k.app())) {
                ahead.add(k);
            }
        }
        applied.addAll(squashApplied);
        List<MigrationKey> order = new ArrayList<>();
        Set<MigrationKey> planned = new HashSet<>();
        for (MigrationKey target : leaves(g)) {
            for (MigrationKey m : forwards(g, target)) {
                if (!applied.contains(m) && planned.add(m)) {
                    order.add(m);
                }
            }
        }
        UpgradePlan plan = new UpgradePlan(g, applied, order, new ArrayList<>(), ahead, List.copyOf(setAside));
        Set<MigrationKey> present = new HashSet<>();
        for (MigrationGraph.LabeledFile f : to.files()) {
            present.add(new MigrationKey(f.app(), MigrationGraph.migrationName(f.file().path())));
        }
        for (MigrationGraph.LabeledFile f : to.files()) {
            MigrationKey s = new MigrationKey(f.app(), MigrationGraph.migrationName(f.file().path()));
            if (setAside.contains(s)) {
                List<MigrationKey> gone = f.file().migration().replaces().stream()
                        .filter(r -> !present.contains(r) && !siteApplied.contains(r)).toList();
                if (!gone.isEmpty()) {
                    plan.refusals.add(s.app() + "." + s.name() + " replaces migrations the site applied only in part, and "
                            + "the rest (" + String.join(", ", gone.stream().map(k -> k.app() + "." + k.name()).toList())
                            + ") are gone from this commit: Django cannot apply them, so migrate stops; upgrade first to "
                            + "a release that still has them");
                }
            }
        }
        plan.steps.addAll(steps(plan));
        return plan;
    }

    /** Django's leaf nodes: no child in the same app; sorted by app and name. */
    private static List<MigrationKey> leaves(MigrationGraph g) {
        List<MigrationKey> out = new ArrayList<>();
        for (String app : g.apps()) {
            out.addAll(g.leaves(app));
        }
        out.sort(Comparator.comparing(MigrationKey::app).thenComparing(MigrationKey::name));
        return out;
    }

    /**
     * Django's forwards_plan: an iterative depth-first walk from the target, parents pushed in
     * sorted order (so the greatest is taken first), each node listed after its parents.
     */
    static List<MigrationKey> forwards(MigrationGraph g, MigrationKey target) {
        List<MigrationKey> visited = new ArrayList<>();
        Set<MigrationKey> seen = new HashSet<>();
        record Entry(MigrationKey key, boolean processed) {}
        java.util.ArrayDeque<Entry> stack = new java.util.ArrayDeque<>();
        stack.push(new Entry(target, false));
        while (!stack.isEmpty()) {
            Entry e = stack.pop();
            if (seen.contains(e.key())) {
                continue;
            }
            if (e.processed()) {
                seen.add(e.key());
                visited.add(e.key());
                continue;
            }
            stack.push(new Entry(e.key(), true));
            MigrationGraph.Node n = g.nodes().get(e.key());
            List<MigrationKey> parents = n == null ? List.of() : new ArrayList<>(n.parents());
            parents.removeIf(p -> !g.nodes().containsKey(p)); // other projects' apps: not ours to plan
            parents.sort(MigrationGraph::compare);
            for (MigrationKey p : parents) {
                stack.push(new Entry(p, false));
            }
        }
        return visited;
    }

    /**
     * Pre-deploy steps: per app, `migrate APP NAME` up to its last pre-deploy migration of the plan,
     * in plan order; each says when it would also apply a post-deploy migration (a pre-deploy one
     * depends on it). Then one `migrate` after the rollout for the rest.
     */
    private static List<Step> steps(UpgradePlan plan) {
        List<MigrationKey> order = plan.order;
        Map<String, MigrationKey> lastPre = new LinkedHashMap<>();
        for (MigrationKey k : order) {
            if (plan.stage(k) == Stage.PRE_DEPLOY) {
                lastPre.put(k.app(), k);
            }
        }
        List<MigrationKey> targets = new ArrayList<>(lastPre.values());
        targets.sort(Comparator.comparingInt(order::indexOf));
        List<Step> out = new ArrayList<>();
        Set<MigrationKey> done = new HashSet<>(plan.applied);
        for (MigrationKey t : targets) {
            if (done.contains(t)) {
                continue; // an earlier command's dependencies applied it already
            }
            List<MigrationKey> runs = new ArrayList<>();
            for (MigrationKey m : forwards(plan.graph, t)) {
                if (!done.contains(m)) {
                    runs.add(m);
                }
            }
            done.addAll(runs);
            List<String> post = runs.stream().filter(m -> plan.stage(m) == Stage.POST_DEPLOY)
                    .map(m -> m.app() + "." + m.name()).toList();
            String problem = post.isEmpty() ? null : "it also applies the post-deploy " + String.join(", ", post)
                    + " (a pre-deploy migration depends on it, G010): before the rollout, so the code that runs "
                    + "meanwhile meets its changes; move the dependency or mark the dependent post-deploy too";
            out.add(new Step(out.size() + 1, Stage.PRE_DEPLOY, "python manage.py migrate " + t.app() + " " + t.name(),
                    List.copyOf(runs), problem));
        }
        List<MigrationKey> rest = order.stream().filter(m -> !done.contains(m)).toList();
        if (!rest.isEmpty()) {
            out.add(new Step(out.size() + 1, Stage.POST_DEPLOY, "python manage.py migrate", List.copyOf(rest), null));
        }
        return out;
    }
}
