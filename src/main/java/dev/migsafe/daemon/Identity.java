package dev.migsafe.daemon;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which build of migsafe a process runs: for a jar, its size and modification time (what the
 * client can read with one stat, no hashing); for a folder of classes (a development build),
 * its real path. A resident process serves only clients that name the same build, and leaves
 * when its own jar changed under it.
 */
public final class Identity {

    private Identity() {}

    /** The jar or classes folder this code was loaded from. */
    public static Path codeSource() {
        try {
            return Path.of(Identity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where migsafe's classes come from", e);
        }
    }

    /** {@code jar:SIZE:MTIME_MS} or {@code classes:REAL_PATH}; "missing:PATH" when it cannot be read. */
    public static String of(Path codeSource) {
        try {
            BasicFileAttributes a = Files.readAttributes(codeSource, BasicFileAttributes.class);
            if (a.isDirectory()) {
                return "classes:" + codeSource.toRealPath();
            }
            return "jar:" + a.size() + ":" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "missing:" + codeSource;
        }
    }
}
