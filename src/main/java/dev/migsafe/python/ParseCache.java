package dev.migsafe.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
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

        private Entry(byte[] bytes, int treeOffset, int treeLength, byte[] summary) {
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
     * Entries kept across runs by a resident process (docs/decisions/0008-resident-process.md),
     * by blob id, least recently used first out; null in a normal run. They are held encoded (as
     * on disk), so that their size is known and bounded, and every run decodes its own trees: a
     * run's decoded trees never outlive it.
     */
    private static Resident resident;

    private record Compact(byte[] bytes, int treeOffset, int treeLength, byte[] summary) {
        long weight() {
            return 64L + bytes.length + (summary == null ? 0 : summary.length);
        }

        Entry entry() {
            return new Entry(bytes, treeOffset, treeLength, summary);
        }
    }

    private static final class Resident extends java.util.LinkedHashMap<String, Compact> {
        private final long budget;
        private long weight;

        Resident(long budget) {
            super(1024, 0.75f, true);
            this.budget = budget;
        }

        synchronized Entry entry(String blobId) {
            Compact c = get(blobId);
            return c == null ? null : c.entry();
        }

        synchronized void keep(String blobId, Compact c) {
            Compact old = put(blobId, c);
            weight += c.weight() - (old == null ? 0 : old.weight());
            var oldest = entrySet().iterator();
            while (weight > budget && oldest.hasNext()) {
                weight -= oldest.next().getValue().weight();
                oldest.remove();
            }
        }

        synchronized int entries() {
            return size();
        }

        synchronized long weight() {
            return weight;
        }
    }

    /**
     * From now on, keeps entries in memory across runs of this process, up to about
     * {@code budgetBytes} of encoded entries ({@code <= 0}: stop keeping them).
     */
    public static synchronized void keepResident(long budgetBytes) {
        resident = budgetBytes > 0 ? new Resident(budgetBytes) : null;
    }

    /** How many entries, and about how many bytes, the process keeps across runs. */
    public static synchronized String residentSummary() {
        Resident r = resident;
        return r == null ? "none" : r.entries() + " parsed files, " + (r.weight() >> 10) + " KiB";
    }

    private static synchronized Resident resident() {
        return resident;
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
        Resident kept = remember ? resident() : null;
        entry = kept == null ? null : kept.entry(blobId);
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
                kept.keep(blobId, new Compact(entry.bytes, entry.treeOffset, entry.treeLength, entry.summary));
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
        Resident kept = remember ? resident() : null;
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
            kept.keep(blobId, new Compact(tree, 0, tree.length, summary));
        }
        if (toDisk) {
            write(blobId, tree, summary);
        }
    }

    private void remember(String blobId, Entry entry) {
        if (remember) {
            memory.put(blobId, entry);
        }
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
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry(blobId));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            rejected++;
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (bytes.length < HEADER + 8 || in.getInt() != MAGIC || in.getInt() != FORMAT
                    || in.getLong() != fingerprint) {
                rejected++;
                return null;
            }
            int length = in.getInt();
            int checksum = in.getInt();
            if (length != bytes.length - HEADER || checksum != crc(bytes, HEADER, length)) {
                rejected++;
                return null;
            }
            int treeLength = in.getInt();
            int treeOffset = in.position();
            if (treeLength < 0 || treeLength > bytes.length - treeOffset - 4) {
                rejected++;
                return null;
            }
            in.position(treeOffset + treeLength);
            int summaryLength = in.getInt();
            if (summaryLength != in.remaining()) {
                rejected++;
                return null;
            }
            byte[] summary = summaryLength == 0 ? null : java.util.Arrays.copyOfRange(bytes, in.position(), bytes.length);
            return new Entry(bytes, treeOffset, treeLength, summary);
        } catch (RuntimeException e) {
            rejected++;
            return null;
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
        Path target = entry(blobId);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            // Written aside and renamed: a reader (or a concurrent run) never sees half an entry.
            temp = Files.createTempFile(target.getParent(), "tmp-", ".part");
            Files.write(temp, out.array());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            written++;
        } catch (IOException | RuntimeException e) {
            writable = false; // one failure says enough: stop trying for this run
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: a stray .part file is harmless
                }
            }
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
