package dev.migsafe.migration;

import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ProjectModules;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.ModuleScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Django field class a project's own field class derives from
 * ({@code class Html5DateField(models.DateField)} -> django.db.models.DateField), read
 * statically from the project's modules of the same snapshot: the module a migration imports the
 * class from is parsed (never run), and the class's bases are followed through the module's
 * imports, across the project's modules, a few levels deep. Classes that cannot be followed (a
 * third-party package, a base built at run time) can be mapped in configuration (field-types).
 * Modules are only read for a migration that uses a field class that is not Django's, and parsed
 * through the parse cache (by blob id).
 */
public final class FieldClasses {

    /** Knows no project module and no configuration: every non-Django class stays unknown. */
    public static final FieldClasses NONE = new FieldClasses(new ProjectModules(Map.of(), List.of(), null), Map.of());

    /** How many classes deep bases are followed (each step may cross to another module). */
    private static final int MAX_DEPTH = 8;

    private final ProjectModules modules;
    private final Map<String, String> configured;
    private final Map<String, Optional<String>> resolved = new HashMap<>();

    /**
     * @param modules the project's Python files by path (read lazily)
     * @param migrationPaths where the migrations are: the folders above them are the candidate
     *                       roots of the project's packages (a repository root, or src/)
     * @param parser parses (and caches) the modules read
     * @param configured field-types: a class (qualified, or its package and class, or a bare class
     *                   name) -> the canonical Django class it stands for
     */
    public static FieldClasses of(Map<String, SourceFile> modules, Iterable<String> migrationPaths, ModuleParser parser,
                                  Map<String, String> configured) {
        return new FieldClasses(new ProjectModules(modules, migrationPaths, parser), configured);
    }

    private FieldClasses(ProjectModules modules, Map<String, String> configured) {
        this.modules = modules;
        this.configured = configured;
    }

    /**
     * The canonical Django class (django.db.models.DateField) that {@code fieldClass} (a
     * migration's qualified field class) stands for: configured, or found among its bases; null
     * when it is Django's own class or cannot be followed.
     */
    public String djangoBase(String fieldClass) {
        if (fieldClass == null || isDjango(fieldClass)) {
            return null;
        }
        return resolve(fieldClass, 0, new HashSet<>());
    }

    private static boolean isDjango(String qualified) {
        return DjangoNames.canonical(qualified).startsWith("django.");
    }

    private static boolean isDjangoField(String canonical) {
        return canonical.startsWith(DjangoNames.MODELS) || canonical.startsWith(DjangoNames.POSTGRES_FIELDS)
                || canonical.startsWith("django.contrib.gis.db.models.")
                || canonical.startsWith("django.contrib.contenttypes.fields.");
    }

    private String resolve(String qualified, int depth, Set<String> visiting) {
        String mapped = configured(qualified);
        if (mapped != null) {
            return mapped;
        }
        if (isDjango(qualified)) {
            String canonical = DjangoNames.canonical(qualified);
            return isDjangoField(canonical) ? canonical : null; // a Django mixin or helper is no column
        }
        Optional<String> known = resolved.get(qualified);
        if (known != null) {
            return known.orElse(null);
        }
        if (depth >= MAX_DEPTH || !visiting.add(qualified)) {
            return null; // too deep, or a cycle of bases: not followed, and not remembered as unknown
        }
        String out = follow(qualified, depth, visiting);
        visiting.remove(qualified);
        resolved.put(qualified, Optional.ofNullable(out));
        return out;
    }

    /** A class of the project: its module read, its bases followed in order (the first that leads to Django wins). */
    private String follow(String qualified, int depth, Set<String> visiting) {
        int dot = qualified.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String module = qualified.substring(0, dot);
        String name = qualified.substring(dot + 1);
        ModuleScope scope = scope(module);
        if (scope == null) {
            return null;
        }
        Stmt.ClassDef c = scope.classes().get(name);
        if (c == null) {
            String imported = scope.imports().get(name); // re-exported: from .fields import Html5DateField
            return imported == null || imported.equals(qualified) ? null : resolve(imported, depth + 1, visiting);
        }
        for (Expr base : c.bases()) {
            String q = scope.qualify(base, module);
            String found = q == null ? null : resolve(q, depth + 1, visiting);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The parsed module's names, or null when the project has no such module or it does not parse. */
    private ModuleScope scope(String module) {
        ProjectModules.Loaded loaded = modules.module(module);
        return loaded == null ? null : loaded.scope();
    }

    /** field-types: the class as imports resolve it, its package and class, or its bare name; the most specific wins. */
    private String configured(String qualified) {
        if (configured.isEmpty()) {
            return null;
        }
        String exact = configured.get(qualified);
        if (exact != null) {
            return exact;
        }
        int last = qualified.lastIndexOf('.');
        String simple = qualified.substring(last + 1);
        int first = qualified.indexOf('.');
        if (first > 0 && first < last) {
            String shortName = qualified.substring(0, first) + "." + simple;
            if (configured.containsKey(shortName)) {
                return configured.get(shortName);
            }
        }
        return configured.get(simple);
    }
}
