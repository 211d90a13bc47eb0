package dev.migsafe.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parse cache's files as found on disk, where anything may be: a FIFO (opening it for
 * reading blocks until a writer comes), a device or a link to one (/dev/zero never ends), a
 * file of gigabytes, a link out of the git dir, a file or link where a folder should be. The
 * cache only ever opens regular files of bounded size, reached through real folders, without
 * following a symlink; and it writes by creating a new file beside the target and renaming it
 * over the target, which replaces whatever the target was instead of writing into it.
 *
 * <p>The checks are made before opening (a FIFO cannot be opened safely to find out what it is);
 * someone replacing a file between the check and the open, inside the git dir, at that moment,
 * is not guarded against.
 */
final class CacheFiles {

    /**
     * The largest cache file (an entry or a pack) read or written: four times the largest file
     * the parser reads. An entry holds the decoded source and a node per token, so it is larger
     * than its file (about twice for real migrations, ten times for the densest code); a tree
     * too large for this is simply not cached.
     */
    static final long MAX_FILE = 4L * ModuleParser.DEFAULT_MAX_BYTES;

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private CacheFiles() {}

    /** A cache file that cannot be used: not a regular file, or too large. */
    static final class Unusable extends IOException {
        Unusable(Path file, String why) {
            super(file + ": " + why);
        }
    }

    /**
     * The first {@code limit} bytes of a regular file (all of them when it is shorter), found
     * without following a symlink. Throws {@link NoSuchFileException} when there is nothing at
     * {@code file}, {@link Unusable} when it is not a regular file or is larger than {@code max}.
     */
    static byte[] read(Path file, long max, long limit) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new Unusable(file, "not a regular file");
        }
        if (attributes.size() > max) {
            throw new Unusable(file, "larger than " + max + " bytes");
        }
        try (SeekableByteChannel in = Files.newByteChannel(file, READ)) {
            long size = in.size(); // of what was opened (a rename since the check gives another file)
            if (size > max) {
                throw new Unusable(file, "larger than " + max + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, limit));
            while (buffer.hasRemaining() && in.read(buffer) > 0) {
                // until full, or the file turns out shorter than it was
            }
            return buffer.position() == buffer.capacity() ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** The whole of a regular file of at most {@link #MAX_FILE} bytes (see {@link #read(Path, long, long)}). */
    static byte[] read(Path file) throws IOException {
        return read(file, MAX_FILE, MAX_FILE);
    }

    /** Whether there is a regular file at {@code file} (a symlink to one is not). */
    static boolean isRegularFile(Path file) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Whether {@code dir} and each folder between {@code root} (exclusive) and it are real
     * folders: none is a symlink, a file or missing.
     */
    static boolean realFolders(Path root, Path dir) {
        Path rel = root.relativize(dir);
        Path at = root;
        for (Path name : rel) {
            at = at.resolve(name);
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates the folders from {@code root} (exclusive) down to {@code dir} that are missing;
     * throws when one of them is something else (a symlink even to a folder, a file, a FIFO), so
     * that nothing is ever written through it.
     */
    static void createFolders(Path root, Path dir) throws IOException {
        Path rel = root.relativize(dir);
        Path at = root;
        for (Path name : rel) {
            at = at.resolve(name);
            if (Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectory(at); // mkdir: never follows a symlink at its own name
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                    throw new Unusable(at, "not a folder");
                }
            }
        }
    }

    /**
     * Writes {@code bytes} to a new file beside {@code target} and renames it over the target:
     * a reader (or a concurrent run) never sees half a file, and whatever was at the target (a
     * FIFO, a symlink) is replaced, never written into. The folder must exist and be checked.
     */
    static void replace(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        try {
            // CREATE_NEW (O_EXCL) fails on anything already there, a symlink included.
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray .part file is harmless
            }
            throw e;
        }
    }
}
