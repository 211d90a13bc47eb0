package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParseCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 6: the parse cache under the git dir meets whatever is on disk. An entry or a
 * pack that is a FIFO, a device, a symlink or a huge file is never opened or read; an entry
 * that holds another blob's tree is not trusted; a foreign object where a cache folder should
 * be, a read-only git dir and a full file system leave the run as it would be without a cache.
 * Every bad entry is a miss: the file is parsed again and the entry rewritten (replacing the
 * object, never writing through it).
 */
class CacheEntriesTest {

    private static final String BLOB_A = "0123456789abcdef0123456789abcdef01234567";
    private static final String BLOB_B = "89abcdef0123456789abcdef0123456789abcdef";
    private static final byte[] SOURCE_A = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = []\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SOURCE_B = "x = 1\ny = [x, 2, 3]\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path gitDir;

    @TempDir
    Path outside;

    private static ModuleParser.Parsed parse(byte[] source) {
        return new ModuleParser().parse(source, "app/migrations/0001_initial.py");
    }

    /** Parses through a fresh cache (as a new run would); counts the reads of the file's bytes. */
    private ModuleParser.Parsed run(String blob, byte[] source, int[] reads) {
        return new ModuleParser(ParseCache.under(gitDir)).parse(blob, () -> {
            reads[0]++;
            return source;
        }, "app/migrations/0001_initial.py");
    }

    /** The entry file a run wrote for a blob (found on disk: the folder layout is the cache's own). */
    private Path entryFile(String blob) throws IOException {
        try (Stream<Path> files = Files.walk(gitDir.resolve("migsafe"))) {
            return files.filter(p -> p.getFileName().toString().equals(blob.substring(2))).findFirst().orElseThrow();
        }
    }

