package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEAD as read through the index (only differing paths looked up) equals HEAD's own tree. */
class StagedSnapshotTest {

    @TempDir
    Path dir;

    private static Map<String, String> ids(Map<String, SourceFile> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((path, f) -> out.put(path, f.blobId()));
        return out;
    }

    /** Stages with the git command line, which keeps the index's cache of tree ids as git users have it. */
    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void headFromTheIndexEqualsHeadsTree() throws Exception {
        GitScenario.create(dir).copy("shop", "shop").commit("shop project").close();
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", "index written by git");
        String orders = "shop/orders/migrations/";
        // Every kind of staged change: added, modified, deleted, renamed migrations, an apps.py.
        Files.writeString(dir.resolve(orders + "0008_new.py"), "from django.db import migrations\n");
        Files.writeString(dir.resolve(orders + "0001_initial.py"),
                Files.readString(dir.resolve(orders + "0001_initial.py")) + "# edited\n");
        Files.delete(dir.resolve(orders + "0003_order_totals_view.py"));
        Files.move(dir.resolve(orders + "0005_order_gift_options.py"), dir.resolve(orders + "0005_renamed.py"));
        Files.writeString(dir.resolve("shop/catalog/apps.py"), "# changed\n");
        git("add", "-A");

        try (GitRepository repo = GitRepository.open(dir.toFile())) {
            var head = repo.commit("HEAD");
            GitRepository.Staged staged = repo.staged(head);
            Snapshot fromTree = repo.snapshot(head, "HEAD");
            assertEquals(ids(fromTree.migrations()), ids(staged.head().migrations()));
            assertEquals(ids(fromTree.appConfigs()), ids(staged.head().appConfigs()));
            assertEquals(head.name(), staged.head().commitId());
            assertEquals(ids(repo.index().migrations()), ids(staged.index().migrations()));
            assertTrue(staged.index().migrations().containsKey(orders + "0008_new.py"));
            assertTrue(staged.head().migrations().containsKey(orders + "0003_order_totals_view.py"));
            String edited = orders + "0001_initial.py";
            assertEquals(new String(repo.fileAt(head, edited), StandardCharsets.UTF_8), new String(
                    repo.readBlob(ObjectId.fromString(staged.head().migrations().get(edited).blobId())), StandardCharsets.UTF_8));
        }
        // The same through `git diff-index --cached`, and when git cannot be run (JGit then reads HEAD).
        for (String program : List.of("git", "no-such-git-program")) {
            try (GitRepository repo = GitRepository.open(dir.toFile())) {
                GitRepository.Staged staged = repo.stagedUsing(program);
                Snapshot fromTree = repo.snapshot(repo.commit("HEAD"), "HEAD");
                assertEquals(ids(fromTree.migrations()), ids(staged.head().migrations()), program);
                assertEquals(ids(fromTree.appConfigs()), ids(staged.head().appConfigs()), program);
                assertEquals(repo.commit("HEAD").name(), staged.head().commitId(), program);
                assertEquals(ids(repo.index().migrations()), ids(staged.index().migrations()), program);
            }
        }
        // A just-staged file is a loose object: read without the packs, and the same bytes.
        try (GitRepository repo = GitRepository.open(dir.toFile())) {
            assertEquals("from django.db import migrations\n", new String(
                    repo.stagedUsing("git").index().migrations().get(orders + "0008_new.py").bytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void gitsListOfDifferingPathsIsReadOrRefused() {
        byte[] out = (":100644 100644 " + "a".repeat(40) + " " + "b".repeat(40) + " M\0app/migrations/0001_initial.py\0"
                + ":000000 100644 " + "0".repeat(40) + " " + "c".repeat(40) + " A\0app/migrations/0002_\u00e9.py\0")
                .getBytes(StandardCharsets.UTF_8);
        List<GitDiffIndex.Entry> entries = GitDiffIndex.parse(out);
        assertEquals(List.of(new GitDiffIndex.Entry("app/migrations/0001_initial.py", 0100644, ObjectId.fromString("a".repeat(40))),
                new GitDiffIndex.Entry("app/migrations/0002_\u00e9.py", 0, null)), entries);
        assertNull(GitDiffIndex.parse((":100644 000000 " + "a".repeat(40) + " " + "0".repeat(40) + " U\0x.py\0")
                .getBytes(StandardCharsets.UTF_8)));
        assertNull(GitDiffIndex.parse("fatal: bad object\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void beforeTheFirstCommitThereIsNoHead() throws Exception {
        GitScenario.create(dir).copy("shop", "shop").close();
        git("add", "-A");
        try (GitRepository repo = GitRepository.open(dir.toFile())) {
            assertNull(repo.headOrNull());
            GitRepository.Staged staged = repo.staged(null);
            assertNull(staged.head());
            assertTrue(staged.index().migrations().size() > 10);
            assertNull(repo.stagedUsing("git").head());
        }
    }
}
