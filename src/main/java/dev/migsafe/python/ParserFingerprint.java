package dev.migsafe.python;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
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
 * A fingerprint of the code that turns bytes into syntax trees: every class of this package and
 * its sub-packages (grammar, tree records) except the static evaluator, which runs after the
 * cache. Cached trees carry it, so a build whose parser differs in any way never trusts trees
 * that another build wrote, even when both call themselves the same version.
 *
 * From a jar it reads the CRCs the jar's directory already holds (no class is decompressed, and
 * the JDK shares the open jar with the class loader); from a classes folder (tests, IDEs) it
 * hashes the class files.
 */
public final class ParserFingerprint {

    private static final String PACKAGE = "dev/migsafe/python/";
    private static final String EXCLUDED = PACKAGE + "eval/";

    private static volatile Long cached;

    private ParserFingerprint() {}

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
            var source = ParserFingerprint.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return 0;
            }
            Path location = Path.of(source.getLocation().toURI());
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

    private static void fromJar(Path jar, CRC32 crc) throws IOException {
        List<String> lines = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith(PACKAGE) && !name.startsWith(EXCLUDED) && name.endsWith(".class")) {
                    lines.add(name + ':' + Long.toHexString(e.getCrc()));
                }
            }
        }
        update(crc, lines);
    }

    private static void fromFolder(Path classes, CRC32 crc) throws IOException {
        Path root = classes.resolve(PACKAGE);
        Path excluded = classes.resolve(EXCLUDED);
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.startsWith(excluded) || !p.toString().endsWith(".class")) {
                    continue;
                }
                CRC32 one = new CRC32();
                try (InputStream in = Files.newInputStream(p)) {
                    one.update(in.readAllBytes());
                }
                lines.add(classes.relativize(p).toString().replace('\\', '/') + ':' + Long.toHexString(one.getValue()));
            }
        }
        update(crc, lines);
    }

    private static void update(CRC32 crc, List<String> lines) {
        Collections.sort(lines);
        for (String line : lines) {
            crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            crc.update('\n');
        }
    }
}
