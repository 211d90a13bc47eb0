package dev.migsafe.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Parse results by git blob id: in memory for the run (a range's two sides share most files), and
 * on disk under the repository's git dir so that the next run re-parses only what changed
 * (docs/decisions/0006-parse-cache.md). An entry holds the syntax tree and, optionally, a
 * summary that the layers above derive from it (the migration model), so that a warm run need
 * not even decode the trees it does not look into.
 *
 * A blob id names its bytes exactly, so an entry can only be stale when the code changed:
 * entries carry the format version and the code's fingerprint, plus a checksum, and anything
 * that does not match or does not decode is ignored and rewritten, never trusted. The cache is
 * an optimisation only: every failure to read or write it is silent, and deleting the folder
 * at any time is safe. Not thread-safe (one per run, like the parser).
 */
public final class ParseCache {

    /** Bump when the entry layout changes; the folder name follows it. */
    static final int FORMAT = 1;
    static final String FOLDER = "v" + FORMAT;
    private static final int MAGIC = 0x4D475343; // "MGSC"
    private static final int HEADER = 4 + 4 + 8 + 4 + 4;
    private static final int PACK_MAGIC = 0x4D475350; // "MGSP"
    private static final int PACK_FORMAT = 1;
    private static final int PACK_HEADER = 4 + 4 + 8 + 4;
    static final String PACKS = "packs";
    static final String PACK_SUFFIX = ".pack";
    /** A batch of fewer entries is written as entry files. */
    static final int MIN_PACK = 16;

    /** How the cache served a run (for tests and benchmarks). */
    public record Stats(int memoryHits, int diskHits, int misses, int rejected, int written) {}

    /**
     * A cached result: the tree, decoded when first asked for, and the summary stored with it
     * (null when none was). A tree that fails to decode despite a valid checksum gives null:
     * the caller parses the file instead.
     */
    public static final class Entry {
        private final byte[] bytes;
        private final int treeOffset;
        private final int treeLength;
        private final byte[] summary;
        private ModuleParser.Parsed parsed;

        private Entry(ModuleParser.Parsed parsed, byte[] summary) {
            this.bytes = null;
            this.treeOffset = 0;
            this.treeLength = 0;
            this.parsed = parsed;
            this.summary = summary;
        }

        Entry(byte[] bytes, int treeOffset, int treeLength, byte[] summary) {
            this.bytes = bytes;
            this.treeOffset = treeOffset;
            this.treeLength = treeLength;
            this.summary = summary;
        }

        public ModuleParser.Parsed parsed() {
            if (parsed == null && bytes != null) {
                try {
                    parsed = TreeCodec.decode(bytes, treeOffset, treeLength);
                } catch (RuntimeException | StackOverflowError e) {
                    return null;
                }
            }
            return parsed;
        }

        public byte[] summary() {
            return summary;
        }
    }

    /**
     * From now on, keeps entries in memory across runs of this process, up to about
     * {@code budgetBytes} of encoded entries ({@code <= 0}: stop keeping them); see
     * {@link ResidentEntries}.
     */
    public static void keepResident(long budgetBytes) {
        ResidentEntries.keep(budgetBytes);
    }

    /** How many entries, and about how many bytes, the process keeps across runs. */
    public static String residentSummary() {
        return ResidentEntries.summary();
    }

    private final Path dir;
    private final long fingerprint;
    private final boolean remember;
    private boolean writable;
    private final Map<String, Entry> memory = new HashMap<>();
    private int memoryHits;
    private int diskHits;
    private int misses;
    private int rejected;
    private int written;
    /** Entries of the packs in the folder (read at the first lookup), by blob id. */
    private Map<String, Slot> packed;
    /** Entries put during a batch, written when it ends (see {@link #beginBatch}). */
    private List<Pending> pending;

    /** Where a pack holds an entry; {@code next}: the same blob in another pack. */
    private record Slot(byte[] pack, int offset, int length, Slot next) {}

    private record Pending(String blobId, byte[] entry) {}

    private ParseCache(Path dir, long fingerprint, boolean writable, boolean remember) {
        this.dir = dir;
        this.fingerprint = fingerprint;
        this.writable = writable;
        this.remember = remember;
    }

    /** A cache that lives only as long as the run. */
    public static ParseCache inMemory() {
        return new ParseCache(null, 0, false, true);
    }

    /**
     * The cache of a repository: entries under {@code gitDir/migsafe/cache/v1}. Nothing is
     * written when the git dir is not writable (a read-only checkout, another user's clone).
     */
    public static ParseCache under(Path gitDir) {
        return under(gitDir, CodeFingerprint.current(), true);
    }

    /**
     * Like {@link #under} but keeping nothing in memory: for walks over history, which meet each
     * blob once and could not hold every tree.
     */
    public static ParseCache diskOnly(Path gitDir) {
        return under(gitDir, CodeFingerprint.current(), false);
    }

    static ParseCache under(Path gitDir, long fingerprint, boolean remember) {
        if (gitDir == null || fingerprint == 0) {
            return remember ? inMemory() : new ParseCache(null, 0, false, false);
        }
        Path dir = gitDir.resolve("migsafe").resolve("cache").resolve(FOLDER);
        return new ParseCache(dir, fingerprint, Files.isWritable(gitDir), remember);
    }

    /** The cached entry of a blob, or null (absent, unreadable, foreign or corrupt). */
    public Entry get(String blobId) {
        if (blobId == null) {
            return null;
        }
        Entry entry = memory.get(blobId);
        if (entry != null) {
            memoryHits++;
            return entry;
        }
        ResidentEntries kept = remember ? ResidentEntries.current() : null;
        entry = kept == null ? null : kept.get(blobId);
        if (entry != null) {
            memoryHits++; // kept by the process across runs: no disk read
            memory.put(blobId, entry);
            return entry;
        }
        entry = read(blobId);
        if (entry != null) {
            diskHits++;
            remember(blobId, entry);
            if (kept != null) {
                // The tree's bytes alone: an entry read from a pack shares the whole pack's array.
                byte[] tree = Arrays.copyOfRange(entry.bytes, entry.treeOffset, entry.treeOffset + entry.treeLength);
                kept.put(blobId, tree, entry.summary);
            }
        } else {
            misses++;
        }
        return entry;
    }

    /**
     * Remembers a parse result with an optional summary (replacing what the blob had); results
     * that depend on limits (P005: size, nesting) are not kept.
     */
    public void put(String blobId, ModuleParser.Parsed parsed, byte[] summary) {
        if (blobId == null || (!parsed.ok() && SyntaxProblem.INPUT_TOO_LARGE.equals(parsed.problem().rule()))) {
            return;
        }
        remember(blobId, new Entry(parsed, summary));
        ResidentEntries kept = remember ? ResidentEntries.current() : null;
        boolean toDisk = dir != null && writable && isObjectId(blobId);
        if (kept == null && !toDisk) {
            return;
        }
        byte[] tree;
        try {
            tree = TreeCodec.encode(parsed);
        } catch (RuntimeException | StackOverflowError e) {
            return; // a tree the codec cannot hold is simply not cached
        }
        if (kept != null) {
            kept.put(blobId, tree, summary);
        }
        if (toDisk) {
            write(blobId, tree, summary);
        }
    }

    /**
     * Holds a parse result for this run only (nothing is written): the next {@link #get} returns
     * it, and the {@link #put} that follows with its summary writes the entry once. For results
     * parsed ahead of time on other threads ({@code ParallelParse}).
     */
    public void prime(String blobId, ModuleParser.Parsed parsed) {
        if (blobId != null && (parsed.ok() || !SyntaxProblem.INPUT_TOO_LARGE.equals(parsed.problem().rule()))) {
            remember(blobId, new Entry(parsed, null));
        }
    }

    /** Whether {@link #prime} keeps anything (a cache that remembers within the run). */
    public boolean remembers() {
        return remember;
    }

    private void remember(String blobId, Entry entry) {
        if (remember) {
            memory.put(blobId, entry);
        }
    }

    /**
     * How many entries the cache of a repository holds on disk: entry files plus the entries of
     * packs (of any build). For tests and diagnostics; reads only the packs' headers.
     */
    public static int entryCount(Path gitDir) {
        Path dir = gitDir.resolve("migsafe").resolve("cache").resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int count = 0;
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(PACK_SUFFIX)) {
                    try (InputStream in = Files.newInputStream(p)) {
                        ByteBuffer h = ByteBuffer.wrap(in.readNBytes(PACK_HEADER));
                        count += h.remaining() == PACK_HEADER && h.getInt() == PACK_MAGIC ? h.getInt(16) : 0;
                    }
                } else if (!name.endsWith(".part")) {
                    count++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return count;
        }
        return count;
    }

    public Stats stats() {
        return new Stats(memoryHits, diskHits, misses, rejected, written);
    }

    /** The entry file of a blob: fanned out by the first two hex digits, as git stores objects. */
    Path entry(String blobId) {
        return dir.resolve(blobId.substring(0, 2)).resolve(blobId.substring(2));
    }

    /*
     * An entry file: magic, format, fingerprint, payload length, payload CRC-32, then the payload:
     * the tree's length and bytes (TreeCodec), the summary's length and bytes (length 0: none).
     */

    private Entry read(String blobId) {
        if (dir == null || !isObjectId(blobId)) {
            return null;
        }
        if (packed == null) {
            packed = readPacks();
        }
        for (Slot slot = packed.get(blobId); slot != null; slot = slot.next()) {
            Entry entry = decode(slot.pack(), slot.offset(), slot.length());
            if (entry != null) {
                return entry;
            }
            rejected++;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry(blobId));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            rejected++;
            return null;
        }
        Entry entry = decode(bytes, 0, bytes.length);
        if (entry == null) {
            rejected++;
        }
        return entry;
    }

    /** An entry file's bytes (or a pack's slice of them), checked; null when anything is off. */
    private Entry decode(byte[] bytes, int offset, int size) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, size);
            if (size < HEADER + 8 || in.getInt() != MAGIC || in.getInt() != FORMAT || in.getLong() != fingerprint) {
                return null;
            }
            int length = in.getInt();
            int checksum = in.getInt();
            if (length != size - HEADER || checksum != crc(bytes, offset + HEADER, length)) {
                return null;
            }
            int treeLength = in.getInt();
            int treeOffset = in.position();
            if (treeLength < 0 || treeLength > offset + size - treeOffset - 4) {
                return null;
            }
            in.position(treeOffset + treeLength);
            int summaryLength = in.getInt();
            if (summaryLength != in.remaining()) {
                return null;
            }
            byte[] summary = summaryLength == 0 ? null : Arrays.copyOfRange(bytes, in.position(), offset + size);
            return new Entry(bytes, treeOffset, treeLength, summary);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /*
     * A pack: PACK_MAGIC, PACK_FORMAT, fingerprint, entry count, then per entry the blob id's
     * length (one byte) and ASCII digits, the entry's length and the entry exactly as an entry
     * file holds it (checked when used). Packs of another build are left alone; a pack that is
     * not one (a bad header, cut short) is removed.
     */

    private Map<String, Slot> readPacks() {
        Map<String, Slot> out = new HashMap<>();
        Path folder = dir.resolve(PACKS);
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> packs = Files.newDirectoryStream(folder, "*" + PACK_SUFFIX)) {
            for (Path pack : packs) {
                readPack(pack, out);
            }
        } catch (IOException | RuntimeException e) {
            // what was read is used; the rest is parsed again
        }
        return out;
    }

    private void readPack(Path file, Map<String, Slot> out) {
        byte[] pack;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(PACK_HEADER);
            ByteBuffer h = ByteBuffer.wrap(header);
            if (header.length < PACK_HEADER || h.getInt() != PACK_MAGIC) {
                corrupt(file);
                return;
            }
            if (h.getInt() != PACK_FORMAT || h.getLong() != fingerprint) {
                return; // another build's (or format's): not ours to read or remove
            }
            pack = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return;
        }
        Map<String, Slot> found = new HashMap<>();
        int at = 0;
        try {
            while (at < pack.length) {
                int idLength = pack[at] & 0xff;
                String id = new String(pack, at + 1, idLength, StandardCharsets.US_ASCII);
                int length = ByteBuffer.wrap(pack, at + 1 + idLength, 4).getInt();
                int offset = at + 1 + idLength + 4;
                if (length < 0 || offset + length > pack.length || !isObjectId(id)) {
                    corrupt(file);
                    return;
                }
                found.put(id, new Slot(pack, offset, length, null));
                at = offset + length;
            }
        } catch (RuntimeException e) {
            corrupt(file);
            return;
        }
        found.forEach((id, slot) -> out.merge(id, slot, (a, b) -> new Slot(b.pack(), b.offset(), b.length(), a)));
    }

    private void corrupt(Path pack) {
        rejected++;
        try {
            Files.deleteIfExists(pack);
        } catch (IOException | RuntimeException e) {
            // left for the next run
        }
    }

    /**
     * Until {@link #endBatch}, entries are collected instead of written: a run that parses many
     * files (a first run: every file of the project) then writes one pack, not one file each
     * (creating a file costs more than parsing it on some file systems). Each batch ends with
     * {@link #endBatch}; nested batches are not supported.
     */
    public void beginBatch() {
        if (dir != null && writable) {
            pending = new ArrayList<>();
        }
    }

    /** Writes what the batch collected: one pack when there are many entries, else entry files. */
    public void endBatch() {
        List<Pending> batch = pending;
        pending = null;
        if (batch == null || batch.isEmpty() || !writable) {
            return;
        }
        if (batch.size() < MIN_PACK) {
            for (Pending p : batch) {
                writeFile(entry(p.blobId()), p.entry());
            }
            return;
        }
        int size = PACK_HEADER;
        for (Pending p : batch) {
            size += 1 + p.blobId().length() + 4 + p.entry().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(PACK_MAGIC).putInt(PACK_FORMAT).putLong(fingerprint).putInt(batch.size());
        for (Pending p : batch) {
            out.put((byte) p.blobId().length()).put(p.blobId().getBytes(StandardCharsets.US_ASCII))
                    .putInt(p.entry().length).put(p.entry());
        }
        String name = "pack-" + Long.toHexString(System.currentTimeMillis()) + "-"
                + Long.toHexString(ProcessHandle.current().pid()) + "-" + Integer.toHexString(System.identityHashCode(batch))
                + PACK_SUFFIX;
        if (writeFile(dir.resolve(PACKS).resolve(name), out.array())) {
            written += batch.size() - 1; // writeFile counted one
            removeForeignPacks();
        }
    }

    /**
     * Removes the packs of other builds (another fingerprint or pack format) once this one has
     * written its own, as an entry file of another build is overwritten by this build's: a pack
     * per build ever run would otherwise pile up (10 MB each on a large project).
     */
    private void removeForeignPacks() {
        try (DirectoryStream<Path> packs = Files.newDirectoryStream(dir.resolve(PACKS), "*" + PACK_SUFFIX)) {
            for (Path pack : packs) {
                ByteBuffer h;
                try (InputStream in = Files.newInputStream(pack)) {
                    h = ByteBuffer.wrap(in.readNBytes(PACK_HEADER));
                }
                if (h.remaining() == PACK_HEADER && h.getInt() == PACK_MAGIC
                        && (h.getInt() != PACK_FORMAT || h.getLong() != fingerprint)) {
                    Files.deleteIfExists(pack);
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for a later run
        }
    }

    private void write(String blobId, byte[] tree, byte[] summary) {
        int summaryLength = summary == null ? 0 : summary.length;
        int length = 4 + tree.length + 4 + summaryLength;
        ByteBuffer out = ByteBuffer.allocate(HEADER + length);
        out.putInt(MAGIC).putInt(FORMAT).putLong(fingerprint).putInt(length).putInt(0)
                .putInt(tree.length).put(tree).putInt(summaryLength);
        if (summary != null) {
            out.put(summary);
        }
        out.putInt(HEADER - 4, crc(out.array(), HEADER, length));
        if (pending != null) {
            pending.add(new Pending(blobId, out.array()));
        } else {
            writeFile(entry(blobId), out.array());
        }
    }

    /** Writes a file aside and renames it: a reader (or a concurrent run) never sees half of it. */
    private boolean writeFile(Path target, byte[] bytes) {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "tmp-", ".part");
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            written++;
            return true;
        } catch (IOException | RuntimeException e) {
            writable = false; // one failure says enough: stop trying for this run
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: a stray .part file is harmless
                }
            }
            return false;
        }
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** 40 (SHA-1) or 64 (SHA-256) lower-case hex digits: safe as a file name. */
    private static boolean isObjectId(String id) {
        if (id.length() != 40 && id.length() != 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
