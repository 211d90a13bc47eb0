package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.GitScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `analyze --worktree` sees the work tree as git would commit it (`git add -A`), not what a
 * directory walk finds: committed symbolic links as their link text (no false G005), links that
 * loop or point at devices as links (no false G006), submodule checkouts and ignored copies not
 * entered, paths a sparse checkout leaves out taken from the index (no G006 for each), pipes
 * never opened. (The timeout only keeps a hang from stalling the build.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkTreeInputTest {

    @TempDir
    Path dir;

    @TempDir
    Path home;

    private static final String ORDERS = "shop/orders/migrations/";
    private static final String NOTHING_CHANGED = "0 migrations changed, 0 operations";

    private Hostile.Run worktree() {
        return Hostile.migsafe("analyze", "--repo=" + dir, "--worktree");
    }

    private Hostile.Run git(String... args) throws Exception {
        Hostile.Run run = Hostile.git(dir, home, args);
        assertEquals(0, run.code(), String.join(" ", args) + ": " + run.out());
        return run;
    }

    /** The shop fixture committed with git itself (links and gitlinks as git stores them). */
    private void shop() throws Exception {
        Hostile.assumeGit(home);
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop");
        }
        git("add", "-A");
        git("commit", "-q", "-m", "shop project");
    }

    private static void copyFixture(String fixture, Path to) throws Exception {
        Path from = Fixtures.ROOT.resolve(fixture);
        try (var walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
    }

    @Test
    void aCleanWorkTreeChangesNothing() throws Exception {
        shop();
        Hostile.Run run = worktree();
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains(NOTHING_CHANGED), run.all());
    }

    @Test
    void committedSymlinksAreTheirLinkTextNotTheirTarget() throws Exception {
        shop();
        // A migration committed as a link to another one, a link that loops, a link to a device.
        Hostile.link(dir.resolve(ORDERS + "0008_link.py"), "0007_delete_ordernote.py");
        Hostile.link(dir.resolve(ORDERS + "0009_loop.py"), "0009_loop.py");
        Hostile.link(dir.resolve(ORDERS + "0010_device.py"), "/dev/null");
        git("add", "-A");
        git("commit", "-q", "-m", "links");

        Hostile.Run result = worktree();
        assertTrue(result.out().contains(NOTHING_CHANGED), "the links are unchanged: " + result.all());
        assertFalse(result.out().contains("G005"), result.all());
        assertFalse(result.out().contains("G006"), result.all());
    }

    @Test
    void ignoredCopiesAndOtherRepositoriesAreNotWalked() throws Exception {
        shop();
        Files.writeString(dir.resolve(".gitignore"), "build/\n");
        git("add", ".gitignore");
        git("commit", "-q", "-m", "ignore build");
        // A build copy of the project (ignored), and another repository's checkout below the
        // work tree: one registered as a submodule (a gitlink in the index), one not.
        copyFixture("shop", dir.resolve("build/lib/shop"));
        for (String nested : new String[] {"vendor/payments", "vendor/loose"}) {
            Path repo = dir.resolve(nested);
            try (GitScenario other = GitScenario.create(repo)) {
                other.copy("shop/billing", "billing").commit("billing");
            }
        }
        git("add", "vendor/payments");
        git("commit", "-q", "-m", "payments as a gitlink");

        Hostile.Run run = worktree();
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains(NOTHING_CHANGED), run.all());
        assertFalse(run.out().contains("build/"), run.all());
        assertFalse(run.out().contains("vendor/"), run.all());
    }

    @Test
    void pathsOutsideASparseCheckoutComeFromTheIndex() throws Exception {
        shop();
        Hostile.Run sparse = Hostile.git(dir, home, "sparse-checkout", "set", "--no-cone", "/shop/catalog/");
        assumeTrue(sparse.code() == 0, "this git has no sparse-checkout: " + sparse.out());
        assumeTrue(!Files.exists(dir.resolve(ORDERS + "0001_initial.py")), "the sparse checkout left the files in place");

        Hostile.Run run = worktree();
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains(NOTHING_CHANGED), run.all());
        assertFalse(run.out().contains("G006"), run.all());
    }

    @Test
    void pipesAndHugeFilesAreFindingsOrLeftOutAsGitWould() throws Exception {
        shop();
        // Untracked: a named pipe git would not add (left out), a sparse 3 GB migration it would (P005).
        Hostile.fifo(dir.resolve(ORDERS + "0008_pipe.py"));
        Hostile.sparse(dir.resolve(ORDERS + "0009_huge.py"), 3L << 30);
        // Tracked, replaced by a pipe: git shows it modified; it cannot be read there.
        Path tracked = dir.resolve("shop/billing/migrations/0006_remove_invoice_paid.py");
        Files.delete(tracked);
        Hostile.fifo(tracked);

        Hostile.Run run = worktree();
        assertEquals(1, run.code(), run.all());
        assertFalse(run.out().contains("0008_pipe"), run.all());
        assertTrue(run.out().contains(ORDERS + "0009_huge.py:1:1: error P005 the file is 3221225472 bytes"), run.all());
        assertTrue(run.out().contains("shop/billing/migrations/0006_remove_invoice_paid.py:1:1: error P006 cannot read the file: "
                + "it is a named pipe (FIFO), not a regular file"), run.all());
        assertFalse(run.out().contains("G006"), run.all());
    }

    @Test
    void aPipeNamedGitignoreIsOneSentenceNotAHang() throws Exception {
        shop();
        // git itself waits forever on this one; migsafe says why it cannot read the work tree.
        Hostile.fifo(dir.resolve("notes/.gitignore"));
        Files.writeString(dir.resolve("notes/todo.py"), "TODO = []\n");

        Hostile.Run run = worktree();
        assertEquals(2, run.code(), run.all());
        assertTrue(run.err().startsWith("migsafe: cannot read the work tree: cannot read "), run.all());
        assertTrue(run.err().contains("notes/.gitignore: it is a named pipe (FIFO), not a regular file"), run.all());
        assertEquals(1, run.err().strip().lines().count(), run.all());
    }
}
