package dev.migsafe.python;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A fingerprint of the code whose results the parse cache keeps: every class of this package
 * and its sub-packages (grammar, syntax tree, static evaluator) and of the migration model that
 * is read from the tree. Cache entries carry it, so a build whose parser or reader differs in
 * any way never trusts what another build wrote, even when both call themselves the same version.
 *
 * From a jar it reads the CRCs the jar's directory already holds (no class is decompressed, and
 * the JDK shares the open jar with the class loader); from a classes folder (tests, IDEs) it
 * hashes the class files.
 */
public final class CodeFingerprint {

    /** Keep in step with PREFIXES below. */
    private static final List<String> PACKAGES = List.of("dev/migsafe/python/", "dev/migsafe/migration/");

    private static volatile Long cached;

    private CodeFingerprint() {}

    /** The fingerprint, or 0 when the code cannot be located (the cache is then not used). */
    public static long current() {
        Long value = cached;
        if (value == null) {
            value = compute();
            cached = value;
        }
        return value;
    }

    private static long compute() {
        try {
            Path location = location();
            if (location == null) {
                return 0;
            }
            CRC32 crc = new CRC32();
            if (Files.isDirectory(location)) {
                fromFolder(location, crc);
            } else {
                fromJar(location, crc);
            }
            // Never 0: that value means "unknown".
            return crc.getValue() | (1L << 32);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Where this code was loaded from, as the class loader finds it now. Not the protection
     * domain's code source: a class mapped from a class-data archive reports the path its jar had
     * when the archive was written (the wheel's archive is written in a build folder that is gone
     * after the install), and the cache would then be off for every run.
     */
    private static Path location() throws URISyntaxException {
        URL resource = CodeFingerprint.class.getResource("CodeFingerprint.class");
        if (resource == null) {
            return null;
        }
        String url = resource.toString();
        if (url.startsWith("jar:")) {
            int separator = url.lastIndexOf("!/");
            return Path.of(new URI(url.substring("jar:".length(), separator)));
        }
        // A classes folder: the package's folders lie between it and the class file.
        Path file = Path.of(resource.toURI());
        return file.getParent().getParent().getParent().getParent();
    }

    /**
     * Reads the jar's central directory directly: enumerating a shaded jar's thousands of entries
     * through JarFile costs a cold JVM ~25 ms, this ~2 ms. Falls back to JarFile for anything
     * unusual (a comment after the directory, zip64).
     */
    private static void fromJar(Path jar, CRC32 crc) throws IOException {
        List<String> lines = centralDirectory(jar);
        if (lines == null) {
            lines = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    String name = e.getName();
                    if (name.endsWith(".class") && inPackages(name)) {
                        lines.add(name + ':' + Long.toHexString(e.getCrc()));
                    }
                }
            }
        }
        update(crc, lines);
    }

    /** Name and CRC of each class of the packages, from the zip's central directory; null if unreadable. */
    private static List<String> centralDirectory(Path jar) throws IOException {
        try (FileChannel channel = FileChannel.open(jar)) {
            long size = channel.size();
            if (size < 22) {
                return null;
            }
            ByteBuffer endRecord = ByteBuffer.allocate(22);
            channel.read(endRecord, size - 22);
            byte[] end = endRecord.array();
            // End of central directory record, with no archive comment after it.
            if (le32(end, 0) != 0x06054b50) {
                return null;
            }
            long directorySize = Integer.toUnsignedLong(le32(end, 12));
            long directoryOffset = Integer.toUnsignedLong(le32(end, 16));
            if (directorySize > size || directoryOffset + directorySize > size || directoryOffset == 0xFFFFFFFFL) {
                return null;
            }
            ByteBuffer dir = ByteBuffer.allocate((int) directorySize);
            channel.read(dir, directoryOffset);
            byte[] bytes = dir.array();
            List<String> lines = new ArrayList<>();
            int at = 0;
            // Plain byte arithmetic: this loop runs interpreted, over thousands of entries.
            while (at + 46 <= bytes.length) {
                if (le32(bytes, at) != 0x02014b50) {
                    return null;
                }
                int nameLength = le16(bytes, at + 28);
                int next = at + 46 + nameLength + le16(bytes, at + 30) + le16(bytes, at + 32);
                if (at + 46 + nameLength > bytes.length) {
                    return null;
                }
                if (isPackageClass(bytes, at + 46, nameLength)) {
                    String name = new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8);
                    lines.add(name + ':' + Long.toHexString(Integer.toUnsignedLong(le32(bytes, at + 16))));
                }
                at = next;
            }
            return at == bytes.length ? lines : null;
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }

    private static final byte[][] PREFIXES = {
        "dev/migsafe/python/".getBytes(StandardCharsets.UTF_8), "dev/migsafe/migration/".getBytes(StandardCharsets.UTF_8)};
    private static final byte[] CLASS = ".class".getBytes(StandardCharsets.UTF_8);

    /** Whether the entry name at b[at..at+length) is a .class file in one of the packages. */
    private static boolean isPackageClass(byte[] b, int at, int length) {
        // Most entries are other libraries' ("org/", "com/", ...): rejected on their first byte.
        if (length < 20 || b[at] != 'd' || !regionEquals(b, at + length - CLASS.length, CLASS)) {
            return false;
        }
        for (byte[] prefix : PREFIXES) {
            if (length >= prefix.length && regionEquals(b, at, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] b, int at, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean inPackages(String name) {
        for (String p : PACKAGES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static void fromFolder(Path classes, CRC32 crc) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String folder : PACKAGES) {
            fromFolder(classes, classes.resolve(folder), lines);
        }
        update(crc, lines);
    }

    private static void fromFolder(Path classes, Path root, List<String> lines) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.toString().endsWith(".class")) {
                    continue;
                }
                CRC32 one = new CRC32();
                try (InputStream in = Files.newInputStream(p)) {
                    one.update(in.readAllBytes());
                }
                lines.add(classes.relativize(p).toString().replace('\\', '/') + ':' + Long.toHexString(one.getValue()));
            }
        }
    }

    private static void update(CRC32 crc, List<String> lines) {
        Collections.sort(lines);
        for (String line : lines) {
            crc.update(line.getBytes(StandardCharsets.UTF_8));
            crc.update('\n');
        }
    }
}
