package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** `migsafe graph` in text, JSON (schema migsafe/graph/1) and Graphviz dot. */
public final class GraphReport {

    public static final String SCHEMA = "migsafe/graph/1";

    private final LoadedSnapshot loaded;
    private final String app;

    /** @param app only this app's nodes (and their direct parents), or null for all */
    public GraphReport(LoadedSnapshot loaded, String app) {
        this.loaded = loaded;
        this.app = app;
    }

    private List<MigrationGraph.Node> nodes() {
        return loaded.graph().topologicalOrder().stream().filter(n -> app == null || n.key().app().equals(app)).toList();
    }

    private Set<String> apps() {
        Set<String> apps = new TreeSet<>(loaded.graph().apps());
        if (app != null) {
            apps.retainAll(Set.of(app));
        }
        return apps;
    }

    private List<Finding> findings() {
        // Graph findings, and files that could not be read (P006): the graph lacks what they hold.
        return loaded.findings().stream().filter(f -> (f.rule().startsWith("G") || f.rule().equals("P006"))
                        && (app == null || app.equals(f.app())))
                .toList();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("migration graph of ").append(loaded.snapshot().label());
        if (loaded.snapshot().commitId() != null) {
            sb.append(" (").append(loaded.snapshot().commitId(), 0, 12).append(')');
        }
        sb.append('\n');
        for (String a : apps()) {
            List<MigrationGraph.Node> ofApp = nodes().stream().filter(n -> n.key().app().equals(a)).toList();
            List<String> leaves = loaded.graph().leaves(a).stream().map(MigrationKey::name).toList();
            sb.append('\n').append(a).append(": ").append(ofApp.size()).append(ofApp.size() == 1 ? " migration" : " migrations")
                    .append(", leaf ").append(String.join(", ", leaves)).append('\n');
            for (MigrationGraph.Node n : ofApp) {
                sb.append("  ").append(n.key().name());
                if (n.isSquash()) {
                    sb.append("  (squashes ").append(n.replaces().size()).append(')');
                }
                if (!n.parents().isEmpty()) {
                    sb.append("  <- ").append(String.join(", ", n.parents().stream()
                            .map(p -> p.app().equals(a) ? p.name() : p.app() + "." + p.name()).toList()));
                }
                sb.append('\n');
            }
        }
        List<Finding> findings = findings();
        if (!findings.isEmpty()) {
            sb.append('\n');
            for (Finding f : findings) {
                sb.append(FindingJson.text(f)).append('\n');
            }
        }
        return sb.toString();
    }

    public ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("schema", SCHEMA);
        o.put("commit", loaded.snapshot().commitId());
        ObjectNode appsNode = o.putObject("apps");
        for (String a : apps()) {
            ObjectNode an = appsNode.putObject(a);
            ArrayNode leaves = an.putArray("leaves");
            loaded.graph().leaves(a).forEach(k -> leaves.add(k.name()));
            ArrayNode nodes = an.putArray("nodes");
            for (MigrationGraph.Node n : nodes()) {
                if (!n.key().app().equals(a)) {
                    continue;
                }
                ObjectNode nn = nodes.addObject();
                nn.put("name", n.key().name());
                nn.put("path", n.path());
                ArrayNode parents = nn.putArray("parents");
                n.parents().forEach(p -> parents.addObject().put("app", p.app()).put("name", p.name())
                        .put("external", !loaded.graph().apps().contains(p.app())));
                ArrayNode replaces = nn.putArray("replaces");
                n.replaces().forEach(r -> replaces.addObject().put("app", r.app()).put("name", r.name()));
            }
        }
        o.set("findings", FindingJson.list(findings()));
        return o;
    }

    public String dot() {
        StringBuilder sb = new StringBuilder("digraph migrations {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
        Set<String> externals = new TreeSet<>();
        for (String a : apps()) {
            sb.append("  subgraph \"cluster_").append(a).append("\" {\n    label=\"").append(a).append("\";\n");
            Set<MigrationKey> leaves = new TreeSet<>((x, y) -> (x.app() + x.name()).compareTo(y.app() + y.name()));
            leaves.addAll(loaded.graph().leaves(a));
            for (MigrationGraph.Node n : nodes()) {
                if (n.key().app().equals(a)) {
                    sb.append("    ").append(id(n.key())).append(" [label=\"").append(n.key().name()).append('"')
                            .append(leaves.contains(n.key()) ? ", style=bold" : "")
                            .append(n.isSquash() ? ", shape=box3d" : "").append("];\n");
                }
            }
            sb.append("  }\n");
        }
        for (MigrationGraph.Node n : nodes()) {
            for (MigrationKey p : n.parents()) {
                if (!loaded.graph().apps().contains(p.app())) {
                    externals.add(id(p) + " [label=\"" + p.app() + "." + p.name() + "\", style=dashed]");
                }
                sb.append("  ").append(id(p)).append(" -> ").append(id(n.key())).append(";\n");
            }
        }
        for (String e : externals) {
            sb.append("  ").append(e).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    private static String id(MigrationKey k) {
        return '"' + k.app() + "." + k.name() + '"';
    }
}
