package dev.migsafe.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writing a whole file that the user keeps (the baseline, a git hook): into a new file beside it,
 * renamed over it. A failed write leaves the old file; a reader never sees half of one; and
 * whatever the path held is replaced, never written into, so a symlink, a FIFO or a device there
 * is never followed or opened. The commands decide first, with {@link #kind}, what they are
 * willing to replace.
 */
final class ReplaceFile {

    static final String REGULAR = "a regular file";
    static final String SYMLINK = "a symbolic link";
    static final String FOLDER = "a folder";

    private ReplaceFile() {}

    /**
     * What is at {@code path}, not following a symlink: {@link #REGULAR}, {@link #SYMLINK},
     * {@link #FOLDER}, "a FIFO", "a character device", "a block device", "a socket" (or "a
     * special file" where the kind cannot be told); null when there is nothing.
     */
    static String kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        if (a.isRegularFile()) {
            return REGULAR;
        }
        if (a.isSymbolicLink()) {
            return SYMLINK;
        }
        if (a.isDirectory()) {
            return FOLDER;
        }
        try {
            // The file type bits of st_mode (the JDK's "unix" view, on Linux and macOS).
            int type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            switch (type) {
                case 0010000:
                    return "a FIFO";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    return "a special file";
            }
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /**
     * Writes {@code bytes} to {@code target} as a new file renamed over it. Its mode is
     * {@code mode} when given, else that of the regular file it replaces, else what any new file
     * gets (the umask decides, as for a file the user creates). The folder must exist.
     */
    static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        PosixFileAttributes old = null;
        if (mode == null && REGULAR.equals(kind(target)) && posix(target)) {
            old = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        String name = target.getFileName().toString();
        Path temp = folder.resolve("." + (name.length() > 100 ? name.substring(0, 100) : name) + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
            // CREATE_NEW (O_EXCL): never opens anything already there, a symlink included.
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            if (mode != null && posix(temp)) {
                Files.setPosixFilePermissions(temp, mode);
            } else if (old != null) {
                keepOwner(temp, old); // first: a change of owner may clear mode bits
                Files.setPosixFilePermissions(temp, old.permissions());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The replaced file's owner and group, where this process may set them (root); else the writer's. */
    private static void keepOwner(Path temp, PosixFileAttributes old) {
        try {
            PosixFileAttributes now = Files.readAttributes(temp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.owner().equals(old.owner())) {
                Files.setOwner(temp, old.owner());
            }
            if (!now.group().equals(old.group())) {
                Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(old.group());
            }
        } catch (IOException | RuntimeException e) {
            // not permitted: the file is the writer's, as any file it creates
        }
    }
}
