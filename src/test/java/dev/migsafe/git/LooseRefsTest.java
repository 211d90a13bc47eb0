package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEAD read from loose files where git keeps it there; everything else left to JGit (null). */
class LooseRefsTest {

    private static final String ID = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path common;

    @TempDir
    Path worktree;

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aBranchInALooseFileOrADetachedHead() throws IOException {
        write(common.resolve("HEAD"), "ref: refs/heads/feature/x\n");
        write(common.resolve("refs/heads/feature/x"), ID + "\n");
        assertEquals(ObjectId.fromString(ID), LooseRefs.head(common, common));
        // A linked work tree: HEAD in its own git dir, the branch in the common one.
        write(worktree.resolve("HEAD"), "ref: refs/heads/feature/x\n");
        assertEquals(ObjectId.fromString(ID), LooseRefs.head(worktree, common));
        write(worktree.resolve("HEAD"), ID + "\n");
        assertEquals(ObjectId.fromString(ID), LooseRefs.head(worktree, common));
    }

    @Test
    void packedMissingOrOddRefsAreLeftToJgit() throws IOException {
        write(common.resolve("HEAD"), "ref: refs/heads/main\n");
        write(common.resolve("packed-refs"), ID + " refs/heads/main\n");
        assertNull(LooseRefs.head(common, common));
        write(common.resolve("refs/heads/main"), "ref: refs/heads/other\n");
        assertNull(LooseRefs.head(common, common));
        write(common.resolve("HEAD"), "ref: refs/heads/../../config\n");
        assertNull(LooseRefs.head(common, common));
        write(common.resolve("HEAD"), "ref: refs/remotes/origin/main\n");
        assertNull(LooseRefs.head(common, common));
        assertNull(LooseRefs.head(common.resolve("nowhere"), common));
    }
}
