package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every repository problem a user can cause ends with exit 2 and one sentence that says what to do. */
class GitErrorsTest {

    @TempDir
    Path temp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(code), err.toString()};
    }

    private static void assertOneSentence(String[] result, String expected) {
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].contains(expected), result[1]);
        assertEquals(1, result[1].strip().lines().count(), result[1]);
        assertFalse(result[1].contains("Exception"), result[1]);
    }

    @Test
    void notARepository() {
        assertOneSentence(run("analyze", "--repo", temp.toString()), "not a git repository");
    }

    @Test
    void unbornHead() throws Exception {
        Git.init().setDirectory(temp.toFile()).setInitialBranch("main").call().close();
        assertOneSentence(run("graph", "--repo", temp.toString()), "HEAD has no commit yet");
    }

    @Test
    void unknownRevision() throws Exception {
        try (Git git = Git.init().setDirectory(temp.toFile()).setInitialBranch("main").call()) {
            Files.writeString(temp.resolve("a.txt"), "x");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("T", "t@example.com");
            git.commit().setMessage("one").setAuthor(who).setCommitter(who).setSign(false).call();
        }
        assertOneSentence(run("analyze", "--repo", temp.toString(), "main...nope"), "unknown revision 'nope'");
        assertOneSentence(run("analyze", "--repo", temp.toString(), "--staged", "main"), "not both");
    }

    @Test
    void shallowCloneSaysHowToFetchHistory() throws Exception {
        Path origin = temp.resolve("origin");
        try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            PersonIdent who = new PersonIdent("T", "t@example.com");
            for (int i = 0; i < 3; i++) {
                Files.writeString(origin.resolve("f" + i), "x");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("c" + i).setAuthor(who).setCommitter(who).setSign(false).call();
            }
        }
        Path clone = temp.resolve("clone");
        Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(clone.toFile()).setDepth(1).call().close();
        assertOneSentence(run("analyze", "--repo", clone.toString(), "HEAD~2...HEAD"), "the clone is shallow");
    }
}
