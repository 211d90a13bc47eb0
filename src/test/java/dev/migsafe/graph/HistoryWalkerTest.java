package dev.migsafe.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.git.GitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history on a repository with a divergence resolved by a merge migration, and shipped edits. */
class HistoryWalkerTest {

    private static final Path FILES = Path.of("fixtures/scenarios/files");
    private static final PersonIdent WHO = new PersonIdent("T", "t@example.com");

    @TempDir
    Path dir;

    private void put(String path, String file) throws Exception {
        Path to = dir.resolve(path);
        Files.createDirectories(to.getParent());
        Files.copy(FILES.resolve(file), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void commit(Git git, String msg) throws Exception {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(msg).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    }

    @Test
    void findsDivergenceItsResolutionAndEdits() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            put("blog/migrations/0001_initial.py", "blog_0001_initial.py");
            put("blog/migrations/0002_post_body.py", "blog_0002_post_body.py");
            commit(git, "base");
            git.checkout().setName("feature").setCreateBranch(true).call();
            put("blog/migrations/0003_post_slug.py", "blog_0003_post_slug.py");
            commit(git, "slug");
            git.checkout().setName("main").call();
            put("blog/migrations/0003_post_rating.py", "blog_0003_post_rating.py");
            put("blog/migrations/0002_post_body.py", "blog_0002_post_body_reformatted.py");
            commit(git, "rating, and a cosmetic edit");
            git.merge().include(git.getRepository().resolve("feature")).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                    .setCommit(true).setMessage("merge").call();
            put("blog/migrations/0004_merge.py", "blog_0004_merge.py");
            put("blog/migrations/0002_post_body.py", "blog_0002_post_body_changed.py");
            commit(git, "merge migration, and a real edit");
        }
        try (GitRepository repo = GitRepository.open(dir.toFile())) {
            HistoryWalker.History h = new HistoryWalker(repo).walk(repo.commit("HEAD"));
            assertEquals(5, h.commits());
            assertEquals(5, h.appearances().size());
            List<HistoryWalker.PastDivergence> d = h.divergences();
            assertEquals(1, d.size());
            assertEquals("blog", d.get(0).app());
            assertTrue(d.get(0).resolvedBy().startsWith("merge migration 0004_merge (done in "), d.get(0).resolvedBy());
            assertEquals(2, h.edits().size(), "the merge commit does not count the edit again");
            assertTrue(h.edits().get(0).cosmetic());
            assertFalse(h.edits().get(1).cosmetic());
        }
    }
}
