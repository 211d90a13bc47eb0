package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.git.LocalFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files named on the command line (`analyze FILE`, `parse FILE`) that cannot be read whole: a
 * 3 GB sparse file, a named pipe, a link to an endless device, a file without permission, a
 * folder. Each is one finding (or one line) for that file, the other files are still analysed,
 * and nothing is opened before its type and size are known. (The timeout only keeps a hang
 * from stalling the build; nothing here measures time.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileFilesTest {

    @TempDir
    Path dir;

    private static final String ORDERS = "shop/orders/migrations/";

    /** A new migration after the fixture's last one: adds a nullable column (compatible). */
    private static final String ADD_NOTE = """
            from django.db import migrations, models


            class Migration(migrations.Migration):

                dependencies = [("orders", "0007_delete_ordernote")]

                operations = [
                    migrations.AddField(model_name="order", name="gift_note", field=models.TextField(null=True)),
                ]
            """;

    private void shop() {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project");
            repo.write(ORDERS + "0008_order_gift_note.py", ADD_NOTE);
        }
    }

    private Hostile.Run analyze(String... files) {
        String[] args = new String[files.length + 2];
        args[0] = "analyze";
        args[1] = "--repo=" + dir;
        for (int i = 0; i < files.length; i++) {
            args[i + 2] = dir.resolve(files[i]).toString();
        }
        return Hostile.migsafe(args);
    }

    private Hostile.Run parse(String file) {
        return Hostile.migsafe("parse", "--format=text", dir.resolve(file).toString());
    }

    @Test
    void aThreeGigabyteSparseFileIsP005WithoutBeingRead() throws Exception {
        shop();
        String big = ORDERS + "0009_huge.py";
        Hostile.sparse(dir.resolve(big), 3L << 30);

        Hostile.Run run = analyze(big, ORDERS + "0008_order_gift_note.py");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(big + ":1:1: error P005 the file is 3221225472 bytes, over the limit of 16777216 bytes"),
                run.all());
        assertTrue(run.out().contains("1 compatible"), "the other named file is still analysed: " + run.all());

        Hostile.Run parsed = parse(big);
        assertEquals(1, parsed.code(), parsed.all());
        assertTrue(parsed.err().contains("P005 the file is 3221225472 bytes"), parsed.all());
    }

    @Test
    void aNamedPipeIsNeverOpened() throws Exception {
        shop();
        String pipe = ORDERS + "0009_pipe.py";
        Hostile.fifo(dir.resolve(pipe));

        Hostile.Run run = analyze(pipe, ORDERS + "0008_order_gift_note.py");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(pipe + ":1:1: error P006 cannot read the file: it is a named pipe (FIFO), not a regular file"),
                run.all());
        assertTrue(run.out().contains("fix: Make it a readable regular file"), run.all());
        assertTrue(run.out().contains("1 compatible"), "the other named file is still analysed: " + run.all());

        Hostile.Run parsed = parse(pipe);
        assertEquals(1, parsed.code(), parsed.all());
        assertTrue(parsed.err().contains(pipe + ":1:1: P006 cannot read the file: it is a named pipe (FIFO), not a regular file"),
                parsed.all());
    }

    @Test
    void aLinkToAnEndlessDeviceIsNeverRead() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        shop();
        String zero = ORDERS + "0009_zero.py";
        Hostile.link(dir.resolve(zero), "/dev/zero");

        // parse reads through a link, to a regular file only.
        Hostile.Run parsed = parse(zero);
        assertEquals(1, parsed.code(), parsed.all());
        assertTrue(parsed.err().contains("P006 cannot read the file: it is a character device, not a regular file"), parsed.all());

        // analyze FILE takes the file as git would stage it: the link's text, never its target.
        Hostile.Run run = analyze(zero, ORDERS + "0008_order_gift_note.py");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(zero + ":1:1: error P001"), run.all());
        assertTrue(run.out().contains("1 compatible"), run.all());
    }

    @Test
    void aFolderNamedLikeAMigrationIsOneClearFinding() throws Exception {
        shop();
        String folder = ORDERS + "0009_folder.py";
        Files.createDirectories(dir.resolve(folder));

        Hostile.Run run = analyze(folder, ORDERS + "0008_order_gift_note.py");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(folder + ":1:1: error P006 cannot read the file: it is a directory, not a regular file"),
                run.all());
        assertTrue(run.out().contains("1 compatible"), run.all());
    }

    @Test
    void anUnreadableFileSaysWhyInOneSentence() throws Exception {
        shop();
        Path file = dir.resolve(ORDERS + "0008_order_gift_note.py");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(file), "this user reads files without permission (root)");
            Hostile.Run run = analyze(ORDERS + "0008_order_gift_note.py");
            assertEquals(1, run.code(), run.all());
            assertTrue(run.out().contains(ORDERS + "0008_order_gift_note.py:1:1: error P006 cannot read the file: permission denied"),
                    run.all());
            assertFalse(run.all().contains(file.toString()), "no bare path as the reason: " + run.all());

            Hostile.Run parsed = parse(ORDERS + "0008_order_gift_note.py");
            assertEquals(1, parsed.code(), parsed.all());
            assertTrue(parsed.err().contains("P006 cannot read the file: permission denied"), parsed.all());
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void localFileChecksTypeAndSizeBeforeReading() throws Exception {
        Path small = dir.resolve("small.py");
        Files.writeString(small, "x = 1\n");
        assertEquals("x = 1\n", new String(LocalFile.read(small, "small.py", false)));

        Path big = dir.resolve("big.py");
        Hostile.sparse(big, 3L << 30);
        LocalFile.Unreadable tooLarge = assertThrows(LocalFile.Unreadable.class, () -> LocalFile.read(big, "big.py", false));
        assertEquals(LocalFile.Problem.TOO_LARGE, tooLarge.problem());
        assertEquals(3L << 30, tooLarge.size());

        Path link = dir.resolve("link.py");
        Hostile.link(link, small.toString());
        assertEquals("x = 1\n", new String(LocalFile.read(link, "link.py", true)));
        assertEquals(LocalFile.Problem.NOT_A_FILE,
                assertThrows(LocalFile.Unreadable.class, () -> LocalFile.read(link, "link.py", false)).problem());
        assertEquals(small.toString(), new String(LocalFile.asStaged(link, "link.py")));

        Path loop = dir.resolve("loop.py");
        Hostile.link(loop, loop.toString());
        LocalFile.Unreadable looped = assertThrows(LocalFile.Unreadable.class, () -> LocalFile.read(loop, "loop.py", true));
        assertEquals("cannot read loop.py: its symbolic links form a loop (or are nested too deeply)", looped.getMessage());

        Path dangling = dir.resolve("dangling.py");
        Hostile.link(dangling, dir.resolve("nowhere.py").toString());
        assertEquals("cannot read dangling.py: it is a symbolic link to a file that does not exist",
                assertThrows(LocalFile.Unreadable.class, () -> LocalFile.read(dangling, "dangling.py", true)).getMessage());

        LocalFile.Unreadable missing = assertThrows(LocalFile.Unreadable.class,
                () -> LocalFile.read(dir.resolve("gone.py"), "gone.py", false));
        assertEquals("cannot read gone.py: no such file", missing.getMessage());
    }
}
