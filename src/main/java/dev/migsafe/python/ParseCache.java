package dev.migsafe.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Parse results by git blob id: in memory for the run (a range's two sides share most files), and
 * on disk under the repository's git dir so that the next run re-parses only what changed
 * (docs/decisions/0006-parse-cache.md). An entry holds the syntax tree and, optionally, a
 * summary that the layers above derive from it (the migration model), so that a warm run need
 * not even decode the trees it does not look into.
 *
 * A blob id names its bytes exactly, so an entry can only be stale when the code changed:
 * entries carry the format version, the code's fingerprint and their own blob id (an entry
 * filed under another blob's name is not that blob's), plus a checksum, and anything that does
 * not match or does not decode is ignored and rewritten, never trusted. Only regular files of
 * bounded size, in real folders under the git dir, are read, and writes replace files instead
 * of writing into them ({@link CacheFiles}): a FIFO, a device, a huge file or a symlink in the
 * cache is a miss, and a foreign object where a folder should be turns the disk cache off. The
 * cache is an optimisation only: every failure to read or write it is silent, and deleting the
 * folder at any time is safe. Not thread-safe (one per run, like the parser).
 */
public final class ParseCache {

    /** Bump when the entry layout changes; the folder name follows it. 2: entries carry their blob id. */
    static final int FORMAT = 2;
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
    /** An entry larger than this is not written: it always fits a pack of one within {@link CacheFiles#MAX_FILE}. */
    static final long MAX_ENTRY = CacheFiles.MAX_FILE - PACK_HEADER - 1 - 64 - 4;

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

    /** The git dir: no folder below it that the cache uses may be a symlink. */
    private final Path root;
    private final Path dir;
    /** Whether dir's folders are real ones (checked at the first disk access): else no disk cache. */
    private Boolean usable;
    /** The cache's folders (fan-out folders, packs) found to be real folders in this run. */
    private final Set<String> realFolders = new HashSet<>();
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

    private ParseCache(Path root, Path dir, long fingerprint, boolean writable, boolean remember) {
        this.root = root;
        this.dir = dir;
        this.fingerprint = fingerprint;
        this.writable = writable;
        this.remember = remember;
    }

    /** A cache that lives only as long as the run. */
    public static ParseCache inMemory() {
        return new ParseCache(null, null, 0, false, true);
    }

