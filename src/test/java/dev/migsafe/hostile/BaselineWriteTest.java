package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 12: `baseline write` writes regular files only. It creates a new file or
 * replaces a regular one (through a file beside it and a rename, keeping the old file's mode); it
 * refuses a device, a FIFO, a folder or a symlink that leads out of the repository with one
 * sentence and exit 2, and leaves them as they were. (As root it once replaced /dev/full.)
 */
class BaselineWriteTest {

    @TempDir
    Path dir;

    @TempDir
    Path outside;

    @BeforeEach
    void repository() {
        GitScenario.create(dir).copy("shop", "shop").commit("shop project").close();
    }

    record Run(int code, String out, String err) {}

    private Run write(String target) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = target == null ? new String[] {"baseline", "write", "--repo=" + dir}
                : new String[] {"baseline", "write", "--repo=" + dir, "--baseline", target};
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertRefused(Run r, String expected) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertTrue(r.err().startsWith("migsafe: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
    }

    private static boolean isBaseline(Path p) throws IOException {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.readString(p).contains("\"migsafe/baseline/1\"");
    }

    @Test
    void aFifoIsRefusedAndNeverOpened() throws Exception {
        Path target = dir.resolve("baseline.json");
        try (FifoProbe fifo = FifoProbe.at(outside.resolve("fifo")).linkAt(target)) {
            assertRefused(write(target.toString()), "cannot write the baseline " + target + ": it is a FIFO, not a regular file");
            assertFalse(fifo.wasOpened());
            assertFalse(Files.isRegularFile(target), "the FIFO was replaced");
        }
    }

    @Test
    void aDeviceIsRefused() throws Exception {
        // A device node of our own, made here (mknod needs root, or the test is skipped): never /dev's.
        Path device = dir.resolve("full");
        Process p;
        try {
            p = new ProcessBuilder("mknod", device.toString(), "c", "1", "7").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no mknod here");
            return;
        }
        try (InputStream in = p.getInputStream()) {
            in.readAllBytes();
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(device), "mknod not permitted here");
        assertRefused(write(device.toString()), "it is a character device, not a regular file");
        assertFalse(Files.isRegularFile(device), "the device was replaced");
    }

    @Test
    void aFolderIsRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("baseline.json"));
        assertRefused(write(folder.toString()), "it is a folder, not a regular file");
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aSymlinkOutOfTheRepositoryIsRefusedAndOneInsideIsWrittenThrough() throws IOException {
        Path foreign = Files.writeString(outside.resolve("notes.txt"), "someone else's file\n");
        Path link = dir.resolve(".migsafe-baseline.json");
        Files.createSymbolicLink(link, foreign);
        assertRefused(write(null), "cannot write the baseline " + link + ": it is a symbolic link out of the repository");
        assertEquals("someone else's file\n", Files.readString(foreign));
        assertTrue(Files.isSymbolicLink(link), "the link is left as it was");

        // A link to a file in the repository: that file is written, the link stays.
        Path real = Files.writeString(Files.createDirectories(dir.resolve("ci")).resolve("baseline.json"), "{}\n");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("ci/baseline.json"));
        Run r = write(null);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(isBaseline(real));

        // A dangling link is not followed to create a file somewhere.
        Files.delete(link);
        Files.createSymbolicLink(link, outside.resolve("new.json"));
        assertRefused(write(null), "it is a symbolic link");
        assertFalse(Files.exists(outside.resolve("new.json")));
    }

    @Test
    void theModeOfAnExistingFileIsKeptAndANewFileGetsTheUsualOne() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path baseline = dir.resolve(".migsafe-baseline.json");
        Files.writeString(baseline, "{}\n");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(baseline, mode);
        Run r = write(null);
        assertEquals(0, r.code(), r.err());
        assertTrue(isBaseline(baseline));
        assertEquals(mode, Files.getPosixFilePermissions(baseline));

        // A new file gets what any new file gets here (the umask), not a temporary file's rw-------.
        Path fresh = dir.resolve("fresh.json");
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe")));
        assertEquals(0, write(fresh.toString()).code());
        assertEquals(usual, Files.getPosixFilePermissions(fresh));
    }

    @Test
    void aRegularFileIsReplacedWholeAndNothingIsLeftBeside() throws IOException {
        Path baseline = dir.resolve(".migsafe-baseline.json");
        Files.writeString(baseline, "old\n");
        assertEquals(0, write(null).code());
        assertTrue(isBaseline(baseline));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().contains(".tmp")).count());
        }
    }
}
