package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which branch counts as the default one when the configuration names none. */
class DefaultBranchTest {

    @TempDir
    Path dir;

    @Test
    void aBareRepositoryNamesItsDefaultBranchByItsHead() throws Exception {
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("master").call()) {
            Files.writeString(work.resolve("a.txt"), "a");
            git.add().addFilepattern("a.txt").call();
            git.commit().setMessage("a").setSign(false).call();
            git.branchCreate().setName("develop").call();
        }
        // A mirror whose HEAD names develop, while an old master line is still there.
        Path bare = dir.resolve("mirror.git");
        try (Git mirror = Git.cloneRepository().setURI(work.toUri().toString()).setDirectory(bare.toFile())
                .setBare(true).setCloneAllBranches(true).call()) {
            Repository repo = mirror.getRepository();
            RefUpdate update = repo.updateRef("HEAD");
            update.link("refs/heads/develop");
        }
        assertEquals("develop", GitRepository.open(bare.toFile()).defaultBranch(null));
        assertEquals("master", GitRepository.open(bare.toFile()).defaultBranch("master"));
        // A work tree's HEAD is the branch checked out, not the default one.
        try (Git git = Git.open(work.toFile())) {
            git.checkout().setName("develop").call();
        }
        assertEquals("master", GitRepository.open(work.toFile()).defaultBranch(null));
    }
}