    /**
     * The cache of a repository: entries under {@code gitDir/migsafe/cache/v2}. Nothing is
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
            return remember ? inMemory() : new ParseCache(null, null, 0, false, false);
        }
        Path dir = gitDir.resolve("migsafe").resolve("cache").resolve(FOLDER);
        return new ParseCache(gitDir, dir, fingerprint, Files.isWritable(gitDir), remember);
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
        if (toDisk && HEADER + 1 + blobId.length() + 4L + tree.length + 4 + (summary == null ? 0 : summary.length) <= MAX_ENTRY) {
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
        if (!CacheFiles.realFolders(gitDir, dir)) {
            return 0;
        }
        int count = 0;
        try (var files = Files.walk(dir)) { // does not follow symlinks
            for (Path p : (Iterable<Path>) files.filter(CacheFiles::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(PACK_SUFFIX)) {
                    ByteBuffer h;
                    try {
                        h = ByteBuffer.wrap(CacheFiles.read(p, CacheFiles.MAX_FILE, PACK_HEADER));
                    } catch (IOException e) {
                        continue; // too large to be read: not counted
                    }
                    count += h.remaining() == PACK_HEADER && h.getInt() == PACK_MAGIC ? h.getInt(16) : 0;
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

    /**
     * Whether the disk cache can be used: the git dir's migsafe/cache/vN folders are real
     * folders or missing (then created when writing). A symlink (even to a folder: it may lead
     * out of the git dir), a file or a FIFO there turns the disk cache off for the run, and is
     * left alone.
     */
    private boolean usable() {
        if (usable == null) {
            Path at = root;
            boolean ok = true;
            for (Path name : root.relativize(dir)) {
                at = at.resolve(name);
                if (Files.exists(at, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                    ok = false;
                    break;
                }
            }
            usable = ok;
            if (!ok) {
                writable = false;
            }
        }
        return usable;
    }

    /**
     * Whether a folder of the cache (a fan-out folder, packs) is a real one; remembered for the
     * run once it is (a missing one may be created by this run's writes).
     */
    private boolean realFolder(String name) {
        if (realFolders.contains(name)) {
            return true;
        }
        boolean real = CacheFiles.realFolders(dir, dir.resolve(name));
        if (real) {
            realFolders.add(name);
        }
        return real;
    }

    /*
     * An entry file: magic, format, fingerprint, payload length, payload CRC-32, then the payload:
     * the blob id's length (one byte) and ASCII digits, the tree's length and bytes (TreeCodec),
     * the summary's length and bytes (length 0: none).
     */

    private Entry read(String blobId) {
        if (dir == null || !isObjectId(blobId) || !usable()) {
            return null;
        }
        if (packed == null) {
            packed = readPacks();
        }
        for (Slot slot = packed.get(blobId); slot != null; slot = slot.next()) {
            Entry entry = decode(blobId, slot.pack(), slot.offset(), slot.length());
            if (entry != null) {
                return entry;
            }
            rejected++;
        }
        String fanOut = blobId.substring(0, 2);
        if (!realFolder(fanOut)) {
            // Missing (nothing cached there yet), or a foreign object: nothing to read either way.
            if (Files.exists(dir.resolve(fanOut), LinkOption.NOFOLLOW_LINKS)) {
                rejected++;
            }
            return null;
        }
        byte[] bytes;
        try {
            bytes = CacheFiles.read(entry(blobId));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            rejected++;
            return null;
        }
        Entry entry = decode(blobId, bytes, 0, bytes.length);
        if (entry == null) {
            rejected++;
        }
        return entry;
    }

    /** An entry file's bytes (or a pack's slice of them), checked against its blob; null when anything is off. */
    private Entry decode(String blobId, byte[] bytes, int offset, int size) {
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
            int idLength = in.get() & 0xff;
            if (idLength != blobId.length()
                    || !blobId.equals(new String(bytes, in.position(), idLength, StandardCharsets.US_ASCII))) {
                return null; // a valid entry, of another blob
            }
            in.position(in.position() + idLength);
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
        if (!realFolder(PACKS)) {
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
        try {
            byte[] header = CacheFiles.read(file, CacheFiles.MAX_FILE, PACK_HEADER);
            ByteBuffer h = ByteBuffer.wrap(header);
            if (header.length < PACK_HEADER || h.getInt() != PACK_MAGIC) {
                corrupt(file);
                return;
            }
            if (h.getInt() != PACK_FORMAT || h.getLong() != fingerprint) {
                return; // another build's (or format's): not ours to read or remove
            }
            pack = CacheFiles.read(file);
        } catch (IOException | RuntimeException e) {
            rejected++; // not a regular file, too large, or unreadable: left alone
            return;
        }
        Map<String, Slot> found = new HashMap<>();
        int at = PACK_HEADER;
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

    /**
     * Writes what the batch collected: packs when there are many entries (as many as it takes to
     * keep each within {@link CacheFiles#MAX_FILE}), else entry files.
     */
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
        boolean wrote = false;
        int from = 0;
        while (from < batch.size() && writable) {
            long size = PACK_HEADER;
            int to = from;
            while (to < batch.size() && (to == from || size + slotSize(batch.get(to)) <= CacheFiles.MAX_FILE)) {
                size += slotSize(batch.get(to++));
            }
            wrote |= writePack(batch.subList(from, to), (int) size);
            from = to;
        }
        if (wrote) {
            removeForeignPacks();
        }
    }

    private static long slotSize(Pending p) {
        return 1 + p.blobId().length() + 4 + p.entry().length;
    }

    private boolean writePack(List<Pending> entries, int size) {
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(PACK_MAGIC).putInt(PACK_FORMAT).putLong(fingerprint).putInt(entries.size());
        for (Pending p : entries) {
            out.put((byte) p.blobId().length()).put(p.blobId().getBytes(StandardCharsets.US_ASCII))
                    .putInt(p.entry().length).put(p.entry());
        }
        String name = "pack-" + Long.toHexString(System.currentTimeMillis()) + "-"
                + Long.toHexString(ProcessHandle.current().pid()) + "-" + Integer.toHexString(System.identityHashCode(out))
                + PACK_SUFFIX;
        if (writeFile(dir.resolve(PACKS).resolve(name), out.array())) {
            written += entries.size() - 1; // writeFile counted one
            return true;
        }
        return false;
    }

    /**
     * Removes the packs of other builds (another fingerprint or pack format) once this one has
     * written its own, as an entry file of another build is overwritten by this build's: a pack
     * per build ever run would otherwise pile up (10 MB each on a large project). Only regular
     * files are looked into; anything else is left alone.
     */
    private void removeForeignPacks() {
        try (DirectoryStream<Path> packs = Files.newDirectoryStream(dir.resolve(PACKS), "*" + PACK_SUFFIX)) {
            for (Path pack : packs) {
                ByteBuffer h;
                try {
                    h = ByteBuffer.wrap(CacheFiles.read(pack, Long.MAX_VALUE, PACK_HEADER));
                } catch (IOException e) {
                    continue;
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
        int length = 1 + blobId.length() + 4 + tree.length + 4 + summaryLength;
        ByteBuffer out = ByteBuffer.allocate(HEADER + length);
        out.putInt(MAGIC).putInt(FORMAT).putLong(fingerprint).putInt(length).putInt(0)
                .put((byte) blobId.length()).put(blobId.getBytes(StandardCharsets.US_ASCII))
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

    /**
     * Writes a file aside and renames it over the target ({@link CacheFiles#replace}): a reader
     * (or a concurrent run) never sees half of it, and a FIFO or symlink at the target is
     * replaced, not written into. Its folders are created as real folders, or the write fails.
     */
    private boolean writeFile(Path target, byte[] bytes) {
        if (!writable || !usable()) {
            return false;
        }
        try {
            CacheFiles.createFolders(root, target.getParent());
            CacheFiles.replace(target, bytes);
            written++;
            return true;
        } catch (IOException | RuntimeException e) {
            writable = false; // one failure says enough (a full or read-only file system): stop trying for this run
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
