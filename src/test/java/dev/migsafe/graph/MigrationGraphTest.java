package dev.migsafe.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.MigrationReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph building as Django's loader does it, on small in-memory projects. */
class MigrationGraphTest {

    private final MigrationReader reader = new MigrationReader();
    private final List<MigrationGraph.LabeledFile> files = new ArrayList<>();

    private MigrationGraphTest add(String app, String name, String deps) {
        return add(app, name, deps, "");
    }

    private MigrationGraphTest add(String app, String name, String deps, String extra) {
        String source = "from django.conf import settings\nfrom django.db import migrations\n\n"
                + "class Migration(migrations.Migration):\n    dependencies = [" + deps + "]\n" + extra
                + "    operations = []\n";
        String path = app + "/migrations/" + name + ".py";
        files.add(new MigrationGraph.LabeledFile(app, reader.read(path, source.getBytes(StandardCharsets.UTF_8))));
        return this;
    }

    private MigrationGraph build() {
        return MigrationGraph.build(files, Map.of());
    }

    private static List<String> rules(MigrationGraph g) {
        return g.findings().stream().map(Finding::rule).toList();
    }

    @Test
    void linearHistoryHasOneLeafAndNoFindings() {
        MigrationGraph g = add("shop", "0001_initial", "(\"auth\", \"0012_x\")")
                .add("shop", "0002_more", "(\"shop\", \"0001_initial\")").build();
        assertEquals(List.of(), g.findings());
        assertEquals(List.of(new MigrationKey("shop", "0002_more")), g.leaves("shop"));
        assertTrue(g.external().contains(new MigrationKey("auth", "0012_x")), "apps outside the repo are external");
    }

    @Test
    void twoLeavesAreG001WithTheMergeCommand() {
        MigrationGraph g = add("shop", "0001_initial", "")
                .add("shop", "0002_a", "(\"shop\", \"0001_initial\")")
                .add("shop", "0002_b", "(\"shop\", \"0001_initial\")").build();
        assertEquals(List.of("G001", "G008", "G008"), rules(g));
        Finding f = g.findings().get(0);
        assertTrue(f.message().contains("0002_a, 0002_b"), f.message());
        assertTrue(f.fix().contains("makemigrations --merge shop"), f.fix());
    }

    @Test
    void missingInRepoDependencyIsG003() {
        MigrationGraph g = add("shop", "0001_initial", "").add("shop", "0002_x", "(\"shop\", \"0001_gone\")").build();
        assertEquals(List.of("G003", "G001"), rules(g));
        assertEquals(5, g.findings().get(0).line());
        assertTrue(g.findings().get(0).fix().contains("0002_x"), "names the app's latest");
    }

    @Test
    void cycleIsG004() {
        MigrationGraph g = add("a", "0001_initial", "(\"b\", \"0001_initial\")")
                .add("b", "0001_initial", "(\"a\", \"0001_initial\")").build();
        assertEquals(List.of("G004"), rules(g));
        assertTrue(g.findings().get(0).message().contains("a.0001_initial -> b.0001_initial -> a.0001_initial")
                || g.findings().get(0).message().contains("b.0001_initial -> a.0001_initial -> b.0001_initial"));
    }

    @Test
    void squashStandsInForReplacedNodesPresentOrNot() {
        // Replaced files present: they leave the graph, and dependencies on them are remapped.
        MigrationGraph present = add("shop", "0001_initial", "")
                .add("shop", "0002_x", "(\"shop\", \"0001_initial\")")
                .add("shop", "0001_squashed_0002_x", "", "    replaces = [(\"shop\", \"0001_initial\"), (\"shop\", \"0002_x\")]\n")
                .add("shop", "0003_y", "(\"shop\", \"0002_x\")")
                .build();
        assertEquals(List.of(), present.findings());
        assertNull(present.nodes().get(new MigrationKey("shop", "0002_x")));
        assertEquals(List.of(new MigrationKey("shop", "0001_squashed_0002_x")),
                present.nodes().get(new MigrationKey("shop", "0003_y")).parents());
        files.clear();
        // Replaced files deleted: a dependency on them is still satisfied by the squash.
        MigrationGraph absent = add("shop", "0001_squashed_0002_x", "", "    replaces = [(\"shop\", \"0001_initial\"), (\"shop\", \"0002_x\")]\n")
                .add("shop", "0003_y", "(\"shop\", \"0002_x\")").build();
        assertEquals(List.of(), absent.findings());
        assertNotNull(absent.node(new MigrationKey("shop", "0002_x")));
    }

    @Test
    void firstLatestSwappableAndRunBefore() {
        MigrationGraph g = add("users", "0001_initial", "")
                .add("users", "0002_more", "(\"users\", \"0001_initial\")")
                .add("shop", "0001_initial", "migrations.swappable_dependency(settings.AUTH_USER_MODEL), (\"users\", \"__latest__\")",
                        "    run_before = [(\"users\", \"0002_more\")]\n")
                .build();
        // run_before makes users.0002 depend on shop.0001, which depends on users' latest: a cycle.
        assertEquals(List.of("G004"), rules(g));
        files.clear();
        MigrationGraph swapped = MigrationGraph.build(List.of(
                new MigrationGraph.LabeledFile("users", reader.read("users/migrations/0001_initial.py",
                        "from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = []\n".getBytes())),
                new MigrationGraph.LabeledFile("shop", reader.read("shop/migrations/0001_initial.py",
                        ("from django.conf import settings\nfrom django.db import migrations\nclass Migration(migrations.Migration):\n"
                                + "    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]\n").getBytes()))),
                Map.of("AUTH_USER_MODEL", "users.User"));
        assertEquals(List.of(new MigrationKey("users", "0001_initial")),
                swapped.nodes().get(new MigrationKey("shop", "0001_initial")).parents());
    }
}
