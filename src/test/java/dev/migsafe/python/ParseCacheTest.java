package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCacheTest {

    private static final String SOURCE = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
            + "    operations = []  # nothing yet\n";
    private static final byte[] BYTES = SOURCE.getBytes(StandardCharsets.UTF_8);
    private static final String BLOB = "0123456789abcdef0123456789abcdef01234567";
    private static final long FINGERPRINT = 0x1_2345_6789L;

    @TempDir
    Path gitDir;

    /** Counts how often the parser had to read the bytes (each read means a parse). */
    private final AtomicInteger reads = new AtomicInteger();
    private final Supplier<byte[]> bytes = () -> {
        reads.incrementAndGet();
        return BYTES;
    };

    private ModuleParser.Parsed parseWith(ParseCache cache) {
        return new ModuleParser(cache).parse(BLOB, bytes, "app/migrations/0001_initial.py");
    }

    @Test
    void aSecondRunTakesTheTreeFromDiskWithoutReadingTheFile() {
        ParseCache first = ParseCache.under(gitDir, FINGERPRINT, true);
        ModuleParser.Parsed parsed = parseWith(first);
        assertEquals(1, first.stats().written());
        assertTrue(Files.isRegularFile(gitDir.resolve("migsafe/cache/v2/01/23456789abcdef0123456789abcdef01234567")));

        ParseCache second = ParseCache.under(gitDir, FINGERPRINT, true);
        assertEquals(parsed, parseWith(second));
        assertEquals(1, reads.get());
        assertEquals(1, second.stats().diskHits());
    }

    private static String blob(int i) {
        return String.format("%040x", 0x9e3779b97f4a7c15L * (i + 1)).substring(0, 40);
    }

    /** A batch of MIN_PACK entries or more, as a first run makes it. */
    private ModuleParser.Parsed writeBatch(int count) {
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        ModuleParser.Parsed parsed = new ModuleParser().parse(BYTES, "app/migrations/0001_initial.py");
        cache.beginBatch();
        for (int i = 0; i < count; i++) {
            cache.put(blob(i), parsed, new byte[] {(byte) i});
        }
        assertEquals(0, cache.stats().written(), "nothing is written before the batch ends");
        cache.endBatch();
        assertEquals(count, cache.stats().written());
        return parsed;
    }

    private List<Path> packs() throws IOException {
        Path folder = gitDir.resolve("migsafe/cache/v2/packs");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void aLargeBatchIsOnePackThatTheNextRunReads() throws IOException {
        ModuleParser.Parsed parsed = writeBatch(40);
        assertEquals(1, packs().size());
        assertEquals(40, ParseCache.entryCount(gitDir));
        ParseCache next = ParseCache.under(gitDir, FINGERPRINT, true);
        for (int i = 0; i < 40; i++) {
            ParseCache.Entry entry = next.get(blob(i));
            assertEquals(parsed, entry.parsed());
            assertArrayEquals(new byte[] {(byte) i}, entry.summary());
        }
        assertEquals(40, next.stats().diskHits());
        // Another build's packs are not read; they go when it writes a pack of its own.
        ParseCache other = ParseCache.under(gitDir, FINGERPRINT + 1, true);
        assertNull(other.get(blob(0)));
        assertEquals(1, packs().size());
        Path ours = packs().get(0);
        other.beginBatch();
        for (int i = 0; i < ParseCache.MIN_PACK; i++) {
            other.put(blob(i), parsed, null);
        }
        other.endBatch();
        assertEquals(1, packs().size());
        assertFalse(Files.exists(ours));
        assertEquals(parsed, ParseCache.under(gitDir, FINGERPRINT + 1, true).get(blob(3)).parsed());
    }

    @Test
    void aSmallBatchIsEntryFiles() throws IOException {
        writeBatch(3);
        assertEquals(List.of(), packs());
        assertEquals(3, ParseCache.entryCount(gitDir));
        assertTrue(ParseCache.under(gitDir, FINGERPRINT, true).get(blob(2)) != null);
    }

    @Test
    void aCorruptPackIsRemovedAndABadEntryInOneIsRejected() throws IOException {
        writeBatch(20);
        Path pack = packs().get(0);
        byte[] bytes = Files.readAllBytes(pack);
        bytes[bytes.length - 30] ^= 0x55; // inside the last entry: its checksum fails
        Files.write(pack, bytes);
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        assertTrue(cache.get(blob(0)) != null);
        assertNull(cache.get(blob(19)));
        assertEquals(1, cache.stats().rejected());

        Files.write(pack, new byte[] {1, 2, 3});
        ParseCache again = ParseCache.under(gitDir, FINGERPRINT, true);
        assertNull(again.get(blob(0)));
        assertEquals(List.of(), packs());
    }

    @Test
    void withinARunABlobIsParsedOnce() {
        ParseCache cache = ParseCache.inMemory();
        ModuleParser parser = new ModuleParser(cache);
        parser.parse(BLOB, bytes, "a.py");
        parser.parse(BLOB, bytes, "a.py");
        assertEquals(1, reads.get());
        assertEquals(1, cache.stats().memoryHits());
    }

    @Test
    void aCorruptEntryIsIgnoredAndRewritten() throws Exception {
        ModuleParser.Parsed parsed = parseWith(ParseCache.under(gitDir, FINGERPRINT, true));
        Path entry = ParseCache.under(gitDir, FINGERPRINT, true).entry(BLOB);
        byte[] good = Files.readAllBytes(entry);

        // One flipped byte in the tree: the checksum catches it.
        byte[] flipped = good.clone();
        flipped[flipped.length - 3] ^= 0x40;
        Files.write(entry, flipped);
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        assertEquals(parsed, parseWith(cache));
        assertEquals(2, reads.get());
        assertEquals(1, cache.stats().rejected());
        assertArrayEquals(good, Files.readAllBytes(entry));

        // A truncated entry and garbage are rejected the same way.
        for (byte[] bad : new byte[][] {java.util.Arrays.copyOf(good, good.length / 2), "not a cache entry".getBytes()}) {
            Files.write(entry, bad);
            ParseCache again = ParseCache.under(gitDir, FINGERPRINT, true);
            assertEquals(parsed, parseWith(again));
            assertEquals(1, again.stats().rejected());
            assertArrayEquals(good, Files.readAllBytes(entry));
        }
    }

    @Test
    void aValidChecksumOverATreeThatDoesNotDecodeIsStillRejected() throws Exception {
        ModuleParser.Parsed parsed = parseWith(ParseCache.under(gitDir, FINGERPRINT, true));
        Path entry = ParseCache.under(gitDir, FINGERPRINT, true).entry(BLOB);
        // A payload framed correctly (this blob's id, a tree, no summary), whose tree is garbage.
        byte[] tree = {0, 0, 0, 3, 1, 1, 99, 0, 0, 0, 0};
        byte[] payload = ByteBuffer.allocate(1 + BLOB.length() + tree.length).put((byte) BLOB.length())
                .put(BLOB.getBytes(StandardCharsets.US_ASCII)).put(tree).array();
        ByteBuffer forged = ByteBuffer.allocate(24 + payload.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload);
        forged.putInt(0x4D475343).putInt(ParseCache.FORMAT).putLong(FINGERPRINT).putInt(payload.length)
                .putInt((int) crc.getValue()).put(payload);
        Files.write(entry, forged.array());

        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        assertEquals(parsed, parseWith(cache));
        assertEquals(2, reads.get());
        assertEquals(1, cache.stats().written());
    }

    @Test
    void anEntryOfAnotherParserOrFormatIsIgnoredAndRewritten() throws Exception {
        parseWith(ParseCache.under(gitDir, FINGERPRINT, true));
        Path entry = ParseCache.under(gitDir, FINGERPRINT, true).entry(BLOB);
        byte[] ours = Files.readAllBytes(entry);

        ParseCache otherParser = ParseCache.under(gitDir, FINGERPRINT + 1, true);
        parseWith(otherParser);
        assertEquals(2, reads.get());
        assertEquals(1, otherParser.stats().rejected());
        assertNotEquals(ByteBuffer.wrap(ours).getLong(8), ByteBuffer.wrap(Files.readAllBytes(entry)).getLong(8));

        // An entry claiming another format version, with everything else valid, is not trusted either.
        byte[] otherFormat = ours.clone();
        ByteBuffer.wrap(otherFormat).putInt(4, ParseCache.FORMAT + 1);
        Files.write(entry, otherFormat);
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        parseWith(cache);
        assertEquals(3, reads.get());
        assertEquals(1, cache.stats().rejected());
        assertArrayEquals(ours, Files.readAllBytes(entry));
    }

    @Test
    void whenTheCacheCannotBeWrittenTheRunGoesOnWithoutIt() throws Exception {
        // A file where the cache folder should be: every write fails.
        Files.writeString(gitDir.resolve("migsafe"), "in the way");
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        ModuleParser parser = new ModuleParser(cache);
        ModuleParser.Parsed parsed = parser.parse(BLOB, bytes, "a.py");
        assertTrue(parsed.ok());
        parser.parse("89abcdef0123456789abcdef0123456789abcdef", bytes, "b.py");
        assertEquals(0, cache.stats().written());
        assertEquals("in the way", Files.readString(gitDir.resolve("migsafe")));
    }

    @Test
    void resultsThatDependOnLimitsAreNotKept() {
        ParseCache cache = ParseCache.under(gitDir, FINGERPRINT, true);
        ModuleParser tiny = new ModuleParser(8, cache);
        ModuleParser.Parsed tooLarge = tiny.parse(BLOB, bytes, "a.py");
        assertFalse(tooLarge.ok());
        assertEquals(SyntaxProblem.INPUT_TOO_LARGE, tooLarge.problem().rule());
        assertEquals(0, cache.stats().written());
        assertNull(ParseCache.under(gitDir, FINGERPRINT, true).get(BLOB));
    }

    @Test
    void aSummaryTravelsWithTheTree() {
        ModuleParser.Parsed parsed = new ModuleParser().parse(BYTES, "a.py");
        ParseCache.under(gitDir, FINGERPRINT, true).put(BLOB, parsed, new byte[] {7, 8, 9});
        ParseCache.Entry entry = ParseCache.under(gitDir, FINGERPRINT, true).get(BLOB);
        assertArrayEquals(new byte[] {7, 8, 9}, entry.summary());
        assertEquals(parsed, entry.parsed());

        ParseCache.under(gitDir, FINGERPRINT, true).put(BLOB, parsed, null);
        ParseCache.Entry without = ParseCache.under(gitDir, FINGERPRINT, true).get(BLOB);
        assertNull(without.summary());
        assertEquals(parsed, without.parsed());
    }
}
