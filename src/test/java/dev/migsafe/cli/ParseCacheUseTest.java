package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.python.ParseCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parse cache as commands use it: filled by a run, used by the next, never changing a report. */
class ParseCacheUseTest {

    @TempDir
    Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--repo=" + dir;
        Main.run(all, new PrintWriter(out), new PrintWriter(err));
        assertEquals("", err.toString());
        return out.toString();
    }

    private List<Path> entries() throws IOException {
        Path cache = dir.resolve(".git/migsafe/cache/v2");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(cache)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void reportsAreTheSameFromAnEmptyAWarmAndACorruptCache() throws IOException {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py")
                    .commit("feature");
        }
        String cold = run("analyze", "main...feature", "--format", "json");
        List<Path> written = entries();
        assertTrue(ParseCache.entryCount(dir.resolve(".git")) > 10, "entries: " + ParseCache.entryCount(dir.resolve(".git")));
        assertEquals(cold, run("analyze", "main...feature", "--format", "json"));

        for (Path p : written) {
            Files.write(p, new byte[] {1, 2, 3});
        }
        assertEquals(cold, run("analyze", "main...feature", "--format", "json"));
        for (Path p : entries()) {
            assertTrue(Files.size(p) > 24, "rewritten: " + p);
        }
        // Deleting the whole cache is safe too.
        try (Stream<Path> walk = Files.walk(dir.resolve(".git/migsafe"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals(cold, run("analyze", "main...feature", "--format", "json"));
    }

    @Test
    void graphAndHistoryFillItToo() throws IOException {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project")
                    .write("shop/orders/migrations/0001_initial.py",
                            Files.readString(dir.resolve("shop/orders/migrations/0001_initial.py")) + "# reviewed\n")
                    .commit("edit a shipped migration");
        }
        run("graph", "main");
        assertTrue(ParseCache.entryCount(dir.resolve(".git")) > 5, "graph wrote " + ParseCache.entryCount(dir.resolve(".git")));
        try (Stream<Path> walk = Files.walk(dir.resolve(".git/migsafe"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        // History parses the two versions of the edited file.
        run("history");
        assertEquals(2, ParseCache.entryCount(dir.resolve(".git")));
    }
}
