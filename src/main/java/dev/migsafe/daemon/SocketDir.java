package dev.migsafe.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The folder that holds the resident processes' sockets: private to the user, because whoever can
 * connect to a socket can make the process read any repository the user can read. It is
 * {@code $XDG_RUNTIME_DIR/migsafe}, else {@code ${TMPDIR:-/tmp}/migsafe-UID}; created with mode
 * 0700, and before every use checked to be a real folder (not a link), owned by the user, and
 * closed to group and others. The Python client (packaging/python/django_migsafe/daemon_client.py)
 * finds and checks it the same way.
 */
public final class SocketDir {

    /** Hex digits of the repository hash in a socket's name. */
    static final int HASH_DIGITS = 24;

    private SocketDir() {}

    /** Where the folder is for this environment (not checked, maybe absent). */
    public static Path locate(Map<String, String> env) throws DaemonException {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Path.of(runtime).isAbsolute()) {
            return Path.of(runtime, "migsafe");
        }
        String tmp = env.get("TMPDIR");
        Path base = tmp != null && !tmp.isEmpty() && Path.of(tmp).isAbsolute() ? Path.of(tmp) : Path.of("/tmp");
        return base.resolve("migsafe-" + uid());
    }

    /** Creates the folder (mode 0700) when absent, then checks it. */
    public static Path prepare(Path dir) throws DaemonException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (IOException | UnsupportedOperationException e) {
            throw new DaemonException("cannot create the socket folder " + dir + ": " + e.getMessage());
        }
        return check(dir);
    }

    /** The folder, if it is a folder of the user's that group and others cannot reach; else why not. */
    public static Path check(Path dir) throws DaemonException {
        PosixFileAttributes attributes;
        int owner;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new DaemonException("cannot check the socket folder " + dir + ": " + e.getMessage());
        }
        if (!attributes.isDirectory()) {
            throw new DaemonException("the socket folder " + dir + " is not a folder (a link or a file): remove it");
        }
        if (owner != uid()) {
            throw new DaemonException("the socket folder " + dir + " belongs to another user (uid " + owner
                    + "): remove it, or set XDG_RUNTIME_DIR to a folder of your own");
        }
        Set<PosixFilePermission> open = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        for (PosixFilePermission p : attributes.permissions()) {
            if (open.contains(p)) {
                throw new DaemonException("the socket folder " + dir + " is open to other users (mode "
                        + PosixFilePermissions.toString(attributes.permissions()) + "): run `chmod 700 " + dir + "`");
            }
        }
        return dir;
    }

    /** The socket of a repository: named by a hash of its common git dir's real path. */
    public static Path socketOf(Path dir, Path commonDir) throws DaemonException {
        return dir.resolve(key(commonDir) + ".sock");
    }

    /** The lock a serving process holds for a repository (one process per repository). */
    static Path lockOf(Path socket) {
        return socket.resolveSibling(socket.getFileName().toString().replace(".sock", ".lock"));
    }

    /** The log of a process started in the background. */
    public static Path logOf(Path socket) {
        return socket.resolveSibling(socket.getFileName().toString().replace(".sock", ".log"));
    }

    static String key(Path commonDir) throws DaemonException {
        String real;
        try {
            real = commonDir.toRealPath().toString();
        } catch (IOException e) {
            throw new DaemonException("cannot resolve the git dir " + commonDir + ": " + e.getMessage());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(real.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int uid = -1;

    /** The user's (effective) id: the owner of this process's /proc entry, else of a file it creates. */
    static synchronized int uid() throws DaemonException {
        if (uid < 0) {
            try {
                Path self = Path.of("/proc/self");
                if (Files.isDirectory(self)) {
                    uid = (Integer) Files.getAttribute(self, "unix:uid");
                } else {
                    Path probe = Files.createTempFile("migsafe-uid", "");
                    try {
                        uid = (Integer) Files.getAttribute(probe, "unix:uid");
                    } finally {
                        Files.deleteIfExists(probe);
                    }
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                throw new DaemonException("cannot tell the user's id: " + e.getMessage());
            }
        }
        return uid;
    }
}
