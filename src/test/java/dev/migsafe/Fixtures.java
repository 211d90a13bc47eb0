package dev.migsafe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds fixture files; tests run with the project root as working directory (Maven's basedir). */
public final class Fixtures {

    public static final Path ROOT = Path.of("fixtures");

    private Fixtures() {}

    public static List<Path> pythonFiles(String folder) {
        try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
            return walk.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** '/'-separated path relative to the project root, as the CLI prints it. */
    public static String display(Path p) {
        return p.toString().replace('\\', '/');
    }
}
