package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read commands change nothing in the repository but migsafe's own cache under the git dir:
 * every file of the work tree and of .git (index, refs, config, objects) keeps its bytes, its
 * permissions and its modification time, and no file appears or disappears, after each command
 * and mode a user or a hook runs on it, including on a dirty work tree with a staged change.
 */
class ReadCommandsWriteNothingTest {

    /** The only place a read command may write: the parse cache (and the daemon's, which shares it). */
    private static final String CACHE = ".git/migsafe/";

    @TempDir
    Path dir;

    @Test
    void everyReadCommandLeavesTheRepositoryByteIdentical() throws Exception {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop");
            repo.branch("feature");
            repo.copy("demo/orders_0006_order_tracking_number.py", "shop/orders/migrations/0006_order_tracking_number.py")
                    .commit("feature");
            // A dirty work tree: a staged new migration and an unstaged edit, as in a pre-commit run.
            repo.write("shop/orders/migrations/0007_staged.py", """
                    from django.db import migrations, models


                    class Migration(migrations.Migration):
                        dependencies = [("orders", "0006_order_tracking_number")]
                        operations = [migrations.RemoveField("order", "tracking_number")]
                    """);
            new org.eclipse.jgit.api.Git(new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                    .setWorkTree(dir.toFile()).build()).add().addFilepattern("shop/orders/migrations/0007_staged.py").call();
            repo.write("shop/orders/migrations/0001_initial.py",
                    Files.readString(dir.resolve("shop/orders/migrations/0001_initial.py")) + "\n# unstaged edit\n");
        }
        Map<String, String> before = snapshot();
        List<List<String>> commands = List.of(
                List.of("analyze"), List.of("analyze", "main...feature"), List.of("analyze", "main..feature"),
                List.of("analyze", "feature"), List.of("analyze", "--all"), List.of("analyze", "--staged"),
                List.of("analyze", "--worktree"), List.of("analyze", "shop/orders/migrations/0007_staged.py"),
                List.of("analyze", "--all", "--format", "sarif"), List.of("analyze", "--all", "--format", "markdown"),
                List.of("divergence", "main", "feature"), List.of("graph"), List.of("graph", "--format", "dot"),
                List.of("history"), List.of("rewind", "feature", "main"), List.of("parse", "feature:shop/orders/migrations"),
                List.of("parse", "shop/orders/migrations/0007_staged.py"), List.of("rules"), List.of("explain", "C102"));
        for (List<String> command : commands) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            // Run as a user would in the repository's folder (commands without --repo read the working directory).
            dev.migsafe.env.RunContext inRepo = new dev.migsafe.env.RunContext(dir, System.getenv());
            int code = dev.migsafe.env.RunContext.with(inRepo, () ->
                    Main.run(command.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err)));
            assertTrue(code == 0 || code == 1, command + " exited " + code + ": " + err);
            assertEquals(before, snapshot(), "`migsafe " + String.join(" ", command) + "` changed the repository");
        }
        assertTrue(Files.isDirectory(dir.resolve(CACHE)), "the cache was written (so the test saw a writing run)");
    }

    /** Path -> content hash, permissions and modification time of every file but the cache's. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.isEmpty() || (rel + "/").startsWith(CACHE)) {
                    continue;
                }
                String kind = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file";
                String facts = kind + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (kind.equals("file")) {
                    facts += " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() + " " + sha256(Files.readAllBytes(p));
                }
                out.put(rel, facts);
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
