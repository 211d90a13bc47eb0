package dev.migsafe.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fixtures the fuzzer mutates, as units a repository can hold side by side.
 *
 * <p>A unit is a small project (fixtures/shop, each fixtures/rules/X, fixtures/hostile/*: every
 * folder whose apps hold {@code migrations/}), or one loose file (fixtures/python/*, the
 * scenario files, demo and report). Many units use the same app label ("shop"), so a unit is
 * placed under labels of its own: {@link #place} renames every app folder to LABEL_TAG and
 * rewrites the quoted labels in its files (`("shop", "0001_initial")`, `"shop.order"`), which
 * keeps dependencies and model references inside the unit, so the replay has real state to judge
 * the mutant against.
 */
final class Corpus {

    /** A file of a unit: its path below the unit's root (app folder first) and its bytes. */
    record UnitFile(String path, byte[] bytes) {
        boolean migration() {
            int at = path.lastIndexOf("/migrations/");
            if (at < 0 || !path.endsWith(".py")) {
                return false;
            }
            String name = path.substring(at + "/migrations/".length());
            return !name.contains("/") && !name.startsWith("_") && !name.startsWith("~");
        }
    }

    /** A unit: name (for reports), files, and each app folder's label. */
    record Unit(String name, List<UnitFile> files, Map<String, String> labels) {}

    /** One file the fuzzer mutates: a migration module of a unit. */
    record Source(Unit unit, int file) {
        UnitFile target() {
            return unit.files().get(file);
        }

        String describe() {
            return unit.name() + ":" + target().path();
        }
    }

    private static final Pattern APPS_LABEL = Pattern.compile("(?m)^\\s+label\\s*=\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']");
    private static final Pattern LOOSE_NAME = Pattern.compile("([a-z_]+?)_(\\d{4}_.*\\.py)");

    final List<Unit> units;
    final List<Source> sources;

    private Corpus(List<Unit> units) {
        this.units = List.copyOf(units);
        List<Source> s = new ArrayList<>();
        for (Unit u : units) {
            for (int i = 0; i < u.files().size(); i++) {
                if (u.files().get(i).migration()) {
                    s.add(new Source(u, i));
                }
            }
        }
        this.sources = List.copyOf(s);
    }

    /** Every unit under fixtures (the test's working directory is the project root). */
    static Corpus load(Path fixtures) {
        List<Unit> units = new ArrayList<>();
        for (Path root : projectRoots(fixtures)) {
            units.add(project(fixtures, root));
        }
        for (String folder : List.of("python/valid", "python/invalid")) {
            for (Path p : files(fixtures.resolve(folder), ".py")) {
                // A syntax sample is no migration: as migrations/0001_x.py it tests P001/P002 paths.
                units.add(loose(fixtures, p, "py", "0001_" + p.getFileName()));
            }
        }
        for (Path p : files(fixtures.resolve("scenarios/files"), ".py")) {
            Matcher m = LOOSE_NAME.matcher(p.getFileName().toString());
            units.add(m.matches() ? loose(fixtures, p, m.group(1), m.group(2)) : loose(fixtures, p, "blog", p.getFileName().toString()));
        }
        for (Path p : files(fixtures.resolve("demo"), ".py")) {
            Matcher m = LOOSE_NAME.matcher(p.getFileName().toString());
            units.add(m.matches() ? loose(fixtures, p, m.group(1), m.group(2)) : loose(fixtures, p, "orders", p.getFileName().toString()));
        }
        for (Path p : files(fixtures.resolve("report"), ".py")) {
            units.add(loose(fixtures, p, "orders", p.getFileName().toString()));
        }
        units.sort(Comparator.comparing(Unit::name));
        return new Corpus(units);
    }

    /** Folders two levels above a `migrations` folder (ROOT/APP/migrations). */
    private static List<Path> projectRoots(Path fixtures) {
        try (Stream<Path> walk = Files.walk(fixtures)) {
            return walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals("migrations"))
                    .map(p -> p.getParent().getParent())
                    .filter(p -> !p.startsWith(fixtures.resolve("python")))
                    // Reproducers of past failures: adding one must not change what a seed produces.
                    .filter(p -> !p.startsWith(fixtures.resolve("hostile/fuzz")))
                    .distinct().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Unit project(Path fixtures, Path root) {
        List<UnitFile> files = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>();
        for (Path p : files(root, ".py")) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            if (!rel.contains("/")) {
                continue; // project-level modules (settings) are not part of an app
            }
            files.add(new UnitFile(rel, read(p)));
            String app = rel.substring(0, rel.indexOf('/'));
            labels.putIfAbsent(app, app);
            if (rel.equals(app + "/apps.py")) {
                Matcher m = APPS_LABEL.matcher(new String(read(p), StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    labels.put(app, m.group(1));
                }
            }
        }
        String name = fixtures.relativize(root).toString().replace('\\', '/');
        return new Unit(name, List.copyOf(files), labels);
    }

    private static Unit loose(Path fixtures, Path file, String app, String name) {
        String unitName = fixtures.relativize(file).toString().replace('\\', '/');
        return new Unit(unitName, List.of(new UnitFile(app + "/migrations/" + name, read(file))), Map.of(app, app));
    }

    /**
     * The unit's files as they go into a repository: path in the repository to bytes, with
     * every app renamed LABEL_TAG. apps.py files are left out (the folder name is the label);
     * every migrations folder has an __init__.py.
     */
    static Map<String, byte[]> place(Unit unit, String tag) {
        Map<String, String> renamed = new LinkedHashMap<>();
        unit.labels().values().stream().distinct().sorted(Comparator.comparing(String::length).reversed())
                .forEach(label -> renamed.put(label, label + "_" + tag));
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (UnitFile f : unit.files()) {
            String app = f.path().substring(0, f.path().indexOf('/'));
            if (f.path().equals(app + "/apps.py")) {
                continue;
            }
            String path = renamed.get(unit.labels().get(app)) + f.path().substring(app.length());
            out.put(path, relabel(f.bytes(), renamed));
            if (f.migration()) {
                // Django imports migrations as a package: without __init__.py beside a project
                // that has them, the folder is not an app's (and migsafe rightly skips it).
                out.putIfAbsent(path.substring(0, path.lastIndexOf('/')) + "/__init__.py", new byte[0]);
            }
        }
        return out;
    }

    /** The path a unit file gets in {@link #place}. */
    static String placedPath(Unit unit, UnitFile f, String tag) {
        String app = f.path().substring(0, f.path().indexOf('/'));
        return unit.labels().get(app) + "_" + tag + f.path().substring(app.length());
    }

    /** Quoted labels ("shop", 'shop', "shop.order") renamed; bytes kept as they are otherwise. */
    static byte[] relabel(byte[] bytes, Map<String, String> renamed) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> e : renamed.entrySet()) {
            for (String q : List.of("\"", "'")) {
                text = text.replace(q + e.getKey() + q, q + e.getValue() + q)
                        .replace(q + e.getKey() + ".", q + e.getValue() + ".");
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