    private Path writeEntry(String blob, byte[] source) throws IOException {
        ParseCache.under(gitDir).put(blob, parse(source), null);
        Path entry = entryFile(blob);
        assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS));
        assertNotNull(ParseCache.under(gitDir).get(blob), "the entry is valid to begin with");
        return entry;
    }

    /** After a bad entry, a run parses the file again, gets the right tree and rewrites the entry as a regular file. */
    private void assertParsedAgainAndRewritten(String blob, byte[] source, Path entry) throws IOException {
        int[] reads = {0};
        assertEquals(parse(source), run(blob, source, reads));
        assertEquals(1, reads[0], "the bad entry was not used");
        assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS), "rewritten as a regular file: " + entry);
        assertTrue(Files.size(entry) < 100_000);
        int[] again = {0};
        assertEquals(parse(source), run(blob, source, again));
        assertEquals(0, again[0], "the rewritten entry is used");
    }

    @Test
    void aFifoEntryIsNeverOpened() throws Exception {
        Path entry = writeEntry(BLOB_A, SOURCE_A);
        Files.delete(entry);
        try (FifoProbe fifo = FifoProbe.at(outside.resolve("fifo")).linkAt(entry)) {
            ParseCache cache = ParseCache.under(gitDir);
            assertNull(cache.get(BLOB_A));
            assertFalse(fifo.wasOpened(), "the cache opened a FIFO");
            assertEquals(1, cache.stats().rejected());
            assertParsedAgainAndRewritten(BLOB_A, SOURCE_A, entry);
            assertFalse(fifo.wasOpened());
        }
    }

    @Test
    void aHugeEntryIsNotRead() throws Exception {
        Path entry = writeEntry(BLOB_A, SOURCE_A);
        Files.delete(entry);
        try (RandomAccessFile sparse = new RandomAccessFile(entry.toFile(), "rw")) {
            sparse.setLength(3L << 30); // 3 GB, sparse: nothing is really written
        }
        ParseCache cache = ParseCache.under(gitDir);
        assertNull(cache.get(BLOB_A));
        assertEquals(1, cache.stats().rejected());
        assertParsedAgainAndRewritten(BLOB_A, SOURCE_A, entry);
    }

    @Test
    void aSymlinkedEntryIsNotFollowedEvenToAValidEntry() throws Exception {
        Path entry = writeEntry(BLOB_A, SOURCE_A);
        Path copy = outside.resolve("entry");
        Files.move(entry, copy);
        Files.createSymbolicLink(entry, copy);
        ParseCache cache = ParseCache.under(gitDir);
        assertNull(cache.get(BLOB_A), "an entry reached through a symlink out of the git dir was trusted");
        assertEquals(1, cache.stats().rejected());
        byte[] outsideBefore = Files.readAllBytes(copy);
        assertParsedAgainAndRewritten(BLOB_A, SOURCE_A, entry);
        assertArrayEquals(outsideBefore, Files.readAllBytes(copy), "the link was replaced, not written through");

        // A link to /dev/zero (endless) is not followed either.
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Files.delete(entry);
        Files.createSymbolicLink(entry, Path.of("/dev/zero"));
        ParseCache zero = ParseCache.under(gitDir);
        assertNull(zero.get(BLOB_A));
        assertEquals(1, zero.stats().rejected());
        assertParsedAgainAndRewritten(BLOB_A, SOURCE_A, entry);
    }

    @Test
    void twoValidEntriesSwappedAreNotTrusted() throws Exception {
        Path a = writeEntry(BLOB_A, SOURCE_A);
        Path b = writeEntry(BLOB_B, SOURCE_B);
        assertNotEquals(parse(SOURCE_A), parse(SOURCE_B));
        Path swap = outside.resolve("swap");
        Files.move(a, swap);
        Files.move(b, a);
        Files.move(swap, b);

        ParseCache cache = ParseCache.under(gitDir);
        assertNull(cache.get(BLOB_A), "blob A's entry held blob B's tree and was trusted");
        assertNull(cache.get(BLOB_B));
        assertEquals(2, cache.stats().rejected());
        assertParsedAgainAndRewritten(BLOB_A, SOURCE_A, a);
        assertParsedAgainAndRewritten(BLOB_B, SOURCE_B, b);
    }

    // ------------------------------------------------------------------ packs

    private static String blob(int i) {
        return String.format("%040x", 0x9e3779b97f4a7c15L * (i + 1)).substring(0, 40);
    }

    /** Writes a batch of entries as a first run does (one pack), each blob's summary its index. */
    private Path writePack(int count) throws IOException {
        ParseCache cache = ParseCache.under(gitDir);
        cache.beginBatch();
        for (int i = 0; i < count; i++) {
            cache.put(blob(i), parse(i % 2 == 0 ? SOURCE_A : SOURCE_B), new byte[] {(byte) i});
        }
        cache.endBatch();
        List<Path> packs = packs();
        assertEquals(1, packs.size(), "one pack: " + packs);
        assertEquals(count, ParseCache.entryCount(gitDir));
        return packs.get(0);
    }

    private List<Path> packs() throws IOException {
        try (Stream<Path> files = Files.walk(gitDir.resolve("migsafe"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pack")).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void entriesOfAPackFiledUnderEachOthersIdsAreNotTrusted() throws Exception {
        Path pack = writePack(20);
        byte[] bytes = Files.readAllBytes(pack);
        // Swap the ids the pack files blobs 0 and 1 under (their first mention: the pack's index).
        byte[] id0 = blob(0).getBytes(StandardCharsets.US_ASCII);
        byte[] id1 = blob(1).getBytes(StandardCharsets.US_ASCII);
        int at0 = indexOf(bytes, id0);
        int at1 = indexOf(bytes, id1);
        assertTrue(at0 >= 0 && at1 >= 0);
        System.arraycopy(id1, 0, bytes, at0, id1.length);
        System.arraycopy(id0, 0, bytes, at1, id0.length);
        Files.write(pack, bytes);

        ParseCache cache = ParseCache.under(gitDir);
        assertNull(cache.get(blob(0)), "blob 0 got blob 1's entry");
        assertNull(cache.get(blob(1)));
        ParseCache.Entry two = cache.get(blob(2));
        assertNotNull(two, "the other entries of the pack are still used");
        assertArrayEquals(new byte[] {2}, two.summary());
    }

    @Test
    void aFifoOrHugePackIsNeverOpenedOrRead() throws Exception {
        Path pack = writePack(20);
        Path folder = pack.getParent();
        byte[] header = new byte[64];
        try (InputStream in = Files.newInputStream(pack)) {
            assertEquals(64, in.readNBytes(header, 0, 64));
        }
        // A pack of this very build's header that goes on for 3 GB (sparse).
        Path huge = folder.resolve("pack-huge.pack");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.write(header);
            sparse.setLength(3L << 30);
        }
        try (FifoProbe fifo = FifoProbe.at(outside.resolve("fifo")).linkAt(folder.resolve("pack-fifo.pack"))) {
            Files.createSymbolicLink(folder.resolve("pack-zero.pack"), Path.of("/dev/zero"));
            ParseCache cache = ParseCache.under(gitDir);
            ParseCache.Entry entry = cache.get(blob(3));
            assertNotNull(entry, "the real pack is still read");
            assertArrayEquals(new byte[] {3}, entry.summary());
            assertFalse(fifo.wasOpened(), "a FIFO named like a pack was opened");
            assertEquals(3L << 30, Files.size(huge), "left alone");

            // Writing a pack (which looks through the others to remove other builds') opens none of them either,
            // nor does counting the entries.
            ParseCache writer = ParseCache.under(gitDir);
            writer.beginBatch();
            for (int i = 100; i < 120; i++) {
                writer.put(blob(i), parse(SOURCE_B), null);
            }
            writer.endBatch();
            assertEquals(20, writer.stats().written());
            assertTrue(ParseCache.entryCount(gitDir) >= 40);
            assertFalse(fifo.wasOpened(), "a FIFO named like a pack was opened");
            assertEquals(3L << 30, Files.size(huge), "left alone");
        }
    }

    // ------------------------------------------------------------------ the folders

    @Test
    void aSymlinkWhereTheCacheFolderShouldBeIsNeitherReadNorWrittenThrough() throws Exception {
        writeEntry(BLOB_A, SOURCE_A);
        // The whole cache moved out of the git dir, and a link left in its place.
        Path moved = outside.resolve("migsafe");
        Files.move(gitDir.resolve("migsafe"), moved);
        Files.createSymbolicLink(gitDir.resolve("migsafe"), moved);
        List<String> before = listing(outside);

        int[] reads = {0};
        assertEquals(parse(SOURCE_A), run(BLOB_A, SOURCE_A, reads));
        assertEquals(1, reads[0], "an entry was read through a symlink out of the git dir");
        assertEquals(parse(SOURCE_B), run(BLOB_B, SOURCE_B, reads));
        assertEquals(before, listing(outside), "something was written through the link");
        assertTrue(Files.isSymbolicLink(gitDir.resolve("migsafe")), "the link is left alone");
    }

    @Test
    void aSymlinkedFanOutFolderIsNotWrittenThrough() throws Exception {
        Path entry = writeEntry(BLOB_A, SOURCE_A);
        Path fanOut = entry.getParent();
        Path moved = outside.resolve("fan-out");
        Files.move(fanOut, moved);
        Files.createSymbolicLink(fanOut, moved);
        Files.delete(moved.resolve(entry.getFileName()));
        List<String> before = listing(outside);

        int[] reads = {0};
        assertEquals(parse(SOURCE_A), run(BLOB_A, SOURCE_A, reads));
        assertEquals(before, listing(outside), "an entry was written through a symlinked folder");
    }

    @Test
    void aFileOrAFifoWhereTheCacheFolderShouldBeIsLeftAlone() throws Exception {
        Files.writeString(gitDir.resolve("migsafe"), "in the way");
        int[] reads = {0};
        assertEquals(parse(SOURCE_A), run(BLOB_A, SOURCE_A, reads));
        assertEquals("in the way", Files.readString(gitDir.resolve("migsafe")));
        Files.delete(gitDir.resolve("migsafe"));

        try (FifoProbe fifo = FifoProbe.at(outside.resolve("fifo")).linkAt(gitDir.resolve("migsafe"))) {
            assertEquals(parse(SOURCE_A), run(BLOB_A, SOURCE_A, reads));
            assertEquals(parse(SOURCE_B), run(BLOB_B, SOURCE_B, reads));
            assertFalse(fifo.wasOpened());
            assertFalse(Files.isDirectory(gitDir.resolve("migsafe")));
        }
    }

    @Test
    void aReadOnlyGitDirIsReadAndNeverWritten() throws Exception {
        // Root ignores file permissions: as root nothing here would be read-only, so the test says so and skips.
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permissions");
        Path entry = writeEntry(BLOB_A, SOURCE_A);
        Files.write(entry, new byte[] {1, 2, 3}); // a bad entry, which a writable cache would rewrite
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(gitDir)) {
            folders = walk.filter(Files::isDirectory).toList();
        }
        for (Path f : folders) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            List<String> before = listing(gitDir);
            int[] reads = {0};
            assertEquals(parse(SOURCE_A), run(BLOB_A, SOURCE_A, reads));
            assertEquals(parse(SOURCE_B), run(BLOB_B, SOURCE_B, reads));
            assertEquals(2, reads[0]);
            assertEquals(before, listing(gitDir));
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(entry));
        } finally {
            for (Path f : folders) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /**
     * A full file system, made with a file-size limit of 0 (`ulimit -f 0`: every write to a file
     * fails, as on a full disk; the JVM ignores the signal that comes with it): the run's report
     * and exit code are those of a run with a working cache, with nothing on stderr.
     */
    @Test
    void aFullFileSystemChangesNothingButTheCache(@TempDir Path repo) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        try (GitScenario scenario = GitScenario.create(repo)) {
            scenario.copy("shop", "shop").commit("shop project");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"analyze", "--all", "--repo=" + repo}, new PrintWriter(out), new PrintWriter(err));
        assertTrue(ParseCache.entryCount(repo.resolve(".git")) > 0, "an ordinary run fills the cache");
        deleteTree(repo.resolve(".git/migsafe"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "ulimit -f 0 && exec \"$@\"", "sh", java,
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "analyze", "--all", "--repo=" + repo);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        byte[] stdout;
        byte[] stderr;
        try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
            stdout = o.readAllBytes(); // pipes: the file-size limit does not apply to them
            stderr = e.readAllBytes();
        }
        assertEquals(code, p.waitFor(), new String(stderr, StandardCharsets.UTF_8));
        assertEquals("", new String(stderr, StandardCharsets.UTF_8));
        assertEquals(out.toString(), new String(stdout, StandardCharsets.UTF_8));
        assertEquals(0, ParseCache.entryCount(repo.resolve(".git")), "nothing could be written");
        try (Stream<Path> walk = Files.walk(repo.resolve(".git/migsafe"))) {
            assertEquals(List.of(), walk.filter(Files::isRegularFile).toList(), "no temporary file is left behind");
        }
    }

    private static List<String> listing(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                out.add(root.relativize(p) + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? " " + Files.size(p) : ""));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
