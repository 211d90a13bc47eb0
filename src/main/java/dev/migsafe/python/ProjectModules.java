package dev.migsafe.python;

import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.eval.ModuleScope;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's Python modules of one snapshot, found by dotted name as Python's import would find
 * them under the project's package roots, parsed (never run) through the parse cache when first
 * asked for. The roots are the repository root and the folders above the migrations (a src/
 * layout). Not thread-safe, like the parser.
 */
public final class ProjectModules {

    /** A parsed module: its dotted name, path, tree and module-level names. */
    public record Loaded(String name, String path, Module module, ModuleScope scope) {

        /** The package its relative imports start from (itself for an __init__.py). */
        public String packageName() {
            return path.endsWith("/__init__.py") ? name : name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
        }
    }

    private final Map<String, SourceFile> files;
    private final List<String> roots;
    private final ModuleParser parser;
    private final Map<String, Optional<Loaded>> byName = new HashMap<>();
    private final Map<String, Optional<Loaded>> byPath = new HashMap<>();

    /**
     * @param files the project's Python files by path (read lazily)
     * @param migrationPaths where the migrations are: the folders above them are candidate roots
     * @param parser parses (and caches) the modules read; null reads nothing
     */
    public ProjectModules(Map<String, SourceFile> files, Iterable<String> migrationPaths, ModuleParser parser) {
        this.files = files;
        this.roots = rootsAbove(migrationPaths);
        this.parser = parser;
    }

    private static List<String> rootsAbove(Iterable<String> migrationPaths) {
        Set<String> roots = new LinkedHashSet<>();
        roots.add("");
        for (String path : migrationPaths) {
            String[] parts = path.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 2; i++) { // the folders above migrations/
                prefix.append(parts[i]).append('/');
                roots.add(prefix.toString());
            }
        }
        return List.copyOf(roots);
    }

    public Map<String, SourceFile> files() {
        return files;
    }

    /** The module {@code dotted} (pkg/mod.py or pkg/mod/__init__.py under one of the roots), or null. */
    public Loaded module(String dotted) {
        Optional<Loaded> known = byName.get(dotted);
        if (known != null) {
            return known.orElse(null);
        }
        Loaded out = null;
        String rel = dotted.replace('.', '/');
        for (String root : roots) {
            SourceFile file = files.get(root + rel + ".py");
            boolean init = false;
            if (file == null) {
                file = files.get(root + rel + "/__init__.py");
                init = true;
            }
            if (file != null) {
                String pkg = init ? dotted : dotted.contains(".") ? dotted.substring(0, dotted.lastIndexOf('.')) : "";
                out = load(file, dotted, pkg);
                break;
            }
        }
        byName.put(dotted, Optional.ofNullable(out));
        return out;
    }

    /**
     * The module at {@code path}, named as Python would import it: its dotted name starts at the
     * topmost folder of the chain of packages (folders with an __init__.py) that holds it.
     */
    public Loaded file(String path) {
        Optional<Loaded> known = byPath.get(path);
        if (known != null) {
            return known.orElse(null);
        }
        SourceFile file = files.get(path);
        Loaded out = null;
        if (file != null) {
            String dotted = nameOf(path);
            boolean init = path.endsWith("/__init__.py");
            String pkg = init ? dotted : dotted.contains(".") ? dotted.substring(0, dotted.lastIndexOf('.')) : "";
            out = byName.containsKey(dotted) && byName.get(dotted).isPresent()
                    && byName.get(dotted).get().path().equals(path) ? byName.get(dotted).get() : load(file, dotted, pkg);
        }
        byPath.put(path, Optional.ofNullable(out));
        return out;
    }

    /** The dotted module name of a file: its chain of packages upwards, then the file's own name. */
    public String nameOf(String path) {
        String[] parts = path.substring(0, path.length() - 3).split("/");
        int k = parts.length - 2;
        while (k >= 0 && files.containsKey(String.join("/", java.util.Arrays.copyOfRange(parts, 0, k + 1)) + "/__init__.py")) {
            k--;
        }
        int end = parts[parts.length - 1].equals("__init__") ? parts.length - 1 : parts.length;
        // No package above the file (namespace packages): named from the repository root.
        int start = k == parts.length - 2 ? 0 : k + 1;
        return String.join(".", java.util.Arrays.copyOfRange(parts, Math.min(start, end), end));
    }

    private Loaded load(SourceFile file, String dotted, String pkg) {
        if (parser == null) {
            return null;
        }
        ModuleParser.Parsed parsed = parser.parse(file.blobId(), file::bytes, file.path());
        if (!parsed.ok()) {
            return null;
        }
        Loaded out = new Loaded(dotted, file.path(), parsed.module(), new ModuleScope(parsed.module(), pkg));
        byPath.put(file.path(), Optional.of(out));
        return out;
    }
}
