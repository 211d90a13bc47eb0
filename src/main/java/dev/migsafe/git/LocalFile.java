package dev.migsafe.git;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a file of the work tree or of the command line, which anyone who can commit to the
 * repository may have made anything: a 3 GB sparse file, a named pipe (opening it waits for a
 * writer forever), a link to /dev/zero (endless). The file's type and size are checked before it
 * is opened, only a regular file is opened, and at most {@link #MAX_BYTES} + 1 bytes are read.
 * What cannot be read this way is an {@link Unreadable}, which the reader of that file turns
 * into a finding for it (the rest of the run goes on).
 */
public final class LocalFile {

    /** The largest real migration files seen are a few MB; 16 MB leaves a wide margin. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private LocalFile() {}

    /** Why a file cannot be read. */
    public enum Problem {
        /** A regular file over the limit. */
        TOO_LARGE,
        /** A directory, device, named pipe or socket: nothing that could be read whole. */
        NOT_A_FILE,
        /** Missing, not permitted, an I/O error. */
        FAILED
    }

    /**
     * Why a file's bytes cannot be had. {@link #getMessage()} is one sentence naming the file
     * and the reason; {@link #size()} is the file's size when it is over the limit, else -1.
     */
    public static final class Unreadable extends RuntimeException {
        private final Problem problem;
        private final String reason;
        private final long size;

        Unreadable(String path, Problem problem, String reason, long size) {
            super("cannot read " + path + ": " + reason);
            this.problem = problem;
            this.reason = reason;
            this.size = size;
        }

        public Problem problem() {
            return problem;
        }

        /** The reason alone, e.g. "permission denied" or "it is a named pipe (FIFO), not a regular file". */
        public String reason() {
            return reason;
        }

        /** The size of a file over the limit; -1 otherwise. */
        public long size() {
            return size;
        }
    }

    /**
     * The bytes of a regular file of at most {@link #MAX_BYTES}.
     *
     * @param display how messages name the file (as the user gave it, or repository-relative)
     * @param followLinks whether a symbolic link is read through (to a regular file only); when
     *     false a link is unreadable, as callers that want a link read it as one ({@link #link})
     */
    public static byte[] read(Path path, String display, boolean followLinks) {
        return read(path, display, followLinks, MAX_BYTES);
    }

    static byte[] read(Path path, String display, boolean followLinks, int limit) {
        LinkOption[] how = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, how);
        } catch (NoSuchFileException e) {
            boolean dangling = followLinks && Files.isSymbolicLink(path);
            throw new Unreadable(display, Problem.FAILED, dangling ? "it is a symbolic link to a file that does not exist"
                    : reason(e), -1);
        } catch (IOException e) {
            throw new Unreadable(display, Problem.FAILED, reason(e), -1);
        }
        if (!attributes.isRegularFile()) {
            throw new Unreadable(display, Problem.NOT_A_FILE, kind(path, attributes, how) + ", not a regular file", -1);
        }
        if (attributes.size() > limit) {
            throw tooLarge(display, attributes.size(), limit);
        }
        OpenOption[] open = followLinks ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        try (FileChannel channel = FileChannel.open(path, open)) {
            // The size can change between the check and the read (or lie, as in /proc):
            // read what is there, never more than one byte past the limit.
            byte[] buffer = new byte[(int) Math.min(attributes.size() + 1, (long) limit + 1)];
            int filled = 0;
            while (true) {
                if (filled == buffer.length) {
                    if (filled > limit) {
                        throw tooLarge(display, Math.max(attributes.size(), filled), limit);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) filled * 2 + 4096, (long) limit + 1));
                }
                int n = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
        } catch (IOException e) {
            throw new Unreadable(display, Problem.FAILED, reason(e), -1);
        }
    }

    /**
     * The bytes git would stage for a path of the work tree: a symbolic link's text, a regular
     * file's content (checked and bounded as {@link #read} does).
     */
    public static byte[] asStaged(Path path, String display) {
        return Files.isSymbolicLink(path) ? link(path, display) : read(path, display, false);
    }

    /** The text of a symbolic link, as git stores a link: its target, not what it points to. */
    public static byte[] link(Path path, String display) {
        try {
            return Files.readSymbolicLink(path).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            throw new Unreadable(display, Problem.FAILED,
                    e instanceof IOException io ? reason(io) : "symbolic links are not supported here", -1);
        }
    }

    private static Unreadable tooLarge(String display, long size, int limit) {
        return new Unreadable(display, Problem.TOO_LARGE, "the file is " + size + " bytes, over the limit of " + limit + " bytes", size);
    }

    /** What a file that is not a regular one is, in a few words. */
    private static String kind(Path path, BasicFileAttributes attributes, LinkOption... how) {
        if (attributes.isDirectory()) {
            return "it is a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "it is a symbolic link";
        }
        try {
            // "unix:mode" tells pipes, sockets and devices apart where the platform has it.
            Object mode = Files.getAttribute(path, "unix:mode", how);
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0010000: return "it is a named pipe (FIFO)";
                    case 0140000: return "it is a socket";
                    case 0020000: return "it is a character device";
                    case 0060000: return "it is a block device";
                    default: break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no unix view: the generic words below
        }
        return "it is a special file (a device, pipe or socket)";
    }

    /**
     * An I/O failure in a few words: the JDK's messages for the common cases are a bare path
     * ("cannot read x.py: x.py").
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of its path is not a directory";
        }
        if (e instanceof FileSystemLoopException) {
            return "its symbolic links form a loop";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            String r = fse.getReason();
            if (r.regionMatches(true, 0, "Too many levels of symbolic links", 0, 33) || r.contains("ELOOP")) {
                return "its symbolic links form a loop (or are nested too deeply)";
            }
            if (r.equalsIgnoreCase("Is a directory")) {
                return "it is a directory";
            }
            return lowerFirst(r);
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : lowerFirst(m);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
